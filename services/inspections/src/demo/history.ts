import type { Identity } from '@firegov/auth';
import type { Logger } from '@firegov/kit';
import type { Redis } from 'ioredis';
import type { Services } from '../schema/context.ts';
import type { InspectionsDeps } from '../service/deps.ts';
import { sweepOnce } from '../service/escalation-sweep.ts';
import type { HazardIndex } from '../store/hazard-index.ts';
import type { UnitRefDoc } from '../store/models.ts';

export const DEMO_COUNTY = '500230000000';
const loader: Identity = { subject: 'demo-loader', role: 'county_admin', jurisdiction: DEMO_COUNTY };
const DAY = 86_400_000;

/** A movable clock: the demo writes six weeks of history through the real commands, then returns to now. */
export class DemoClock {
  t: number;
  constructor(t: number) {
    this.t = t;
  }
  now = (): Date => new Date(this.t);
}

// Deterministic choices, so two loads of the same registry make the same history.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CAMPAIGN_OF: Record<string, string> = {
  factory: 'factory_warehouse_review',
  warehouse: 'factory_warehouse_review',
  logistics: 'factory_warehouse_review',
  business_self_built_house: 'business_self_built_house',
  high_rise: 'high_rise_risk_clearance',
};

const GENERIC_ITEMS = [
  { itemCode: 'extinguishers', note: '灭火器压力不足或过期' },
  { itemCode: 'evacuation', note: '疏散通道堆放杂物' },
  { itemCode: 'wiring', note: '电气线路私拉乱接' },
  { itemCode: 'emergency_lighting', note: '应急照明灯损坏' },
];

export interface HistorySummary {
  inspections: number;
  hazards: number;
  escalated: number;
  reports: number;
  skipped: boolean;
}

/**
 * Six weeks of demo work in the demo county: village screenings (排查) of about one unit in twelve,
 * campaign checklists where the unit is targeted, rectification orders, some fixed and re-inspected,
 * some left to run past their deadline — then one escalation sweep at the real time, so the overdue
 * and listed-supervision queues have something in them. Written through the service's own commands
 * with a clock set back; loading twice adds nothing.
 */
export async function loadHistory(opts: {
  services: Services;
  deps: InspectionsDeps & { clock: DemoClock };
  redis: Redis;
  index: HazardIndex;
  logger: Logger;
}): Promise<HistorySummary> {
  const { services, deps } = opts;
  const summary: HistorySummary = { inspections: 0, hazards: 0, escalated: 0, reports: 0, skipped: false };
  if (await deps.models.hazards.exists({ demo: true })) return { ...summary, skipped: true };
  const realNow = Date.now();
  const units = (await deps.models.units.find({ demo: true, status: 'active' }).lean<UnitRefDoc[]>()).sort((a, b) =>
    a._id < b._id ? -1 : 1,
  );
  const random = rng(119);
  const picked = units.filter(() => random() < 1 / 12);
  for (const [i, unit] of picked.entries()) {
    deps.clock.t = realNow - 42 * DAY + Math.floor((i / picked.length) * 30 * DAY);
    const campaignKey = CAMPAIGN_OF[unit.category];
    const campaign = campaignKey ? await services.campaigns.byKey(campaignKey) : null;
    const items = campaign ? campaign.checklist.map((c) => ({ itemCode: c.code, note: c.zh })) : GENERIC_ITEMS;
    const failing = items.filter(() => random() < 0.3).slice(0, 2);
    const results = items.map((it) =>
      failing.includes(it)
        ? { itemCode: it.itemCode, outcome: 'fail', note: it.note }
        : { itemCode: it.itemCode, outcome: 'pass' },
    );
    const { hazardIds } = await services.inspections.record(loader, {
      unitId: unit._id,
      kind: random() < 0.2 ? 'department_verification' : 'village_screening',
      ...(campaign ? { campaignKey: campaign._id } : {}),
      inspectedAt: deps.clock.now().toISOString(),
      inspectors: ['演示检查员'],
      results,
    });
    summary.inspections += 1;
    summary.hazards += hazardIds.length;
    if (summary.inspections % 250 === 0)
      opts.logger.info({ done: summary.inspections, total: picked.length }, 'demo inspections written');
    for (const id of hazardIds) {
      const roll = random();
      if (roll < 0.15) continue; // found, no order yet
      await services.hazards.command(loader, id, {
        kind: 'issue_order',
        deadline: new Date(deps.clock.t + (7 + Math.floor(random() * 21)) * DAY).toISOString(),
        responsibleParty: `${unit.name} 负责人`,
        measures: '按检查意见整改，整改完成后报村（社区）复查',
      });
      if (roll < 0.55) continue; // left to run: some pass their deadline
      deps.clock.t += 5 * DAY;
      await services.hazards.command(loader, id, { kind: 'report_rectified', notes: '已整改' });
      if (roll < 0.7) {
        deps.clock.t -= 5 * DAY;
        continue; // awaiting re-inspection
      }
      await services.hazards.command(loader, id, { kind: 'reinspect', passed: true, notes: '复查合格' });
      deps.clock.t -= 5 * DAY;
    }
  }
  deps.clock.t = realNow;
  const swept = await sweepOnce({
    redis: opts.redis,
    index: opts.index,
    hazards: services.hazards,
    now: new Date(realNow),
    logger: opts.logger,
  });
  summary.escalated = swept.escalated;
  for (const r of DEMO_REPORTS) {
    await services.reports.submit(r.body, { jurisdictionId: r.jurisdiction, clientKey: 'demo' });
    summary.reports += 1;
  }
  return summary;
}

const DEMO_REPORTS = [
  {
    jurisdiction: '500230213201',
    body: {
      service_code: 'ebike_indoor',
      description: '青龙村场镇某出租房楼道内每晚有多辆电动车充电（演示数据）',
      address_string: '青龙乡青龙村场镇街',
      anonymous: true,
    },
  },
  {
    jurisdiction: '500230213000',
    body: {
      service_code: 'blocked_exit',
      description: '场镇超市后门安全出口长期上锁（演示数据）',
      lat: 29.88,
      long: 107.73,
      contact: { name: '李先生', phone: '13800138000' },
    },
  },
];
