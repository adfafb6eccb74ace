import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { createGraphContext, type Services } from './schema/context.ts';
import { trainingSubgraphSchema } from './schema/index.ts';
import { learningServices } from './service/learning.ts';
import type { TrainingModels } from './store/models.ts';

export type TrainingAppDeps = ServiceAppDeps<TrainingModels>;

/** Builds the service without listening, so tests can start it on port 0. */
export function createTrainingApp(deps: TrainingAppDeps): {
  app: Express;
  services: Services;
  closeReadiness: () => Promise<void>;
} {
  const now = deps.now ?? (() => new Date());
  const services: Services = {
    ...learningServices({ models: deps.models, relay: deps.relay, now }),
  };
  const { app, close } = createServiceApp({
    ...deps,
    subgraph: {
      schema: trainingSubgraphSchema(),
      jwtSecret: deps.jwtSecret,
      context: (identity) => createGraphContext(services, identity),
    },
  });
  return { app, services, closeReadiness: close };
}
