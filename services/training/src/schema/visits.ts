import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { CheckResult, VisitCheck, type HouseholdRef, type Visit, type VisitCoverageRow } from '../domain/visits.ts';
import { who } from './context.ts';
import { PeriodInput, PersonInput, PersonRefRef } from './outreach-refs.ts';
import { builder } from './refs.ts';

// 敲门行动: door-knocking visits, their coverage and the priority list.

const VisitCheckRef = builder.enumType('VisitCheck', {
  description: '入户检查项目',
  values: enumValues(VisitCheck.values, VisitCheck.labels),
});
const CheckResultRef = builder.enumType('VisitCheckResult', { values: enumValues(CheckResult.values, CheckResult.labels) });

const CheckRef = builder.objectRef<Visit['checks'][number]>('VisitCheckItem').implement({
  fields: (t) => ({
    item: t.field({ type: VisitCheckRef, resolve: (c) => c.item }),
    result: t.field({ type: CheckResultRef, resolve: (c) => c.result }),
    note: t.exposeString('note', { nullable: true }),
  }),
});
const FindingRef = builder.objectRef<Visit['findings'][number]>('VisitFinding').implement({
  fields: (t) => ({
    description: t.exposeString('description'),
    fixedOnSite: t.exposeBoolean('fixedOnSite'),
    deadline: t.exposeString('deadline', { nullable: true }),
  }),
});

const VisitRef = builder.objectRef<Visit>('DoorVisit').implement({
  description: '敲门行动 visit to a household',
  fields: (t) => ({
    id: t.exposeID('_id'),
    householdId: t.exposeID('householdId'),
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true }),
    vulnerable: t.exposeBoolean('vulnerable'),
    vulnerabilities: t.exposeStringList('vulnerabilities'),
    visitor: t.field({ type: PersonRefRef, resolve: (v) => v.visitor }),
    date: t.exposeString('date'),
    checks: t.field({ type: [CheckRef], resolve: (v) => v.checks }),
    findings: t.field({ type: [FindingRef], resolve: (v) => v.findings }),
    taught: t.exposeBoolean('taught', { description: '三清三关 taught' }),
    revisitOn: t.exposeString('revisitOn', { nullable: true }),
  }),
});

const HouseholdRefRef = builder.objectRef<HouseholdRef>('OutreachHousehold').implement({
  description: 'A household entities looks after, as training knows it (no personal data).',
  fields: (t) => ({
    id: t.exposeID('_id'),
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true }),
    memberCount: t.exposeInt('memberCount'),
    vulnerabilities: t.exposeStringList('vulnerabilities'),
    lastVisitOn: t.exposeString('lastVisitOn', { nullable: true }),
  }),
});

const CoverageRowRef = builder.objectRef<VisitCoverageRow>('DoorVisitCoverageRow').implement({
  fields: (t) => ({
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true, description: 'empty for households with no grid' }),
    households: t.exposeInt('households'),
    visited: t.exposeInt('visited'),
    vulnerable: t.exposeInt('vulnerable'),
    vulnerableVisited: t.exposeInt('vulnerableVisited'),
    share: t.exposeFloat('share'),
  }),
});

const CoverageRef = builder
  .objectRef<{ from: string; to: string; byVillage: VisitCoverageRow[]; byGrid: VisitCoverageRow[] }>('DoorVisitCoverage')
  .implement({
    fields: (t) => ({
      from: t.exposeString('from'),
      to: t.exposeString('to'),
      byVillage: t.field({ type: [CoverageRowRef], resolve: (c) => c.byVillage }),
      byGrid: t.field({ type: [CoverageRowRef], resolve: (c) => c.byGrid }),
    }),
  });

const RecordVisitInput = builder.inputType('RecordDoorVisitInput', {
  fields: (t) => ({
    householdId: t.id({ required: true }),
    visitor: t.field({ type: PersonInput, required: true }),
    date: t.string({ required: true }),
    checks: t.field({
      type: [
        builder.inputType('VisitCheckInput', {
          fields: (f) => ({
            item: f.field({ type: VisitCheckRef, required: true }),
            result: f.field({ type: CheckResultRef, required: true }),
            note: f.string(),
          }),
        }),
      ],
      required: true,
    }),
    findings: t.field({
      type: [
        builder.inputType('VisitFindingInput', {
          fields: (f) => ({
            description: f.string({ required: true }),
            fixedOnSite: f.boolean({ required: true }),
            deadline: f.string(),
          }),
        }),
      ],
    }),
    taught: t.boolean(),
    revisitOn: t.string(),
  }),
});

builder.queryFields((t) => ({
  doorVisits: t.field({
    type: [VisitRef],
    args: { householdId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.visits.visitsOf(who(ctx), String(a.householdId)),
  }),
  doorVisitCoverage: t.field({
    type: CoverageRef,
    description: 'Visited vs households and vulnerable visited vs vulnerable, per village and grid, over a period.',
    args: { period: t.arg({ type: PeriodInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.visits.coverage(who(ctx), a.period),
  }),
  doorVisitPriority: t.field({
    type: [HouseholdRefRef],
    description: 'Vulnerable households not visited in the last `days` days (default 90), never visited first.',
    args: { days: t.arg.int(), limit: t.arg.int() },
    resolve: (_r, a, ctx) => ctx.services.visits.priorityList(who(ctx), dropNulls(a)),
  }),
}));

builder.mutationFields((t) => ({
  recordDoorVisit: t.field({
    type: VisitRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordVisitInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.visits.record(who(ctx), dropNulls(input)),
  }),
}));
