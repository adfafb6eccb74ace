import { registryLookup } from '@firegov/registry';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { createGraphContext, type Services } from './schema/context.ts';
import { trainingSubgraphSchema } from './schema/index.ts';
import { courseService } from './service/course.ts';
import type { TrainingModels } from './store/models.ts';

export type TrainingAppDeps = ServiceAppDeps<TrainingModels>;

/** Builds the service without listening, so tests can start it on port 0. */
export function createTrainingApp(deps: TrainingAppDeps): {
  app: Express;
  services: Services;
  closeReadiness: () => Promise<void>;
} {
  const services: Services = {
    courses: courseService({
      models: deps.models,
      registry: registryLookup(deps.models),
      relay: deps.relay,
      now: deps.now ?? (() => new Date()),
    }),
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
