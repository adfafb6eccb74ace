import type { ClientCutoffs } from '@firegov/auth';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express, RequestHandler } from 'express';
import type { KeyPolicy } from './domain/keys.ts';
import { interactionRoutes } from './http/interactions.ts';
import { loginRateLimit, tokenRateLimit, type SignInRateLimit } from './http/rate-limits.ts';
import { trustedDocumentsRouter } from './http/trusted-documents.ts';
import { redisAdapterFactory } from './oidc/adapter.ts';
import { keyStore } from './oidc/keys.ts';
import { buildProvider } from './oidc/provider.ts';
import { startProviderRing, type ProviderRing } from './oidc/ring.ts';
import { keySealer } from './oidc/seal.ts';
import { identityPolicy } from './policy.ts';
import { createGraphContext, type Services } from './schema/context.ts';
import { identitySubgraphSchema } from './schema/index.ts';
import { clientService } from './service/client.ts';
import { signingKeyService } from './service/signing-keys.ts';
import type { IdentityModels } from './store/models.ts';

export interface IdentityAppDeps extends ServiceAppDeps<IdentityModels> {
  issuer: string;
  cookieKeys: string[];
  /** Seconds. */
  ttl: { accessToken: number; refreshToken: number };
  keyPolicy: KeyPolicy;
  keySyncMs: number;
  /** REDIS_KEY_PREFIX: the provider's sessions, codes and tokens live under it. */
  redisKeyPrefix: string;
  /**
   * Where revoking a client or rotating its secret leaves the cutoff every verifier reads
   * (AUTH_CLIENT_CUTOFF_PREFIX; the same as `auth.cutoffs` of this process).
   */
  clientCutoffs: ClientCutoffs;
  /** KEY_ENCRYPTION_KEY: seals the signing keys' private parts in the store. */
  keyEncryptionKey: Buffer;
  /** HOME_JURISDICTION: only its county administrator changes the signing keys. */
  homeJurisdiction: string;
  /** Attempts per minute at /token and the sign-in form: per username or client id, and per client address. */
  signInRateLimit: SignInRateLimit;
}

// The provider's own routes (discovery, authorization, token, JWKS, introspection, revocation,
// userinfo, logout); everything else is the service's (health, interactions, /graphql).
const PROVIDER_PATH = /^\/(?:\.well-known\/openid-configuration|auth|token|jwks|me|session\/end|request)(?:\/|$)/;

/** Builds the service without listening, so tests can start it on a port of their choosing. */
export async function createIdentityApp(deps: IdentityAppDeps): Promise<{
  app: Express;
  services: Services;
  ring: ProviderRing;
  close: () => Promise<void>;
}> {
  const now = deps.now ?? (() => new Date());
  const clients = clientService({
    models: deps.models,
    relay: deps.relay,
    now,
    cutoffs: deps.clientCutoffs,
    logger: deps.logger,
  });
  const keys = keyStore({
    models: deps.models,
    policy: deps.keyPolicy,
    now,
    logger: deps.logger,
    sealer: keySealer(deps.keyEncryptionKey),
  });
  const findUser = (id: string) => deps.models.users.findOne({ _id: id }).lean();
  const adapter = redisAdapterFactory({ redis: deps.redis, prefix: deps.redisKeyPrefix, findPlatformClient: clients.find });

  const ring = await startProviderRing({
    keys,
    syncMs: deps.keySyncMs,
    logger: deps.logger,
    build: (set, activeKid) => {
      const provider = buildProvider({
        issuer: deps.issuer,
        jwks: set.providerJwks,
        activeKid,
        adapter,
        findUser,
        findPlatformClient: clients.find,
        cookieKeys: deps.cookieKeys,
        ttl: deps.ttl,
      });
      provider.on('server_error', (_ctx, err) => deps.logger.error({ err }, 'oidc provider error'));
      // Behind a TLS proxy (TRUST_PROXY) the provider reads X-Forwarded-Proto and -Host as express
      // does: its URLs say https and its cookies are marked Secure.
      provider.proxy = deps.trustProxy === true;
      return provider;
    },
  });

  const services: Services = {
    clients,
    signingKeys: signingKeyService({ keys, ring: () => ring, homeJurisdiction: deps.homeJurisdiction }),
  };
  const providerRoutes: RequestHandler = (req, res, next) => (PROVIDER_PATH.test(req.path) ? ring.handle(req, res) : next());

  const rateDeps = { redis: deps.redis, logger: deps.logger, redisPrefix: deps.redisKeyPrefix, limits: deps.signInRateLimit };
  const { app, close } = createServiceApp({
    ...deps,
    routes: [
      interactionRoutes({
        ring,
        issuer: deps.issuer,
        redis: deps.redis,
        redisPrefix: deps.redisKeyPrefix,
        findUserByName: (username) => deps.models.users.findOne({ username }).lean(),
        logger: deps.logger,
        loginLimits: loginRateLimit(rateDeps),
      }),
      tokenRateLimit(rateDeps),
      providerRoutes,
      trustedDocumentsRouter({ auth: deps.auth, clients }),
    ],
    subgraph: {
      schema: identitySubgraphSchema(),
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
      policy: identityPolicy,
    },
  });
  return {
    app,
    services,
    ring,
    close: async () => {
      ring.stop();
      await close();
    },
  };
}
