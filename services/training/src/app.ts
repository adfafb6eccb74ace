import { personalDataReadPublisher, type Publisher } from '@firegov/events';
import { registryLookup } from '@firegov/registry';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { createGraphContext, type Services } from './schema/context.ts';
import { trainingPolicy } from './policy.ts';
import { trainingSubgraphSchema } from './schema/index.ts';
import { learningServices } from './service/learning.ts';
import { outreachServices } from './service/outreach.ts';
import { peopleServices } from './service/people-services.ts';
import { xapiRouter } from './http/xapi.ts';
import type { TrainingModels } from './store/models.ts';

export interface TrainingAppDeps extends ServiceAppDeps<TrainingModels> {
  /** Publishes the records of personal data (people's phones and 身份证号) this subgraph shows unmasked. */
  publisher: Pick<Publisher, 'publish'>;
}

/** Builds the service without listening, so tests can start it on port 0. */
export function createTrainingApp(deps: TrainingAppDeps): {
  app: Express;
  services: Services;
  closeReadiness: () => Promise<void>;
} {
  const now = deps.now ?? (() => new Date());
  const services: Services = {
    ...learningServices({ models: deps.models, relay: deps.relay, now }),
    ...outreachServices({ models: deps.models, registry: registryLookup(deps.models), relay: deps.relay, now }),
    ...peopleServices({
      models: deps.models,
      registry: registryLookup(deps.models),
      relay: deps.relay,
      now,
      // Compliance counts the learning area's certificates (bound late: they are built in this literal).
      certificates: { validFor: (people, courses, at) => services.certificates.validFor(people, courses, at) },
    }),
  };
  const { app, close } = createServiceApp({
    ...deps,
    routes: [xapiRouter({ xapi: services.xapi, auth: deps.auth })],
    subgraph: {
      schema: trainingSubgraphSchema(),
      policy: trainingPolicy,
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
      personalData: personalDataReadPublisher(deps.publisher, 'training'),
    },
  });
  return { app, services, closeReadiness: close };
}
