import { AppError, type Redis } from '@firegov/kit';
import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { DEFAULT_CUTOFF_PREFIX, redisClientCutoffs } from './client-cutoffs.ts';
import { DEFAULT_AUDIENCE, type TokenKeys, type VerifyTokenOptions } from './tokens.ts';
import { gatewayForwardKeysSchema } from './trusted-documents.ts';
import { verifiedTokens } from './verified-tokens.ts';

/** How long a verifier uses a fetched JWKS by default: a key the issuer drops verifies here this much longer at most. */
export const JWKS_CACHE_MAX_AGE_MS = 600_000;
/**
 * The least time between two JWKS fetches by default. The issuer waits this long (and its replicas'
 * sync) before a key published on demand signs, so a verifier that fetched just before meets no kid
 * it cannot fetch yet.
 */
export const JWKS_COOLDOWN_MS = 30_000;

export interface RemoteKeysOptions {
  /**
   * How long a fetched JWKS is used before it is fetched again (default 10 min). A key the issuer
   * stops publishing keeps verifying here for at most this long; the issuer removes a key only
   * after its last token expired, so this delay refuses nothing it should accept.
   */
  cacheMaxAgeMs?: number;
  /**
   * The least time between two fetches (default 30 s). A token naming an unknown key triggers one
   * fetch, so a key rotated in is picked up at once; a stream of forged kids cannot make this
   * process hammer the issuer.
   */
  cooldownMs?: number;
  /** How long one fetch may take (default 5 s); past it the request is UNAVAILABLE, not refused. */
  timeoutMs?: number;
}

// Errors that mean the token names a key the issuer does not have, or an algorithm it cannot be
// verified with: the caller's problem (401). Anything else from the key lookup is the issuer being
// unreachable or answering garbage: ours (503).
const CALLER_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
  errors.JOSEAlgNotAllowed,
];

/**
 * The verification keys of an issuer, read from its JWKS with jose's cache and cooldown. A token
 * must name its key (`kid`): the issuer publishes several during a rotation. When the JWKS cannot
 * be fetched the lookup fails with AppError UNAVAILABLE.
 */
export function remoteKeys(jwksUrl: string | URL, o: RemoteKeysOptions = {}): TokenKeys {
  const url = new URL(jwksUrl);
  const jwks: JWTVerifyGetKey = createRemoteJWKSet(url, {
    cacheMaxAge: o.cacheMaxAgeMs ?? JWKS_CACHE_MAX_AGE_MS,
    cooldownDuration: o.cooldownMs ?? JWKS_COOLDOWN_MS,
    ...(o.timeoutMs !== undefined ? { timeoutDuration: o.timeoutMs } : {}),
  });
  return async (header, token) => {
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new AppError('UNAUTHENTICATED', 'token names no signing key (missing kid header)', {
        details: [{ path: 'kid', reason: 'missing' }],
      });
    }
    try {
      return await jwks(header, token);
    } catch (err) {
      if (CALLER_ERRORS.some((type) => err instanceof type)) throw err;
      throw new AppError('UNAVAILABLE', `the token issuer's keys could not be fetched from ${url.origin}; retry shortly`, {
        cause: err,
      });
    }
  };
}

const httpUrl = (what: string) =>
  z.string({ error: `is required: ${what}` }).refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/**
 * The env entries of every process that verifies users' tokens (the gateway, every subgraph). No
 * key among them can sign a token: the keys come from the issuer's JWKS; GATEWAY_FORWARD_KEYS only
 * proves that a request came through the gateway.
 */
export const authEnvShape = {
  /** The identity service's issuer identifier (`iss` of its tokens); npm start: http://127.0.0.1:4006. */
  AUTH_ISSUER: httpUrl("the identity service's issuer, e.g. http://127.0.0.1:4006"),
  /** Where the issuer publishes its public keys; npm start: http://127.0.0.1:4006/jwks. */
  AUTH_JWKS_URL: httpUrl("the identity service's JWKS URL, e.g. http://127.0.0.1:4006/jwks"),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  /**
   * Where revoked clients' and rotated secrets' cutoffs live in Redis: the identity service writes
   * them, the gateway and every subgraph read them, so all must use the same Redis and prefix.
   */
  AUTH_CLIENT_CUTOFF_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -')
    .default(DEFAULT_CUTOFF_PREFIX),
  /** Keys the gateway proves a forwarded request with (comma-separated, newest first, ≥ 32 characters each). */
  GATEWAY_FORWARD_KEYS: gatewayForwardKeysSchema,
};

export type AuthEnv = z.infer<z.ZodObject<typeof authEnvShape>>;

/**
 * How a process verifies users' tokens, from its env (authEnvShape), with the cutoffs of revoked
 * clients read from `redis` (every process that verifies tokens has it).
 */
export function tokenVerification(env: AuthEnv, o: RemoteKeysOptions & { redis?: Redis } = {}): VerifyTokenOptions {
  const { redis, ...keys } = o;
  return {
    keys: remoteKeys(env.AUTH_JWKS_URL, keys),
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    gatewayForwardKeys: env.GATEWAY_FORWARD_KEYS,
    verified: verifiedTokens(),
    ...(redis ? { cutoffs: redisClientCutoffs(redis, { prefix: env.AUTH_CLIENT_CUTOFF_PREFIX }) } : {}),
  };
}
