import type { ListEscalationPolicy } from './domain/departments.ts';
import { personalDataReadPublisher, type Publisher } from '@firegov/events';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { readinessPolicySchema, type ReadinessPolicy } from './domain/readiness.ts';
import { createGraphContext, type Services } from './schema/context.ts';
import { entitiesPolicy } from './policy.ts';
import { entitiesSubgraphSchema } from './schema/index.ts';
import { personalDataReadService } from './service/personal-data-reads.ts';
import { registryService } from './service/registry.ts';
import { unitService } from './service/units.ts';
import type { EntitiesModels } from './store/models.ts';
import { dutyTallies, type DutyTallies } from './store/duty-tallies.ts';
import { unitCounts, type UnitCounts } from './store/unit-counts.ts';
import { unitIndex, type UnitIndex } from './store/unit-index.ts';
import { personalDataTrail, type PersonalDataTrail } from './store/personal-data-trail.ts';

export interface EntitiesAppDeps extends ServiceAppDeps<EntitiesModels> {
  /** Publishes the records of personal data this subgraph shows unmasked. */
  publisher: Pick<Publisher, 'publish'>;
  /** Prefix of the Redis keys this service writes (the unit read models). */
  redisPrefix?: string;
  /** Village fire-force readiness targets; the defaults of domain/readiness.ts when absent. */
  readinessPolicy?: ReadinessPolicy;
  listEscalation?: ListEscalationPolicy;
}

/** Builds the service without listening, so tests can start it on port 0. */
export function createEntitiesApp(deps: EntitiesAppDeps): {
  app: Express;
  services: Services;
  counts: UnitCounts;
  index: UnitIndex;
  duty: DutyTallies;
  trail: PersonalDataTrail;
  closeReadiness: () => Promise<void>;
} {
  const prefix = deps.redisPrefix ?? 'firegov:entities:';
  const counts = unitCounts(deps.redis, prefix, deps.logger);
  const index = unitIndex(deps.redis, prefix, deps.logger, deps.models);
  const duty = dutyTallies({ models: deps.models, redis: deps.redis, prefix, logger: deps.logger });
  const trail = personalDataTrail({ models: deps.models, redis: deps.redis, prefix, logger: deps.logger });
  const serviceDeps = {
    models: deps.models,
    relay: deps.relay,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    counts,
    index,
    duty,
    ...(deps.readinessPolicy ? { readinessPolicy: readinessPolicySchema.parse(deps.readinessPolicy) } : {}),
    ...(deps.listEscalation ? { listEscalation: deps.listEscalation } : {}),
  };
  const services: Services = {
    units: unitService(serviceDeps),
    registry: registryService(serviceDeps),
    personalData: personalDataReadService(trail),
  };
  const { app, close } = createServiceApp({
    ...deps,
    subgraph: {
      schema: entitiesSubgraphSchema(),
      policy: entitiesPolicy,
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
      personalData: personalDataReadPublisher(deps.publisher, 'entities'),
    },
  });
  const closeAll = async () => {
    await close();
    await index.close();
  };
  return { app, services, counts, index, duty, trail, closeReadiness: closeAll };
}
