import { RiskGrade } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { enumValues, type Page } from '@firegov/service';
import { daysOverdue } from '../domain/supervision.ts';
import { DUE_QUEUES, type CountyIntervals } from '../service/supervision.ts';
import type { ScheduleDoc } from '../store/models.ts';
import { who } from './context.ts';
import { queueArgs, queueRequest } from './queue-args.ts';
import { EscalationRef } from './hazards.ts';
import { builder, PageInfoRef } from './refs.ts';
import { UnitRef } from './units.ts';

// 分级分类监管 (seed task 11): inspection intervals by risk grade, each unit's next inspection, and
// the queue of units due and overdue for one.

const RiskGradeEnum = builder.enumType('RiskGrade', {
  description: '风险等级 (four-colour risk grade)',
  values: enumValues(RiskGrade.values, RiskGrade.labels),
});

const DueQueueEnum = builder.enumType('InspectionDueQueue', {
  description: '检查到期: which units of the due queue',
  values: enumValues(DUE_QUEUES, {
    overdue: { zh: '逾期未检查', en: 'Past the due date, not inspected' },
    due_soon: { zh: '即将到期', en: 'Due within the next days' },
    all: { zh: '全部', en: 'Every active unit, by due date' },
  }),
});

export const ScheduleRef = builder.objectRef<ScheduleDoc>('InspectionSchedule').implement({
  description:
    '分级分类监管: when a unit is next due for inspection by its risk grade — one interval after its last inspection by someone else (自查 does not count), or after it became known',
  fields: (t) => ({
    unitId: t.exposeID('_id'),
    unit: t.field({
      type: UnitRef,
      description: 'The registry unit (resolved by the entities service)',
      resolve: (s) => ({ id: s._id }),
    }),
    villageCode: t.exposeString('villageCode'),
    grade: t.field({ type: RiskGradeEnum, resolve: (s) => s.grade }),
    intervalMonths: t.exposeInt('intervalMonths', { description: 'The county’s interval for the grade' }),
    knownSince: t.exposeString('knownSince'),
    lastInspectedAt: t.exposeString('lastInspectedAt', { nullable: true }),
    dueAt: t.exposeString('dueAt'),
    daysOverdue: t.int({ resolve: (s, _a, ctx) => daysOverdue(s.dueAt, ctx.services.supervision.now()) }),
    escalation: t.field({ type: EscalationRef, resolve: (s) => s.escalation }),
  }),
});

const ScheduleConnectionRef = builder.objectRef<Page<ScheduleDoc>>('InspectionScheduleConnection').implement({
  fields: (t) => ({
    totalCount: t.int({ resolve: (p) => p.totalCount() }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
    nodes: t.field({ type: [ScheduleRef], resolve: (p) => p.nodes }),
  }),
});

const IntervalsRef = builder.objectRef<CountyIntervals>('InspectionIntervals').implement({
  description: 'A county’s inspection interval per risk grade, in months (version 0: the defaults)',
  fields: (t) => ({
    countyCode: t.exposeString('countyCode'),
    major: t.int({ resolve: (p) => p.intervals.major }),
    significant: t.int({ resolve: (p) => p.intervals.significant }),
    general: t.int({ resolve: (p) => p.intervals.general }),
    low: t.int({ resolve: (p) => p.intervals.low }),
    version: t.exposeInt('version'),
    changedAt: t.exposeString('changedAt', { nullable: true }),
  }),
});

const IntervalsInput = builder.inputType('InspectionIntervalsInput', {
  description: 'Months between inspections per grade, 1–24; a higher grade never less often than a lower one',
  fields: (t) => ({
    major: t.int({ required: true }),
    significant: t.int({ required: true }),
    general: t.int({ required: true }),
    low: t.int({ required: true }),
  }),
});

builder.objectField(UnitRef, 'inspectionSchedule', (t) =>
  t.field({
    type: ScheduleRef,
    nullable: true,
    description: '分级分类监管: when the unit is next due for inspection (null outside your jurisdiction)',
    resolve: (u, _a, ctx) => ctx.loaders.unitSchedule.load(u.id),
  }),
);

builder.queryFields((t) => ({
  inspectionIntervals: t.field({
    type: IntervalsRef,
    description: 'Your county’s inspection interval per risk grade',
    resolve: (_r, _a, ctx) => ctx.services.supervision.intervals(who(ctx)),
  }),
  inspectionsDue: t.field({
    type: ScheduleConnectionRef,
    description:
      '检查到期: units due for inspection by their risk grade, earliest first — OVERDUE, DUE_SOON (within `withinDays`, default 30) or ALL',
    args: queueArgs(DueQueueEnum),
    resolve: (_r, args, ctx) => ctx.services.supervision.queue(who(ctx), queueRequest(args)),
  }),
}));

builder.mutationFields((t) => ({
  setInspectionIntervals: t.field({
    type: IntervalsRef,
    description: 'County administrators: the interval per grade; every unit’s next inspection moves (within minutes)',
    errors: { types: [AppError] },
    args: { input: t.arg({ type: IntervalsInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.supervision.setIntervals(who(ctx), input),
  }),
}));
