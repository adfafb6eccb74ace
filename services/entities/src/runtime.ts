import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { Logger } from '@firegov/kit';
import type { EntitiesToolEnv } from './env.ts';
import { entitiesModels, outboxCollections, type EntitiesModels } from './store/models.ts';

export type EntitiesRuntime = ServiceRuntime<EntitiesModels>;

/** The entities store: what the process, the demo loader and the read-model tools open. */
export const entitiesStore: ServiceStore<EntitiesModels> = { service: 'entities', models: entitiesModels, outboxCollections };

export const startRuntime = (env: EntitiesToolEnv, logger: Logger): Promise<EntitiesRuntime> =>
  startServiceRuntime({ ...entitiesStore, env, logger });

export const stopRuntime = stopServiceRuntime;
