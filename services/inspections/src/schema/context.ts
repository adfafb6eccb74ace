import type { Identity } from '@firegov/auth';
import DataLoader from 'dataloader';
import { requireIdentity } from '../service/access.ts';
import type { CampaignService } from '../service/campaigns.ts';
import type { CaseService } from '../service/cases.ts';
import type { DelegationService } from '../service/delegations.ts';
import type { HazardService } from '../service/hazards.ts';
import type { InspectionService } from '../service/inspections.ts';
import type { QueueService } from '../service/queues.ts';
import type { ReportService } from '../service/reports.ts';
import type { SupervisionService } from '../service/supervision.ts';
import type { UnitViews } from '../service/unit-views.ts';
import type { HazardDoc, InspectionDoc, ScheduleDoc } from '../store/models.ts';

export interface Services {
  hazards: HazardService;
  inspections: InspectionService;
  campaigns: CampaignService;
  queues: QueueService;
  reports: ReportService;
  cases: CaseService;
  delegations: DelegationService;
  unitViews: UnitViews;
  supervision: SupervisionService;
}

interface UnitListKey {
  unitId: string;
  limit: number;
  openOnly: boolean;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
  loaders: {
    openCount: DataLoader<string, number | null>;
    unitHazards: DataLoader<UnitListKey, HazardDoc[], string>;
    unitInspections: DataLoader<{ unitId: string; limit: number }, InspectionDoc[], string>;
    unitSchedule: DataLoader<string, ScheduleDoc | null>;
  };
}

/** One context per request: loaders batch the Unit fields of a whole list into one Redis round trip. */
export function createGraphContext(services: Services, identity: Identity | undefined): GraphContext {
  const who = () => requireIdentity(identity);
  return {
    identity,
    services,
    loaders: {
      openCount: new DataLoader((ids) => services.unitViews.openCounts(who(), ids), { maxBatchSize: 200 }),
      unitSchedule: new DataLoader((ids) => services.supervision.byUnits(who(), ids), { maxBatchSize: 200 }),
      unitHazards: new DataLoader(
        async (keys) => {
          // Keys of one batch share their arguments in practice (one field on a list of units).
          const limit = Math.max(...keys.map((k) => k.limit));
          const [all, open] = await Promise.all([
            services.unitViews.hazards(
              who(),
              keys.filter((k) => !k.openOnly).map((k) => k.unitId),
              { openOnly: false, limit },
            ),
            services.unitViews.hazards(
              who(),
              keys.filter((k) => k.openOnly).map((k) => k.unitId),
              { openOnly: true, limit },
            ),
          ]);
          let a = 0;
          let o = 0;
          return keys.map((k) => ((k.openOnly ? open[o++] : all[a++]) ?? []).slice(0, k.limit));
        },
        { maxBatchSize: 200, cacheKeyFn: (k) => `${k.unitId}:${k.limit}:${k.openOnly}` },
      ),
      unitInspections: new DataLoader(
        async (keys) => {
          const limit = Math.max(...keys.map((k) => k.limit));
          const lists = await services.unitViews.inspections(
            who(),
            keys.map((k) => k.unitId),
            limit,
          );
          return keys.map((k, i) => (lists[i] ?? []).slice(0, k.limit));
        },
        { maxBatchSize: 200, cacheKeyFn: (k) => `${k.unitId}:${k.limit}` },
      ),
    },
  };
}

export const who = (ctx: GraphContext): Identity => requireIdentity(ctx.identity);
