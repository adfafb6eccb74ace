import { telemetry } from './instrument.ts';
import { redisClientCutoffs, tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createIdentityApp } from './app.ts';
import { keyPolicyOf } from './env.ts';
import { env } from './runtime-env.ts';
import { identityStore } from './runtime.ts';

await runService({
  store: identityStore,
  env,
  telemetry,
  build: async ({ rt, logger, isAccepting }) => {
    const { app, close } = await createIdentityApp({
      ...rt,
      logger,
      // Its own subgraph verifies callers like every other: against the JWKS (its own, over HTTP).
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
      issuer: env.IDENTITY_ISSUER ?? env.AUTH_ISSUER,
      cookieKeys: env.COOKIE_KEYS,
      ttl: { accessToken: env.ACCESS_TOKEN_TTL, refreshToken: env.REFRESH_TOKEN_TTL },
      keyPolicy: keyPolicyOf(env),
      keySyncMs: env.KEY_SYNC_MS,
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      keyEncryptionKey: env.KEY_ENCRYPTION_KEY,
      homeJurisdiction: env.HOME_JURISDICTION,
      signInRateLimit: { perName: env.SIGN_IN_RATE_LIMIT, perAddress: env.SIGN_IN_RATE_LIMIT_PER_ADDRESS },
      clientCutoffs: redisClientCutoffs(rt.redis, { prefix: env.AUTH_CLIENT_CUTOFF_PREFIX }),
    });
    return { app, close };
  },
});
