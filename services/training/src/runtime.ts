import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { TrainingToolEnv } from './env.ts';
import { trainingModels, outboxCollections, type TrainingModels } from './store/models.ts';

export type TrainingRuntime = ServiceRuntime<TrainingModels>;

/** The training store: what the process and its command-line tools open. */
export const trainingStore: ServiceStore<TrainingModels> = { service: 'training', models: trainingModels, outboxCollections };

export const startRuntime = (env: TrainingToolEnv, logger: Logger): Promise<TrainingRuntime> =>
  startServiceRuntime({ ...trainingStore, env, logger });

export const stopRuntime = stopServiceRuntime;
