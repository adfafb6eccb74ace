import { parseBasicAuth } from '@firegov/auth';
import { redisRateLimit, type Logger, type RateLimitOptions, type Redis } from '@firegov/kit';
import { Router, type Request, type RequestHandler } from 'express';
import { loginPage } from './pages.ts';

// Each secret or password check costs a scrypt (tens of ms of CPU, on the thread pool): attempts
// are counted in Redis, shared by every replica, per client address and per name tried, so neither
// one address nor many can guess a platform's secret or a person's password at speed, nor keep the
// thread pool busy for everyone else.

export interface SignInRateLimit {
  /** Attempts per minute per username or platform client id. */
  perName: number;
  /** Requests per minute per client address (behind a proxy: the forwarded address, with TRUST_PROXY). */
  perAddress: number;
}

interface Deps {
  redis: Redis;
  logger: Logger;
  redisPrefix: string;
  limits: SignInRateLimit;
}

const address = (req: Request) => req.ip ?? 'unknown';

function limiter(d: Deps, what: string, perMinute: number, keyOf: (req: Request) => string, extra: Partial<RateLimitOptions>) {
  return redisRateLimit({
    redis: d.redis,
    limit: perMinute,
    logger: d.logger,
    keyPrefix: `${d.redisPrefix}rate:${what}`,
    keyOf,
    ...extra,
  });
}

const onlyIf =
  (when: (req: Request) => boolean, handler: RequestHandler): RequestHandler =>
  (req, res, next) =>
    when(req) ? handler(req, res, next) : next();

/**
 * POST /token: per client address, and per client id for a request that carries a secret. Platform
 * clients authenticate with HTTP Basic only (their registered method), so the id whose secret the
 * provider will check is in the header and the body is left to the provider. The console's requests
 * (a code, a refresh token, no secret) are counted by address only: they share one client id.
 */
export function tokenRateLimit(d: Deps): Router {
  const clientOf = (req: Request) => parseBasicAuth(req.headers.authorization)?.clientId;
  const router = Router();
  router.post(
    '/token',
    limiter(d, 'token:address', d.limits.perAddress, address, { scopeLabel: 'per client address' }),
    onlyIf(
      (req) => clientOf(req) !== undefined,
      limiter(d, 'token:client', d.limits.perName, (req) => clientOf(req) ?? '', { scopeLabel: 'per client id' }),
    ),
  );
  return router;
}

/**
 * The sign-in form (after its body is parsed): per client address and per username. A refusal is the
 * sign-in page again, status 429 with Retry-After, saying when to try again.
 */
export function loginRateLimit(d: Deps): RequestHandler[] {
  const username = (req: Request) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
  };
  const refuse: RateLimitOptions['refuse'] = (req, res, _err, retryAfter) => {
    res.type('html').send(
      loginPage({
        uid: String(req.params.uid ?? ''),
        clientId: '',
        scope: '',
        username: username(req),
        error: `too many sign-in attempts; try again in ${retryAfter} s`,
      }),
    );
  };
  return [
    limiter(d, 'login:address', d.limits.perAddress, address, { scopeLabel: 'per client address', refuse }),
    onlyIf(
      (req) => username(req) !== '',
      limiter(d, 'login:username', d.limits.perName, username, { scopeLabel: 'per username', refuse }),
    ),
  ];
}
