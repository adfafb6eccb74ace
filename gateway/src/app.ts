import {
  bearerToken,
  GATEWAY_FORWARD_HEADER,
  gatewayForwardProof,
  requireIdentity,
  tokenVerification,
  type VerifyTokenOptions,
} from '@firegov/auth';
import { createHttpApp, finishApp, type Logger, type Redis } from '@firegov/kit';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import express, { type Express, type RequestHandler } from 'express';
import { trustedDocumentsUrl, type GatewayEnv } from './env.ts';
import { perToken } from './per-token.ts';
import { rateLimitPerSubject } from './rate-limit.ts';
import { subgraphReadiness } from './readiness.ts';
import { createRuntime, GRAPHQL_PATH, type RuntimeEnv } from './runtime.ts';
import { trustedDocuments } from './trusted-documents.ts';

/** The part of the environment the gateway app reads (tests build it with parseEnv). */
export type GatewayAppEnv = RuntimeEnv &
  Pick<
    GatewayEnv,
    | 'AUTH_ISSUER'
    | 'AUTH_JWKS_URL'
    | 'AUTH_AUDIENCE'
    | 'AUTH_CLIENT_CUTOFF_PREFIX'
    | 'GATEWAY_FORWARD_KEYS'
    | 'MAX_BODY_BYTES'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'TRUSTED_DOCUMENTS_URL'
    | 'TRUSTED_DOCUMENTS_CACHE_MS'
  > &
  Partial<Pick<GatewayEnv, 'METRICS_TOKEN'>>;

export interface GatewayOptions {
  /** Supergraph SDL, as composeSupergraph produces it. */
  supergraph: string;
  env: GatewayAppEnv;
  logger: Logger;
  /**
   * Redis: each identity is rate limited (RATE_LIMIT_PER_MINUTE) and platform clients' tokens are
   * checked against their clients' cutoffs (revoked, secret rotated). index.ts always connects it;
   * a test that leaves it out tests neither.
   */
  redis?: Redis;
  /** Turns false when shutdown starts, so /readyz answers 503 while requests drain. */
  isAccepting?: () => boolean;
  /** How callers' tokens are verified; by default from the env's AUTH_* (the identity service's JWKS). */
  auth?: VerifyTokenOptions;
}

export interface Gateway {
  app: Express;
  runtime: GatewayRuntime;
  /** Disposes the runtime (subgraph transports, caches); call after the HTTP server closed. */
  dispose(): Promise<void>;
}

/** The one public GraphQL entry: express (health, limits, auth, rate limit) in front of Hive Gateway. */
export function createGateway(opts: GatewayOptions): Gateway {
  const { env, logger } = opts;
  const runtime = createRuntime({
    supergraph: opts.supergraph,
    env,
    logger,
    trustedDocuments: trustedDocuments({
      url: trustedDocumentsUrl(env),
      ttlMs: env.TRUSTED_DOCUMENTS_CACHE_MS,
      logger,
    }),
  });

  const bodyLimit = `${env.MAX_BODY_BYTES}b`;
  const app = createHttpApp({
    logger,
    readiness: subgraphReadiness(env.SUBGRAPHS),
    bodyLimit,
    ...(opts.isAccepting ? { isAccepting: opts.isAccepting } : {}),
    metricsToken: env.METRICS_TOKEN,
  });
  const verify = opts.auth ?? tokenVerification(env, opts.redis ? { redis: opts.redis } : {});
  app.use(
    GRAPHQL_PATH,
    // JSON bodies were read (and limited) by createHttpApp; any other body type is limited here.
    express.text({ type: () => true, limit: bodyLimit }),
    keepEmptyJsonBody(),
    shareRequestId(),
    skipForGraphiQLPage(requireIdentity(verify)),
    proveForward(env.GATEWAY_FORWARD_KEYS[0] ?? ''),
    ...(opts.redis && env.RATE_LIMIT_PER_MINUTE > 0
      ? [skipForGraphiQLPage(rateLimitPerSubject({ redis: opts.redis, perMinute: env.RATE_LIMIT_PER_MINUTE, logger }))]
      : []),
    runtime.requestListener,
  );
  finishApp(app, logger);

  return {
    app,
    runtime,
    async dispose() {
      await runtime.dispose();
    },
  };
}

// Yoga answers `GET` with `Accept: text/html` with the GraphiQL page and executes nothing, so
// the page loads without a token; the operations GraphiQL then sends carry the header.
function isGraphiQLPageRequest(req: express.Request): boolean {
  return req.method === 'GET' && (req.header('accept') ?? '').includes('text/html');
}

function skipForGraphiQLPage(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (isGraphiQLPageRequest(req)) {
      next();
      return;
    }
    return handler(req, res, next);
  };
}

// The runtime reuses a body express parsed only when it has keys; for `{}` or `[]` it would read the
// already consumed stream and report "invalid JSON". Handing it the text gets the real complaint.
function keepEmptyJsonBody(): RequestHandler {
  return (req, _res, next) => {
    const body: unknown = req.body;
    if (typeof body === 'object' && body !== null && Object.keys(body).length === 0) req.body = JSON.stringify(body);
    next();
  };
}

// The subgraphs serve a token limited to trusted documents only with this proof (@firegov/auth
// trusted-documents.ts): set here for the token the request carries, after requireIdentity verified
// it. A value the caller sent itself is never passed on.
function proveForward(key: string): RequestHandler {
  const proofOf = perToken((token) => gatewayForwardProof(key, token));
  return (req, _res, next) => {
    const token = bearerToken(req.header('authorization'));
    if (token === undefined || key === '') delete req.headers[GATEWAY_FORWARD_HEADER];
    else req.headers[GATEWAY_FORWARD_HEADER] = proofOf(token);
    next();
  };
}

// kit put the id on the response; the runtime reads the request, so the forwarded id is the same one.
function shareRequestId(): RequestHandler {
  return (req, res, next) => {
    const id = res.getHeader('x-request-id');
    if (typeof id === 'string') req.headers['x-request-id'] = id;
    next();
  };
}
