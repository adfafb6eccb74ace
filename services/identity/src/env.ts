import { JWKS_COOLDOWN_MS } from '@firegov/auth';
import { serviceEnv } from '@firegov/service';
import { z } from 'zod';

const seconds = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);

// The one env module of the process: the entries every service reads, plus this service's own.
export const identityEnv = serviceEnv(
  { name: 'identity', port: 4006 },
  {
    /**
     * The `iss` of every token and the base of every endpoint (discovery, /jwks, /token); default
     * AUTH_ISSUER, which every verifier (this service's own subgraph too) is given.
     */
    IDENTITY_ISSUER: z.url().optional(),
    /**
     * Keys of the provider's cookies (login interactions), comma-separated, newest first; each at
     * least 32 characters. Required: a fixed default would let anyone forge an interaction cookie.
     */
    COOKIE_KEYS: z
      .string()
      .transform((s) => s.split(',').map((k) => k.trim()))
      .pipe(z.array(z.string().min(32, 'each key must be at least 32 characters')).min(1)),
    /** Seconds an access token lives: short, because a JWT cannot be called back once issued. */
    ACCESS_TOKEN_TTL: seconds(60, 3600, 600),
    /** Seconds a person's refresh token lives (each use rotates it). */
    REFRESH_TOKEN_TTL: seconds(300, 30 * 86_400, 8 * 3600),
    /** Seconds between signing keys: a new key becomes the active one this long after the last. */
    KEY_ROTATION_INTERVAL: seconds(60, 365 * 86_400, 7 * 86_400),
    /** Seconds a new key is published in the JWKS before it signs, so verifiers' cached key sets already hold it. */
    KEY_PUBLISH_AHEAD: seconds(10, 7 * 86_400, 3600),
    /** Seconds of clock difference allowed between the provider and verifiers (keeps retired keys a little longer). */
    CLOCK_SKEW: seconds(0, 600, 60),
    /** How often a replica reads the key set back from the store (replicas agree through the store). */
    KEY_SYNC_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    /**
     * The key that encrypts the signing keys' private parts in the store (AES-256-GCM): 32 bytes,
     * base64. Required: a store copy (a backup, a dump) must not hold usable signing keys.
     */
    KEY_ENCRYPTION_KEY: z
      .string({ error: 'is required: 32 random bytes, base64 (openssl rand -base64 32)' })
      .transform((v) => Buffer.from(v, 'base64'))
      .refine((b) => b.length === 32, 'must be 32 bytes, base64 (openssl rand -base64 32)'),
    /**
     * The division this deployment is run for (12 digits): only a county administrator of exactly
     * this jurisdiction rotates or revokes the signing keys, which sign every county's tokens.
     */
    HOME_JURISDICTION: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit division code')
      .default('500230000000'),
    /** Sign-in and token attempts per minute per username or platform client id (each costs a scrypt check). */
    SIGN_IN_RATE_LIMIT: perMinute(10),
    /** Sign-in and token requests per minute per client address. */
    SIGN_IN_RATE_LIMIT_PER_ADDRESS: perMinute(60),
    /** The demo loader only: the demo people's password (npm start derives and prints it). */
    DEMO_USER_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /** The demo loader only: the demo platform client's secret (npm start derives and prints it). */
    DEMO_PLATFORM_CLIENT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  },
);

export type IdentityEnv = z.infer<typeof identityEnv.schema>;
export type IdentityToolEnv = z.infer<typeof identityEnv.toolSchema>;

/** What the key schedule reads from the env. */
export const keyPolicyOf = (
  env: Pick<IdentityToolEnv, 'KEY_ROTATION_INTERVAL' | 'KEY_PUBLISH_AHEAD' | 'ACCESS_TOKEN_TTL' | 'CLOCK_SKEW' | 'KEY_SYNC_MS'>,
) => ({
  rotationIntervalMs: env.KEY_ROTATION_INTERVAL * 1000,
  publishAheadMs: env.KEY_PUBLISH_AHEAD * 1000,
  // A retired key stays published until the last token it signed has expired, plus skew, plus the
  // replicas' sync: a replica that has not yet read a rotation keeps signing with it that long.
  // Derived here rather than asking operators to keep CLOCK_SKEW above KEY_SYNC_MS.
  retainAfterRetireMs: (env.ACCESS_TOKEN_TTL + env.CLOCK_SKEW) * 1000 + env.KEY_SYNC_MS,
  // Every replica has the new key and a verifier that fetched just before may fetch again.
  immediateAfterMs: env.KEY_SYNC_MS + JWKS_COOLDOWN_MS,
});
