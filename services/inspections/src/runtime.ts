import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { InspectionsToolEnv } from './env.ts';
import { hazardIndex, type HazardIndex } from './store/hazard-index.ts';
import { inspectionsModels, outboxCollections, type InspectionsModels } from './store/models.ts';

export type InspectionsRuntime = ServiceRuntime<InspectionsModels> & { index: HazardIndex };

/** The inspections store: what the process, the demo loader and the read-model tools open. */
export const inspectionsStore: ServiceStore<InspectionsModels> = {
  service: 'inspections',
  models: inspectionsModels,
  outboxCollections,
};

/** The runtime plus the Redis hazard indexes, which live under REDIS_KEY_PREFIX. */
export const withIndex = (rt: ServiceRuntime<InspectionsModels>, redisPrefix: string): InspectionsRuntime => ({
  ...rt,
  index: hazardIndex(redisPrefix),
});

export const startRuntime = async (env: InspectionsToolEnv, logger: Logger): Promise<InspectionsRuntime> =>
  withIndex(await startServiceRuntime({ ...inspectionsStore, env, logger }), env.REDIS_KEY_PREFIX);

export const stopRuntime = stopServiceRuntime;
