import { personalDataReadPublisher, type Publisher } from '@firegov/events';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { DEFAULT_POLICY, type EscalationPolicy } from './domain/escalation.ts';
import { publicReportsRouter } from './http/public-reports.ts';
import { createGraphContext, type Services } from './schema/context.ts';
import { inspectionsPolicy } from './policy.ts';
import { inspectionsSubgraphSchema } from './schema/index.ts';
import { campaignService } from './service/campaigns.ts';
import { delegationService } from './service/delegations.ts';
import { caseService } from './service/cases.ts';
import type { InspectionsDeps } from './service/deps.ts';
import { hazardService } from './service/hazards.ts';
import { inspectionService } from './service/inspections.ts';
import { queueService } from './service/queues.ts';
import { reportService } from './service/reports.ts';
import { supervisionService } from './service/supervision.ts';
import { scheduleIndex } from './store/schedule-index.ts';
import { unitViews } from './service/unit-views.ts';
import type { InspectionsRuntime } from './runtime.ts';
import type { InspectionsModels } from './store/models.ts';

/** The connections the app uses (tests pass their own), and the service's settings. */
export interface InspectionsAppDeps extends ServiceAppDeps<InspectionsModels>, Pick<InspectionsRuntime, 'index'> {
  /** Publishes the records of personal data (reporters' names and phones) this subgraph shows unmasked. */
  publisher: Pick<Publisher, 'publish'>;
  homeJurisdiction: string;
  publicRatePerMinute: number;
  policy?: EscalationPolicy;
}

export function buildServices(deps: InspectionsDeps): Services {
  const hazards = hazardService(deps);
  const campaigns = campaignService(deps);
  const inspections = inspectionService(deps, hazards, campaigns);
  const delegations = delegationService(deps);
  return {
    hazards,
    campaigns,
    inspections,
    queues: queueService(deps, hazards),
    reports: reportService(deps, hazards),
    cases: caseService(deps, delegations),
    delegations,
    unitViews: unitViews(deps, hazards, inspections),
    supervision: supervisionService({ ...deps, schedules: scheduleIndex(deps.redis, deps.index.prefix) }),
  };
}

/** Builds the service without listening, so tests can start it on port 0. */
export function createInspectionsApp(deps: InspectionsAppDeps): {
  app: Express;
  services: Services;
  serviceDeps: InspectionsDeps;
  closeReadiness: () => Promise<void>;
} {
  const serviceDeps: InspectionsDeps = {
    models: deps.models,
    redis: deps.redis,
    index: deps.index,
    relay: deps.relay,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    policy: deps.policy ?? DEFAULT_POLICY,
    homeJurisdiction: deps.homeJurisdiction,
  };
  const services = buildServices(serviceDeps);
  const { app, close } = createServiceApp({
    ...deps,
    routes: [
      publicReportsRouter({
        reports: services.reports,
        redis: deps.redis,
        logger: deps.logger,
        perMinute: deps.publicRatePerMinute,
        keyPrefix: deps.index.prefix,
      }),
    ],
    subgraph: {
      schema: inspectionsSubgraphSchema(),
      policy: inspectionsPolicy,
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
      personalData: personalDataReadPublisher(deps.publisher, 'inspections'),
    },
  });
  return { app, services, serviceDeps, closeReadiness: close };
}
