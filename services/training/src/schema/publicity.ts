import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { PublicityFormat, PublicityKind, type PublicityEvent } from '../domain/publicity.ts';
import { who } from './context.ts';
import { CountRowRef, PeriodInput, PersonInput, PersonRefRef } from './outreach-refs.ts';
import { builder } from './refs.ts';

// 五进 publicity events and their coverage.

const PublicityKindRef = builder.enumType('PublicityKind', {
  description: '五进',
  values: enumValues(PublicityKind.values, PublicityKind.labels),
});
const PublicityFormatRef = builder.enumType('PublicityFormat', {
  values: enumValues(PublicityFormat.values, PublicityFormat.labels),
});

const MaterialRef = builder.objectRef<{ kind: string; count: number }>('PublicityMaterial').implement({
  fields: (t) => ({ kind: t.exposeString('kind'), count: t.exposeInt('count') }),
});

const PublicityEventRef = builder.objectRef<PublicityEvent>('PublicityEvent').implement({
  description: '五进 publicity event (消防宣传“五进”)',
  fields: (t) => ({
    id: t.exposeID('_id'),
    kind: t.field({ type: PublicityKindRef, resolve: (e) => e.kind }),
    villageCode: t.exposeString('villageCode'),
    unitId: t.exposeString('unitId', { nullable: true }),
    unitName: t.exposeString('unitName', { nullable: true }),
    organiser: t.field({ type: PersonRefRef, resolve: (e) => e.organiser }),
    date: t.exposeString('date'),
    format: t.field({ type: PublicityFormatRef, resolve: (e) => e.format }),
    audience: t.exposeString('audience', { nullable: true }),
    attendance: t.exposeInt('attendance'),
    materials: t.field({ type: [MaterialRef], resolve: (e) => e.materials }),
  }),
});

const PublicityCoverageRef = builder
  .objectRef<{
    from: string;
    to: string;
    byKind: Array<{ key: string; events: number; attendance: number; materials: number }>;
    byVillage: Array<{ key: string; events: number; attendance: number; materials: number }>;
  }>('PublicityCoverage')
  .implement({
    fields: (t) => ({
      from: t.exposeString('from'),
      to: t.exposeString('to'),
      byKind: t.field({ type: [CountRowRef], resolve: (c) => c.byKind }),
      byVillage: t.field({ type: [CountRowRef], resolve: (c) => c.byVillage }),
    }),
  });

const RecordPublicityInput = builder.inputType('RecordPublicityInput', {
  fields: (t) => ({
    kind: t.field({ type: PublicityKindRef, required: true }),
    villageCode: t.string(),
    unitId: t.id(),
    organiser: t.field({ type: PersonInput, required: true }),
    date: t.string({ required: true }),
    format: t.field({ type: PublicityFormatRef }),
    audience: t.string(),
    attendance: t.int({ required: true }),
    materials: t.field({
      type: [
        builder.inputType('PublicityMaterialInput', {
          fields: (f) => ({ kind: f.string({ required: true }), count: f.int({ required: true }) }),
        }),
      ],
    }),
    note: t.string(),
  }),
});

builder.queryFields((t) => ({
  publicityEvents: t.field({
    type: [PublicityEventRef],
    args: { period: t.arg({ type: PeriodInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.publicity.list(who(ctx), a.period),
  }),
  publicityCoverage: t.field({
    type: PublicityCoverageRef,
    description: '五进 coverage per kind and per village over a period, in the caller’s jurisdiction.',
    args: { period: t.arg({ type: PeriodInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.publicity.coverage(who(ctx), a.period),
  }),
}));

builder.mutationFields((t) => ({
  recordPublicityEvent: t.field({
    type: PublicityEventRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordPublicityInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.publicity.record(who(ctx), dropNulls(input)),
  }),
}));
