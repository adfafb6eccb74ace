import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { AssessmentEnv } from './env.ts';
import { assessmentModels, outboxCollections, type AssessmentModels } from './store/models.ts';

export type AssessmentRuntime = ServiceRuntime<AssessmentModels>;

/** The assessment store: what the process and the demo loader open. */
export const assessmentStore: ServiceStore<AssessmentModels> = {
  service: 'assessment',
  models: assessmentModels,
  outboxCollections,
};

export const startRuntime = (env: AssessmentEnv, logger: Logger): Promise<AssessmentRuntime> =>
  startServiceRuntime({ ...assessmentStore, env, logger });

export const stopRuntime = stopServiceRuntime;
