import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { InspectionKind } from '../domain/inspection.ts';
import type { InspectionDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, HazardRef, InspectionRef } from './refs.ts';

// 检查: an inspection's results item by item, and the hazards its failed items became.

const InspectionKindEnum = builder.enumType('InspectionKind', {
  values: enumValues(InspectionKind.values, InspectionKind.labels),
});

const ResultRef = builder.objectRef<InspectionDoc['results'][number]>('ChecklistResult').implement({
  fields: (t) => ({
    itemCode: t.exposeString('itemCode'),
    outcome: t.exposeString('outcome'),
    note: t.exposeString('note', { nullable: true }),
    factorCodes: t.stringList({ resolve: (r) => r.factorCodes ?? [] }),
  }),
});

InspectionRef.implement({
  description: '检查 (自查, 排查, 核查, 明查暗访, 联合检查); unit name and village as they were at the time',
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeString('unitId'),
    unitName: t.string({ resolve: (i) => i.unit.name }),
    villageCode: t.string({ resolve: (i) => i.unit.villageCode }),
    villageName: t.string({ resolve: (i) => i.unit.villageName }),
    kind: t.field({ type: InspectionKindEnum, resolve: (i) => i.kind }),
    campaignKey: t.exposeString('campaignKey', { nullable: true }),
    inspectedAt: t.exposeString('inspectedAt'),
    inspectors: t.exposeStringList('inspectors'),
    results: t.field({ type: [ResultRef], resolve: (i) => i.results }),
    hazards: t.field({
      type: [HazardRef],
      resolve: async (i, _a, ctx) => (await ctx.services.hazards.byIds(who(ctx), i.hazardIds)).filter((h) => h !== null),
    }),
  }),
});

builder.queryFields((t) => ({
  inspection: t.field({
    type: InspectionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.inspections.byId(who(ctx), String(id)),
  }),
}));

const EvidenceRefInput = builder.inputType('InspectionEvidenceInput', {
  fields: (t) => ({ url: t.string({ required: true }), sha256: t.string({ required: true }) }),
});
const ResultInput = builder.inputType('ChecklistResultInput', {
  fields: (t) => ({
    itemCode: t.string({ required: true }),
    outcome: t.string({ required: true, description: 'pass, fail or not_applicable' }),
    note: t.string({ required: false }),
    factorCodes: t.stringList({ required: false }),
    evidence: t.field({ type: [EvidenceRefInput], required: false }),
  }),
});
const RecordInspectionInput = builder.inputType('RecordInspectionInput', {
  fields: (t) => ({
    unitId: t.string({ required: true }),
    kind: t.field({ type: InspectionKindEnum, required: true }),
    campaignKey: t.string({ required: false }),
    inspectedAt: t.string({ required: true }),
    inspectors: t.stringList({ required: true }),
    results: t.field({ type: [ResultInput], required: true }),
  }),
});

builder.mutationFields((t) => ({
  recordInspection: t.field({
    type: InspectionRef,
    errors: { types: [AppError] },
    description: 'Records an inspection; every failed item becomes a hazard graded by GB 35181',
    args: { input: t.arg({ type: RecordInspectionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => (await ctx.services.inspections.record(who(ctx), dropNulls(input))).inspection,
  }),
}));
