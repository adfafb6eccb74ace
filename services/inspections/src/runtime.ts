import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { InspectionsEnv } from './env.ts';
import { hazardIndex, type HazardIndex } from './store/hazard-index.ts';
import { inspectionsModels, outboxCollections, type InspectionsModels } from './store/models.ts';

export interface InspectionsRuntime extends ServiceRuntime<InspectionsModels> {
  index: HazardIndex;
}

/** Connects to the store, Redis and Kafka and starts the outbox relay; the Redis indexes live under REDIS_KEY_PREFIX. */
export async function startRuntime(env: Omit<InspectionsEnv, 'JWT_SECRET'>, logger: Logger): Promise<InspectionsRuntime> {
  const rt = await startServiceRuntime({ service: 'inspections', env, logger, models: inspectionsModels, outboxCollections });
  return { ...rt, index: hazardIndex(env.REDIS_KEY_PREFIX) };
}

export const stopRuntime = stopServiceRuntime;
