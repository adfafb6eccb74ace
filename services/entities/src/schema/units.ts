import { maskMobile, maskResidentId, UnitCategory } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, encodeCursor, enumValues, type Page } from '@firegov/service';
import { BuildingUse, CommitmentStatus, RiskGrade } from '../domain/enums.ts';
import type { VillageSummary } from '../domain/unit-counts.ts';
import type { UnitDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, pageFields, unmaskedFor } from './refs.ts';

// Units and premises (社会单位/场所): the federation entity `Unit`, its lists and summaries, and its commands.

const UnitCategoryEnum = builder.enumType('UnitCategory', {
  description: '单位/场所类别 (unit or premises category)',
  values: enumValues(UnitCategory.values, UnitCategory.labels),
});
const RiskGradeEnum = builder.enumType('RiskGrade', {
  description: '风险等级 (four-colour risk grade)',
  values: enumValues(RiskGrade.values, RiskGrade.labels),
});
const BuildingUseEnum = builder.enumType('BuildingUse', { values: enumValues(BuildingUse.values, BuildingUse.labels) });
const CommitmentStatusEnum = builder.enumType('CommitmentStatus', {
  description: '公示承诺 status',
  values: enumValues(CommitmentStatus.values, CommitmentStatus.labels),
});
const LocaleEnum = builder.enumType('Locale', {
  values: {
    zh_CN: { value: 'zh-CN', description: '简体中文 / Simplified Chinese' },
    en: { value: 'en', description: '英文 / English' },
  } as const,
});

type PersonDoc = { name: string; phone: string; idNumber?: string };

/** Phones and ID numbers are masked unless the caller's role works with people door to door. */
const PersonRef = builder.objectRef<PersonDoc>('Person').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.string({ resolve: (p, _a, ctx, info) => (unmaskedFor(ctx, info) ? p.phone : maskMobile(p.phone)) }),
    idNumber: t.string({
      nullable: true,
      resolve: (p, _a, ctx, info) => (p.idNumber ? (unmaskedFor(ctx, info) ? p.idNumber : maskResidentId(p.idNumber)) : null),
    }),
  }),
});

const RiskFactorRef = builder.objectRef<UnitDoc['risk']['factors'][number]>('RiskFactor').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    points: t.exposeFloat('points'),
    detail: t.exposeString('detail'),
  }),
});

const RiskRef = builder.objectRef<UnitDoc['risk']>('RiskAssessment').implement({
  description: '分级分类: the score is the sum of the listed factors (clamped to 0–100).',
  fields: (t) => ({
    score: t.exposeFloat('score'),
    grade: t.field({ type: RiskGradeEnum, resolve: (r) => r.grade }),
    gradeLabel: t.string({
      args: { locale: t.arg({ type: LocaleEnum, required: false }) },
      resolve: (r, { locale }) => RiskGrade.label(r.grade, locale ?? 'zh-CN'),
    }),
    factors: t.field({ type: [RiskFactorRef], resolve: (r) => r.factors }),
    gradedAt: t.exposeString('gradedAt'),
  }),
});

export const UnitRef = builder.objectRef<UnitDoc>('Unit').implement({
  description: '社会单位/场所: a unit or premises in the registry.',
  fields: (t) => ({
    id: t.exposeID('_id'),
    version: t.exposeInt('version'),
    status: t.exposeString('status'),
    name: t.exposeString('name'),
    creditCode: t.exposeString('creditCode', { nullable: true, description: '统一社会信用代码' }),
    category: t.field({ type: UnitCategoryEnum, resolve: (u) => u.category }),
    categoryLabel: t.string({
      args: { locale: t.arg({ type: LocaleEnum, required: false }) },
      resolve: (u, { locale }) => UnitCategory.label(u.category, locale ?? 'zh-CN'),
    }),
    countyCode: t.exposeString('countyCode'),
    townshipCode: t.exposeString('townshipCode'),
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true }),
    address: t.exposeString('address'),
    lat: t.float({ nullable: true, resolve: (u) => u.location?.lat ?? null }),
    lng: t.float({ nullable: true, resolve: (u) => u.location?.lng ?? null }),
    buildingUse: t.field({ type: BuildingUseEnum, resolve: (u) => u.buildingUse }),
    floors: t.exposeInt('floors'),
    undergroundFloors: t.exposeInt('undergroundFloors'),
    heightM: t.exposeFloat('heightM'),
    areaM2: t.exposeFloat('areaM2', { nullable: true }),
    occupancy: t.exposeInt('occupancy'),
    highRise: t.exposeBoolean('highRise', {
      description: 'GB 50016: residential > 27 m, other > 24 m (not single-storey industrial)',
    }),
    selfBuiltTarget: t.exposeBoolean('selfBuiltTarget', { description: '经营性自建房 with 10 or more occupants (seed task 10)' }),
    keyUnit: t.exposeBoolean('keyUnit', { description: '消防安全重点单位' }),
    responsiblePerson: t.field({ type: PersonRef, description: '责任人', resolve: (u) => u.responsiblePerson }),
    manager: t.field({ type: PersonRef, nullable: true, description: '管理人', resolve: (u) => u.manager ?? null }),
    supervisingDepartment: t.exposeString('supervisingDepartment', { nullable: true }),
    insuredUntil: t.string({
      nullable: true,
      description: '火灾公众责任保险 valid until',
      resolve: (u) => u.insurance?.validUntil ?? null,
    }),
    insurer: t.string({ nullable: true, resolve: (u) => u.insurance?.insurer ?? null }),
    publicCommitment: t.field({
      type: CommitmentStatusEnum,
      description: '公示承诺',
      resolve: (u) => u.publicCommitment.status,
    }),
    risk: t.field({ type: RiskRef, resolve: (u) => u.risk }),
    demo: t.exposeBoolean('demo'),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

builder.asEntity(UnitRef, {
  key: builder.selection<{ id: string }>('id'),
  // Batched through the request's DataLoader; out-of-scope units resolve to null.
  resolveReference: (ref, ctx) => ctx.loaders.unit.load(ref.id),
});

const UnitEdgeRef = builder.objectRef<{ cursor: string; node: UnitDoc }>('UnitEdge').implement({
  fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: UnitRef, resolve: (e) => e.node }) }),
});

const UnitConnectionRef = builder.objectRef<Page<UnitDoc>>('UnitConnection').implement({
  fields: (t) => ({
    ...pageFields(t),
    edges: t.field({
      type: [UnitEdgeRef],
      resolve: (p) => p.nodes.map((node) => ({ cursor: encodeCursor(node._id), node })),
    }),
    nodes: t.field({ type: [UnitRef], resolve: (p) => p.nodes }),
  }),
});

const UnitFilterInput = builder.inputType('UnitFilter', {
  fields: (t) => ({
    jurisdictionCode: t.string({ required: false, description: 'any code in the tree: county, township, village or grid' }),
    category: t.field({ type: UnitCategoryEnum, required: false }),
    riskGrade: t.field({ type: RiskGradeEnum, required: false }),
    keyUnit: t.boolean({ required: false }),
    highRise: t.boolean({ required: false }),
    selfBuiltTarget: t.boolean({ required: false }),
    search: t.string({ required: false, description: 'part of the name' }),
    includeDeregistered: t.boolean({ required: false }),
  }),
});

const ByGradeRef = builder.objectRef<VillageSummary['byGrade']>('GradeCounts').implement({
  fields: (t) => ({
    low: t.exposeInt('low'),
    general: t.exposeInt('general'),
    significant: t.exposeInt('significant'),
    major: t.exposeInt('major'),
  }),
});

const VillageSummaryRef = builder.objectRef<VillageSummary & { villageName: string | null }>('VillageSummary').implement({
  fields: (t) => ({
    villageCode: t.exposeString('villageCode'),
    villageName: t.exposeString('villageName', { nullable: true }),
    units: t.exposeInt('units'),
    keyUnits: t.exposeInt('keyUnits'),
    highRise: t.exposeInt('highRise'),
    selfBuiltTargets: t.exposeInt('selfBuiltTargets'),
    byGrade: t.field({ type: ByGradeRef, resolve: (s) => s.byGrade }),
  }),
});

builder.queryFields((t) => ({
  unit: t.field({
    type: UnitRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.units.get(who(ctx), String(id)),
  }),
  units: t.field({
    type: UnitConnectionRef,
    description: 'Units in your jurisdiction (always), narrowed by the filter; cursor pagination in registration order.',
    args: {
      filter: t.arg({ type: UnitFilterInput, required: false }),
      first: t.arg.int({ required: false }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, { filter, first, after }, ctx) => ctx.services.units.list(who(ctx), filter ?? {}, first, after),
  }),
  villageSummaries: t.field({
    type: [VillageSummaryRef],
    description: 'Per village/community: units, key units, high-rise, self-built targets, counts by risk grade.',
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: async (_r, { jurisdictionCode }, ctx) => {
      const rows = await ctx.services.units.villageSummaries(who(ctx), jurisdictionCode);
      const names = await ctx.services.registry.jurisdictionNames(rows.map((r) => r.villageCode));
      return rows.map((r, i) => ({ ...r, villageName: names[i] ?? null }));
    },
  }),
}));

// Mutations return the unit or a MutationError (typed, with each bad field named); only
// unexpected failures become GraphQL errors, and those are masked.

const LocationInput = builder.inputType('LocationInput', {
  fields: (t) => ({ lat: t.float({ required: true }), lng: t.float({ required: true }) }),
});
const PersonInput = builder.inputType('PersonInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    idNumber: t.string({ required: false }),
  }),
});
const InsuranceInput = builder.inputType('InsuranceInput', {
  fields: (t) => ({
    insurer: t.string({ required: true }),
    policyNo: t.string({ required: true }),
    validUntil: t.string({ required: true }),
  }),
});
const CommitmentInput = builder.inputType('CommitmentInput', {
  fields: (t) => ({ status: t.field({ type: CommitmentStatusEnum, required: true }), date: t.string({ required: false }) }),
});

const unitInputFields = (required: boolean) => (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  name: t.string({ required }),
  creditCode: t.string({ required: false }),
  category: t.field({ type: UnitCategoryEnum, required }),
  jurisdictionCode: t.string({ required, description: 'the village or community (12-digit code)' }),
  gridCode: t.string({ required: false }),
  address: t.string({ required }),
  location: t.field({ type: LocationInput, required: false }),
  buildingUse: t.field({ type: BuildingUseEnum, required }),
  floors: t.int({ required }),
  undergroundFloors: t.int({ required: false }),
  heightM: t.float({ required }),
  areaM2: t.float({ required: false }),
  occupancy: t.int({ required }),
  responsiblePerson: t.field({ type: PersonInput, required }),
  manager: t.field({ type: PersonInput, required: false }),
  supervisingDepartment: t.string({ required: false }),
  keyUnit: t.boolean({ required: false }),
  insurance: t.field({ type: InsuranceInput, required: false }),
  publicCommitment: t.field({ type: CommitmentInput, required: false }),
});

const RegisterUnitInput = builder.inputType('RegisterUnitInput', { fields: unitInputFields(true) });
const UpdateUnitInput = builder.inputType('UpdateUnitInput', {
  fields: (t) => ({ ...unitInputFields(false)(t), expectedVersion: t.int({ required: false }) }),
});

builder.mutationFields((t) => ({
  registerUnit: t.field({
    type: UnitRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RegisterUnitInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.units.register(who(ctx), dropNulls(input)),
  }),
  updateUnit: t.field({
    type: UnitRef,
    errors: { types: [AppError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUnitInput, required: true }) },
    resolve: (_r, { id, input }, ctx) => ctx.services.units.update(who(ctx), String(id), dropNulls(input)),
  }),
  deregisterUnit: t.field({
    type: UnitRef,
    errors: { types: [AppError] },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, { id, reason }, ctx) => ctx.services.units.deregister(who(ctx), String(id), reason),
  }),
}));
