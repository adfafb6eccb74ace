import { AppError } from '@firegov/kit';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { parseBasicAuth, usableSecrets, verifySecret } from '../domain/credentials.ts';
import type { AgencyCache } from './agency-cache.ts';
import type { AssessmentDeps } from './deps.ts';

const AUDIENCE = 'firegov-assessment-push';
const ISSUER = 'firegov-assessment';

export interface AgencyCaller {
  agencyId: string;
  clientId: string;
}

/** RFC 6749 §5.2 error body; the push API's own errors use the platform shape. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

/** Client ids are `<agency id>.<random>`, so the agency — and its clients — are one point read away. */
export const agencyOfClient = (clientId: string): string | null => {
  const dot = clientId.indexOf('.');
  return dot > 0 ? clientId.slice(0, dot) : null;
};

/**
 * OAuth2 client credentials (RFC 6749 §4.4). The agency's system posts its client id and secret
 * (HTTP Basic or form fields) and gets a short-lived bearer token for the push API. Secrets are
 * stored only as scrypt hashes; that is why this scheme and not a shared-key HMAC signature, which
 * needs the server to hold every agency's secret in usable form.
 */
export function tokenService(deps: AssessmentDeps, agencies: AgencyCache) {
  const key = new TextEncoder().encode(deps.tokenSecret);

  return {
    async issue(
      authorization: string | undefined,
      form: Record<string, unknown>,
    ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
      if (form.grant_type !== 'client_credentials') {
        throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      }
      const basic = authorization ? parseBasicAuth(authorization) : null;
      const clientId = basic?.clientId ?? (typeof form.client_id === 'string' ? form.client_id : undefined);
      const secret = basic?.secret ?? (typeof form.client_secret === 'string' ? form.client_secret : undefined);
      if (!clientId || !secret) throw new OAuthError(401, 'invalid_client', 'client authentication failed');
      const agencyId = agencyOfClient(clientId);
      const agency = agencyId ? await agencies.get(agencyId) : null;
      const client = agency?.clients.find((c) => c.clientId === clientId);
      const now = deps.now();
      // One answer for every failure, so a caller cannot tell a wrong id from a wrong secret.
      const ok =
        agency !== null &&
        client !== undefined &&
        !client.revokedAt &&
        usableSecrets(client.secrets, now).some((s) => verifySecret(secret, s.hash));
      if (!ok || !agency) throw new OAuthError(401, 'invalid_client', 'client authentication failed');
      if (agency.status !== 'active') throw new OAuthError(400, 'unauthorized_client', `agency is ${agency.status}`);
      const access_token = await new SignJWT({ agency: agency._id })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(clientId)
        .setAudience(AUDIENCE)
        .setIssuer(ISSUER)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(now.getTime() / 1000) + deps.tokenTtlS)
        .sign(key);
      return { access_token, token_type: 'Bearer', expires_in: deps.tokenTtlS };
    },

    /** The caller of a push: a valid token of a client that is still not revoked. */
    async verify(authorization: string | undefined): Promise<AgencyCaller> {
      const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
      if (!m) throw new AppError('UNAUTHENTICATED', 'a bearer token from /oauth/token is required');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(m[1] as string, key, {
          audience: AUDIENCE,
          issuer: ISSUER,
          currentDate: deps.now(),
          algorithms: ['HS256'],
        }));
      } catch (err) {
        throw new AppError('UNAUTHENTICATED', `invalid token: ${(err as Error).message}`);
      }
      const clientId = payload.sub;
      const agencyId = typeof payload.agency === 'string' ? payload.agency : undefined;
      if (!clientId || !agencyId || agencyOfClient(clientId) !== agencyId)
        throw new AppError('UNAUTHENTICATED', 'invalid token claims');
      const agency = await agencies.get(agencyId);
      const client = agency?.clients.find((c) => c.clientId === clientId);
      if (!client || client.revokedAt) throw new AppError('UNAUTHENTICATED', 'the client of this token was revoked');
      return { agencyId, clientId };
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
