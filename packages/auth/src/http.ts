import { AppError } from '@firegov/kit';
// Types only (erased at run time): the middleware fits express without making auth depend on it.
import type { RequestHandler } from 'express';
import { bearerToken } from './bearer.ts';
import type { Identity } from './identity.ts';
import { verifyToken, type VerifyTokenOptions } from './tokens.ts';

/** Reads and verifies `Authorization: Bearer <jwt>`; throws AppError UNAUTHENTICATED saying why. */
export async function identityFromAuthorizationHeader(header: string | undefined, opts: VerifyTokenOptions): Promise<Identity> {
  if (header === undefined || header.trim() === '') {
    throw new AppError('UNAUTHENTICATED', 'missing Authorization header (expected "Bearer <token>")');
  }
  const token = bearerToken(header);
  if (token === undefined) {
    throw new AppError('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
  }
  return verifyToken(token, opts);
}

/** The identity requireIdentity stored for this request; throws if the middleware did not run. */
export function identityOf(res: { locals: Record<string, unknown> }): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (identity === undefined) throw new Error('no identity on this request: mount requireIdentity before this handler');
  return identity;
}

/**
 * Express middleware: sets `res.locals.identity`, or answers 401 in the platform's error shape with
 * a `WWW-Authenticate` challenge (RFC 6750) so clients know to fetch a new token, or 503 when the
 * issuer's keys cannot be fetched (the client retries the same token).
 */
export function requireIdentity(opts: VerifyTokenOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.identity = await identityFromAuthorizationHeader(req.header('authorization'), opts);
    } catch (err) {
      if (!(err instanceof AppError)) {
        next(err);
        return;
      }
      if (err.status === 401) {
        res.setHeader(
          'www-authenticate',
          `Bearer realm="firegov", error="invalid_token", error_description="${challengeText(err.message)}"`,
        );
      } else if (err.code === 'UNAVAILABLE') {
        // The issuer's keys could not be fetched: the token may be fine, so no challenge, and a retry later.
        res.setHeader('retry-after', '5');
      }
      res.status(err.status).json(err.toJSON());
      return;
    }
    next();
  };
}

// Header values must stay printable ASCII and the quoted string must not be broken out of.
function challengeText(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'");
}
