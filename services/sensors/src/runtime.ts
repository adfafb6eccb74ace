import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { SensorsToolEnv } from './env.ts';
import { sensorsModels, outboxCollections, type SensorsModels } from './store/models.ts';

export type SensorsRuntime = ServiceRuntime<SensorsModels>;

/** The sensors store: what the process and its command-line tools open. */
export const sensorsStore: ServiceStore<SensorsModels> = { service: 'sensors', models: sensorsModels, outboxCollections };

export const startRuntime = (env: SensorsToolEnv, logger: Logger): Promise<SensorsRuntime> =>
  startServiceRuntime({ ...sensorsStore, env, logger });

export const stopRuntime = stopServiceRuntime;
