import { maskMobile } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import {
  ActivityKind,
  type RankingFactor,
  type RankingRow,
  type RankingWeights,
  type Volunteer,
  type VolunteerActivity,
} from '../domain/volunteers.ts';
import { who } from './context.ts';
import { PeriodInput } from './outreach-refs.ts';
import { personal } from './personal.ts';
import { builder } from './refs.ts';

// Volunteers (消防志愿者), their activities and hours, and the best-volunteer ranking.

const ActivityKindRef = builder.enumType('VolunteerActivityKind', {
  values: enumValues(ActivityKind.values, ActivityKind.labels),
});

const ActivityRef = builder.objectRef<VolunteerActivity>('VolunteerActivity').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ActivityKindRef, resolve: (a) => a.kind }),
    date: t.exposeString('date'),
    hoursClaimed: t.exposeFloat('hoursClaimed'),
    status: t.exposeString('status', { description: 'claimed | confirmed | rejected' }),
    confirmedHours: t.exposeFloat('confirmedHours', { nullable: true }),
    confirmedBy: t.exposeString('confirmedBy', { nullable: true }),
  }),
});

const VolunteerRef = builder.objectRef<Volunteer>('Volunteer').implement({
  description: '消防志愿者; the phone is masked for roles that do not need it.',
  fields: (t) => ({
    id: t.exposeID('_id'),
    name: t.exposeString('name'),
    phone: t.string({ resolve: (v, _a, ctx, info) => personal(ctx, info, v.phone, maskMobile) ?? '' }),
    villageCode: t.exposeString('villageCode'),
    personId: t.exposeString('personId', { nullable: true }),
    activities: t.field({ type: [ActivityRef], resolve: (v) => v.activities }),
    recognitions: t.stringList({ resolve: (v) => v.recognitions.map((r) => `${r.date} ${r.title}`) }),
  }),
});

const FactorRef = builder.objectRef<RankingFactor>('VolunteerRankingFactor').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    quantity: t.exposeFloat('quantity'),
    weight: t.exposeFloat('weight'),
    points: t.exposeFloat('points'),
  }),
});
const RankingRowRef = builder.objectRef<RankingRow>('VolunteerRankingRow').implement({
  fields: (t) => ({
    volunteerId: t.exposeID('volunteerId'),
    name: t.exposeString('name'),
    villageCode: t.exposeString('villageCode'),
    score: t.exposeFloat('score', { description: 'the sum of the factors’ points' }),
    factors: t.field({ type: [FactorRef], resolve: (r) => r.factors }),
  }),
});
const WeightsRef = builder.objectRef<RankingWeights>('VolunteerRankingWeights').implement({
  fields: (t) => ({
    perConfirmedHour: t.exposeFloat('perConfirmedHour'),
    perActivity: t.exposeFloat('perActivity'),
    perRecognition: t.exposeFloat('perRecognition'),
    confidence: t.exposeString('confidence'),
    source: t.exposeString('source'),
  }),
});
const RankingRef = builder
  .objectRef<{ from: string; to: string; weights: RankingWeights; rows: RankingRow[] }>('VolunteerRanking')
  .implement({
    fields: (t) => ({
      from: t.exposeString('from'),
      to: t.exposeString('to'),
      weights: t.field({ type: WeightsRef, resolve: (r) => r.weights }),
      rows: t.field({ type: [RankingRowRef], resolve: (r) => r.rows }),
    }),
  });

const RegisterVolunteerInput = builder.inputType('RegisterVolunteerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    villageCode: t.string({ required: true }),
    personId: t.string(),
  }),
});
const RecordActivityInput = builder.inputType('RecordVolunteerActivityInput', {
  fields: (t) => ({
    volunteerId: t.id({ required: true }),
    kind: t.field({ type: ActivityKindRef, required: true }),
    date: t.string({ required: true }),
    hours: t.float({ required: true }),
    description: t.string(),
  }),
});
const ConfirmActivityInput = builder.inputType('ConfirmVolunteerActivityInput', {
  fields: (t) => ({
    volunteerId: t.id({ required: true }),
    activityId: t.id({ required: true }),
    hours: t.float(),
    reject: t.boolean(),
  }),
});
const RecogniseInput = builder.inputType('RecogniseVolunteerInput', {
  fields: (t) => ({
    volunteerId: t.id({ required: true }),
    title: t.string({ required: true }),
    date: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  volunteers: t.field({
    type: [VolunteerRef],
    args: { villageCode: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.volunteers.list(who(ctx), a.villageCode),
  }),
  volunteerRanking: t.field({
    type: RankingRef,
    description: 'Best volunteers of a period; each score is the sum of its factors (confirmed hours, activities, recognitions).',
    args: { period: t.arg({ type: PeriodInput, required: true }), first: t.arg.int() },
    resolve: (_r, a, ctx) => ctx.services.volunteers.ranking(who(ctx), a.period, a.first),
  }),
}));

builder.mutationFields((t) => ({
  registerVolunteer: t.field({
    type: VolunteerRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RegisterVolunteerInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.volunteers.register(who(ctx), dropNulls(input)),
  }),
  recordVolunteerActivity: t.field({
    type: ActivityRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordActivityInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.volunteers.recordActivity(who(ctx), dropNulls(input)),
  }),
  confirmVolunteerActivity: t.field({
    type: ActivityRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: ConfirmActivityInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.volunteers.confirmActivity(who(ctx), dropNulls(input)),
  }),
  recogniseVolunteer: t.field({
    type: VolunteerRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecogniseInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.volunteers.recognise(who(ctx), dropNulls(input)),
  }),
}));
