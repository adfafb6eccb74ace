import type { Identity, VerifyTokenOptions } from '@firegov/auth';
import { kafkaReadiness } from '@firegov/events';
import { createHttpApp, finishApp, mongoReadiness, redisReadiness, type Logger, type Redis } from '@firegov/kit';
import type { Express, RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { ServiceRuntime } from './runtime.ts';
import type { PolicyTable } from './subgraph/policy.ts';
import type { PersonalDataAuditSink } from './subgraph/personal-data-audit.ts';
import { createSubgraphYoga } from './subgraph/yoga.ts';

/**
 * What a service's app is built from: its runtime's connections (tests pass their own) and the
 * settings every service has. A service's own deps extend it.
 */
export interface ServiceAppDeps<M> extends Pick<ServiceRuntime<M>, 'conn' | 'models' | 'redis' | 'kafka' | 'relay'> {
  logger: Logger;
  /** How callers' tokens are verified: against the identity service's JWKS (tokenVerification); no signing key. */
  auth: VerifyTokenOptions;
  trustProxy?: boolean;
  /** The clock (tests travel in time). */
  now?: () => Date;
  isAccepting?: () => boolean;
  /** METRICS_TOKEN: what `GET /metrics` requires, when set. */
  metricsToken?: string | undefined;
}

export interface ServiceAppOptions<C extends object> {
  logger: Logger;
  conn: Connection;
  redis: Redis;
  kafka: Kafka;
  /** The subgraph at /graphql: its schema, how callers' tokens are verified, and the context for a caller. */
  subgraph: {
    schema: GraphQLSchema;
    auth: VerifyTokenOptions;
    context: (identity: Identity | undefined) => C;
    /** Who may call each root field: the service's src/policy.ts. */
    policy: PolicyTable;
    /** Records each answer that shows personal data unmasked (the service's personal-data-reads topic). */
    personalData?: PersonalDataAuditSink;
  };
  /** REST routers (push APIs, public endpoints), mounted before the subgraph. */
  routes?: readonly RequestHandler[];
  /** Largest accepted JSON body (default 1 MB). */
  bodyLimit?: string;
  /** Trust X-Forwarded-For from any proxy; otherwise only from loopback. */
  trustProxy?: boolean;
  isAccepting?: () => boolean;
  metricsToken?: string | undefined;
}

/**
 * A service's HTTP face: /healthz, /readyz (store, Redis and Kafka must answer), its REST routes,
 * the subgraph at /graphql, and the platform's 404 and error shapes. Built without listening so
 * tests start it on port 0.
 */
export function createServiceApp<C extends object>(o: ServiceAppOptions<C>): { app: Express; close: () => Promise<void> } {
  const kafkaCheck = kafkaReadiness(o.kafka);
  const app = createHttpApp({
    logger: o.logger,
    readiness: [mongoReadiness(o.conn), redisReadiness(o.redis), kafkaCheck],
    ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}),
    ...(o.isAccepting ? { isAccepting: o.isAccepting } : {}),
    metricsToken: o.metricsToken,
  });
  // Rate limits key on the client address: only trust X-Forwarded-For when a proxy sets it.
  app.set('trust proxy', o.trustProxy ? true : 'loopback');
  for (const route of o.routes ?? []) app.use(route);
  const yoga = createSubgraphYoga<C>({
    schema: o.subgraph.schema,
    auth: o.subgraph.auth,
    logger: o.logger,
    context: o.subgraph.context,
    policy: o.subgraph.policy,
    ...(o.subgraph.personalData ? { personalData: o.subgraph.personalData } : {}),
  });
  // yoga's request listener answers the request itself; express only routes to it.
  app.use(yoga.graphqlEndpoint, yoga.requestListener);
  finishApp(app, o.logger);
  return { app, close: () => kafkaCheck.close() };
}
