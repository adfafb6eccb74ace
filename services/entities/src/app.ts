import { createHttpApp, finishApp, mongoReadiness, redisReadiness, type Logger, type Redis } from '@firegov/kit';
import { kafkaReadiness, type OutboxRelay } from '@firegov/events';
import type { Express } from 'express';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createEntitiesYoga } from './graphql.ts';
import type { Services } from './schema/context.ts';
import { registryService } from './service/registry.ts';
import { unitService } from './service/units.ts';
import type { EntitiesModels } from './store/models.ts';
import { unitCounts, type UnitCounts } from './store/unit-counts.ts';

export interface EntitiesAppDeps {
  conn: Connection;
  models: EntitiesModels;
  redis: Redis;
  kafka: Kafka;
  relay: OutboxRelay;
  logger: Logger;
  jwtSecret: string;
  /** Prefix of the Redis keys this service writes (the village counts). */
  redisPrefix?: string;
  now?: () => Date;
  isAccepting?: () => boolean;
}

/** Builds the service without listening, so tests can start it on port 0. */
export function createEntitiesApp(deps: EntitiesAppDeps): {
  app: Express;
  services: Services;
  counts: UnitCounts;
  closeReadiness: () => Promise<void>;
} {
  const counts = unitCounts(deps.redis, deps.redisPrefix ?? 'firegov:entities:', deps.logger);
  const serviceDeps = {
    models: deps.models,
    relay: deps.relay,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    counts,
  };
  const services: Services = { units: unitService(serviceDeps), registry: registryService(serviceDeps) };
  const kafkaCheck = kafkaReadiness(deps.kafka);
  const app = createHttpApp({
    logger: deps.logger,
    readiness: [mongoReadiness(deps.conn), redisReadiness(deps.redis), kafkaCheck],
    ...(deps.isAccepting ? { isAccepting: deps.isAccepting } : {}),
  });
  const yoga = createEntitiesYoga({ services, jwtSecret: deps.jwtSecret, logger: deps.logger });
  app.use(yoga.graphqlEndpoint, yoga as never);
  finishApp(app, deps.logger);
  return { app, services, counts, closeReadiness: () => kafkaCheck.close() };
}
