import { enumValues, type Page } from '@firegov/service';
import { QUEUES, type QueueStats } from '../service/queues.ts';
import type { HazardDoc } from '../store/models.ts';
import { who } from './context.ts';
import { queueArgs, queueRequest } from './queue-args.ts';
import { builder, HazardRef, PageInfoRef } from './refs.ts';

// 工作台账 and statistics: hazards by queue per jurisdiction, counts per village, township or
// campaign, and 清零 — all read from the Redis indexes (service/queues.ts).

const QueueEnum = builder.enumType('HazardQueue', {
  description: '工作台账: which work queue',
  values: enumValues(QUEUES, {
    overdue: { zh: '逾期未整改', en: 'Past the rectification deadline' },
    due_soon: { zh: '临期', en: 'Deadline within the next days' },
    listed: { zh: '挂牌督办', en: 'Under listed supervision' },
    awaiting_reinspection: { zh: '待复查', en: 'Awaiting re-inspection' },
    open: { zh: '未销号', en: 'Open (not closed)' },
    closed: { zh: '已销号', en: 'Closed after re-inspection' },
  }),
});

const HazardConnectionRef = builder.objectRef<Page<HazardDoc>>('HazardConnection').implement({
  fields: (t) => ({
    totalCount: t.int({ resolve: (p) => p.totalCount() }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
    nodes: t.field({ type: [HazardRef], resolve: (p) => p.nodes }),
  }),
});

const StatsRef = builder.objectRef<QueueStats & { campaignKey?: string; openEnforcementCases?: number; cleared?: boolean }>(
  'HazardStatistics',
);
StatsRef.implement({
  description: 'Found, rectified (closed after re-inspection), open, overdue and listed, with the rectification rate',
  fields: (t) => ({
    jurisdictionCode: t.exposeString('code'),
    name: t.exposeString('name'),
    campaignKey: t.exposeString('campaignKey', { nullable: true }),
    found: t.exposeInt('found'),
    rectified: t.exposeInt('rectified'),
    open: t.exposeInt('open'),
    openMajor: t.exposeInt('openMajor'),
    overdue: t.exposeInt('overdue'),
    listed: t.exposeInt('listed'),
    rectificationRate: t.exposeFloat('rectificationRate', { nullable: true }),
    openEnforcementCases: t.exposeInt('openEnforcementCases', { nullable: true }),
    cleared: t.exposeBoolean('cleared', { nullable: true, description: '清零: nothing open and no open enforcement case' }),
  }),
});

builder.queryFields((t) => ({
  hazardQueue: t.field({
    type: HazardConnectionRef,
    description:
      'Work queues per jurisdiction: OVERDUE (deadline passed, oldest first), DUE_SOON (within `withinDays`, default 7), LISTED (挂牌督办), AWAITING_REINSPECTION, OPEN, CLOSED',
    args: queueArgs(QueueEnum),
    resolve: (_r, args, ctx) => ctx.services.queues.queue(who(ctx), queueRequest(args)),
  }),
  hazardStatistics: t.field({
    type: [StatsRef],
    description: 'Per village (under a township) or per township (under a county); optionally within one campaign',
    args: { jurisdictionCode: t.arg.string({ required: false }), campaignKey: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.byJurisdiction(who(ctx), args.jurisdictionCode, args.campaignKey),
  }),
  campaignStatistics: t.field({
    type: [StatsRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.byCampaign(who(ctx), args.jurisdictionCode),
  }),
  clearToZero: t.field({
    type: [StatsRef],
    description: '清零: what is still open in the jurisdiction (first row) and under each child jurisdiction',
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.clearToZero(who(ctx), args.jurisdictionCode),
  }),
}));
