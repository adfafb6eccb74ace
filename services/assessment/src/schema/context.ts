import type { Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import DataLoader from 'dataloader';
import type { AgencyService } from '../service/agencies.ts';
import type { AuditService } from '../service/assessments/audits.ts';
import type { AssessmentViews } from '../service/assessments/views.ts';
import type { AssessmentDoc } from '../store/models.ts';

export interface Services {
  agencies: AgencyService;
  audits: AuditService;
  views: AssessmentViews;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
  loaders: { unitAssessments: DataLoader<string, AssessmentDoc[]> };
}

export const who = (ctx: GraphContext): Identity => {
  if (!ctx.identity) throw new AppError('UNAUTHENTICATED', 'a valid bearer token is required');
  return ctx.identity;
};

export function createGraphContext(services: Services, identity: Identity | undefined): GraphContext {
  const ctx: GraphContext = {
    identity,
    services,
    loaders: {
      unitAssessments: new DataLoader((unitIds) => services.views.ofUnits(who(ctx), unitIds), { maxBatchSize: 200 }),
    },
  };
  return ctx;
}
