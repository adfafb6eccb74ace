import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { Drill, DrillRule, OverdueDrill } from '../domain/drills.ts';
import type { TeamSession } from '../domain/team-training.ts';
import { who } from './context.ts';
import { PeriodInput } from './outreach-refs.ts';
import { builder } from './refs.ts';

// Drills (演练) with findings, the drill-frequency rules and overdue units; village fire-team training.

const DrillFindingRef = builder.objectRef<Drill['findings'][number]>('DrillFinding').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    description: t.exposeString('description'),
    severity: t.exposeString('severity', { description: 'general | major' }),
    location: t.exposeString('location', { nullable: true }),
  }),
});
const DrillRef = builder.objectRef<Drill>('Drill').implement({
  description: '演练; each finding of a unit drill becomes a hazard in inspections.',
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeString('unitId', { nullable: true }),
    unitName: t.exposeString('unitName', { nullable: true }),
    villageCode: t.exposeString('villageCode'),
    scenario: t.exposeString('scenario'),
    date: t.exposeString('date'),
    place: t.exposeString('place'),
    departments: t.exposeStringList('departments'),
    participants: t.exposeInt('participants'),
    evacuationSeconds: t.exposeInt('evacuationSeconds', { nullable: true }),
    findings: t.field({ type: [DrillFindingRef], resolve: (d) => d.findings }),
  }),
});
const DrillRuleRef = builder.objectRef<DrillRule>('DrillRule').implement({
  fields: (t) => ({
    appliesTo: t.exposeString('appliesTo'),
    maxIntervalDays: t.exposeInt('maxIntervalDays'),
    confidence: t.exposeString('confidence', { description: 'C confirmed, C2 secondary, L local, U unconfirmed' }),
    source: t.exposeString('source'),
  }),
});
const OverdueRef = builder.objectRef<OverdueDrill>('OverdueDrill').implement({
  fields: (t) => ({
    unitId: t.exposeID('unitId'),
    name: t.exposeString('name'),
    villageCode: t.exposeString('villageCode'),
    rule: t.field({ type: DrillRuleRef, resolve: (o) => o.rule }),
    lastDrillOn: t.exposeString('lastDrillOn', { nullable: true }),
    overdueByDays: t.exposeInt('overdueByDays'),
  }),
});

const TeamSessionRef = builder.objectRef<TeamSession>('FireTeamTrainingSession').implement({
  description: '村消防队训练',
  fields: (t) => ({
    id: t.exposeID('_id'),
    teamId: t.exposeID('teamId'),
    villageCode: t.exposeString('villageCode'),
    date: t.exposeString('date'),
    hours: t.exposeFloat('hours'),
    participants: t.exposeInt('participants'),
    content: t.exposeString('content'),
  }),
});
const TeamHoursRef = builder
  .objectRef<{ teamId: string; villageCode: string; sessions: number; hours: number }>('FireTeamTrainingHours')
  .implement({
    fields: (t) => ({
      teamId: t.exposeID('teamId'),
      villageCode: t.exposeString('villageCode'),
      sessions: t.exposeInt('sessions'),
      hours: t.exposeFloat('hours'),
    }),
  });

const RecordDrillInput = builder.inputType('RecordDrillInput', {
  fields: (t) => ({
    unitId: t.id(),
    villageCode: t.string(),
    scenario: t.string({ required: true }),
    date: t.string({ required: true }),
    place: t.string({ required: true }),
    departments: t.stringList({ required: true }),
    participants: t.int({ required: true }),
    evacuationSeconds: t.int(),
    findings: t.field({
      type: [
        builder.inputType('DrillFindingInput', {
          fields: (f) => ({
            description: f.string({ required: true }),
            severity: f.string({ required: true }),
            location: f.string(),
          }),
        }),
      ],
    }),
  }),
});
const RecordTeamSessionInput = builder.inputType('RecordFireTeamSessionInput', {
  fields: (t) => ({
    teamId: t.id({ required: true }),
    date: t.string({ required: true }),
    hours: t.float({ required: true }),
    participants: t.int({ required: true }),
    content: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  drills: t.field({
    type: [DrillRef],
    args: { period: t.arg({ type: PeriodInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.drills.list(who(ctx), a.period),
  }),
  drillRules: t.field({ type: [DrillRuleRef], resolve: (_r, _a, ctx) => ctx.services.drills.rules() }),
  overdueDrills: t.field({
    type: [OverdueRef],
    description: 'Active units of the caller’s jurisdiction whose last drill is older than their rule allows (or none).',
    args: { limit: t.arg.int() },
    resolve: (_r, a, ctx) => ctx.services.drills.overdue(who(ctx), dropNulls(a)),
  }),
  fireTeamTraining: t.field({
    type: [TeamHoursRef],
    args: { period: t.arg({ type: PeriodInput, required: true }) },
    resolve: async (_r, a, ctx) => (await ctx.services.teamTraining.hours(who(ctx), a.period)).teams,
  }),
}));

builder.mutationFields((t) => ({
  recordDrill: t.field({
    type: DrillRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordDrillInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.drills.record(who(ctx), dropNulls(input)),
  }),
  recordFireTeamSession: t.field({
    type: TeamSessionRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordTeamSessionInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.teamTraining.record(who(ctx), dropNulls(input)),
  }),
}));
