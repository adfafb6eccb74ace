import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { EntitiesEnv } from './env.ts';
import { entitiesModels, outboxCollections, type EntitiesModels } from './store/models.ts';

export type EntitiesRuntime = ServiceRuntime<EntitiesModels>;

/** Connects to the store, Redis and Kafka and starts the outbox relay: what the app and the demo loader share. */
export const startRuntime = (env: Omit<EntitiesEnv, 'JWT_SECRET'>, logger: Logger): Promise<EntitiesRuntime> =>
  startServiceRuntime({ service: 'entities', env, logger, models: entitiesModels, outboxCollections });

export const stopRuntime = stopServiceRuntime;
