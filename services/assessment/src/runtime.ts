import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { AssessmentEnv } from './env.ts';
import { assessmentModels, outboxCollections, type AssessmentModels } from './store/models.ts';

export type AssessmentRuntime = ServiceRuntime<AssessmentModels>;

/** Connects to the store, Redis and Kafka and starts the outbox relay. */
export const startRuntime = (env: AssessmentEnv, logger: Logger): Promise<AssessmentRuntime> =>
  startServiceRuntime({ service: 'assessment', env, logger, models: assessmentModels, outboxCollections });

export const stopRuntime = stopServiceRuntime;
