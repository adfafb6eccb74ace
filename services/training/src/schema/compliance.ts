import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import DataLoader from 'dataloader';
import type { Slot } from '../domain/compliance.ts';
import { Confidence, Premises, type Requirement } from '../domain/requirements.ts';
import type { ExpiringSlot, GroupCoverage, UnitTraining } from '../service/compliance.ts';
import { who, type GraphContext } from './context.ts';
import { TrainingPersonRef, TrainingRoleRef } from './people.ts';
import { builder } from './refs.ts';

// Required-training rules (应训规则), compliance lists and coverage, and Unit.training.

const PremisesRef = builder.enumType('TrainingPremises', { values: enumValues(Premises.values, Premises.labels) });
const ConfidenceRef = builder.enumType('RuleConfidence', {
  description: '[C] article seen, [C2] secondary only, [L] local rule, [U] unconfirmed (local policy)',
  values: enumValues(Confidence.values, Confidence.labels),
});

const RequirementRef = builder.objectRef<Requirement>('TrainingRequirement').implement({
  description: '应训规则: data a county changes, with how well it is confirmed',
  fields: (t) => ({
    id: t.exposeID('_id'),
    version: t.exposeInt('version'),
    role: t.field({ type: TrainingRoleRef, resolve: (r) => r.role }),
    premises: t.field({ type: PremisesRef, resolve: (r) => r.premises }),
    courseIds: t.exposeStringList('courseIds'),
    intervalMonths: t.exposeInt('intervalMonths', { nullable: true, description: 'null: as long as the certificate is valid' }),
    confidence: t.field({ type: ConfidenceRef, resolve: (r) => r.confidence }),
    source: t.exposeString('source'),
    localPolicy: t.exposeBoolean('localPolicy', {
      description: 'The interval or rule is platform/county policy, not a confirmed national rule',
    }),
    active: t.exposeBoolean('active'),
    changedAt: t.exposeString('changedAt'),
    changedBy: t.exposeString('changedBy'),
  }),
});

const SlotRef = builder.objectRef<Slot>('TrainingSlot').implement({
  description: 'One required person-role assignment and whether valid training covers it',
  fields: (t) => ({
    role: t.field({ type: TrainingRoleRef, resolve: (s) => s.role }),
    personId: t.exposeID('personId', { nullable: true, description: 'null: nobody is registered for this key-unit role' }),
    requirementId: t.exposeID('requirementId', { nullable: true }),
    covered: t.exposeBoolean('covered'),
    coveredUntil: t.exposeString('coveredUntil', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const UnitTrainingRef = builder.objectRef<UnitTraining>('UnitTraining').implement({
  description: 'Who at the unit is trained (已培训), who is missing (未培训/未登记), and the coverage ratio',
  fields: (t) => ({
    unitId: t.exposeID('unitId'),
    unitName: t.exposeString('unitName'),
    keyUnit: t.exposeBoolean('keyUnit'),
    required: t.exposeInt('required'),
    covered: t.exposeInt('covered'),
    coverage: t.exposeFloat('coverage', { nullable: true, description: '0..1; null when nothing is required' }),
    vacantRoles: t.field({ type: [TrainingRoleRef], resolve: (u) => u.vacantRoles }),
    certified: t.field({ type: [SlotRef], resolve: (u) => u.slots.filter((s) => s.covered) }),
    missing: t.field({ type: [SlotRef], resolve: (u) => u.slots.filter((s) => !s.covered) }),
    people: t.field({ type: [TrainingPersonRef], resolve: (u) => u.people }),
  }),
});

const ExpiringRef = builder.objectRef<ExpiringSlot>('TrainingExpiry').implement({
  fields: (t) => ({
    person: t.field({ type: TrainingPersonRef, resolve: (e) => e.person }),
    role: t.field({ type: TrainingRoleRef, resolve: (e) => e.role }),
    requirementId: t.exposeID('requirementId', { nullable: true }),
    unitId: t.exposeID('unitId', { nullable: true }),
    villageCode: t.exposeString('villageCode', { nullable: true }),
    expiresAt: t.exposeString('expiresAt'),
  }),
});

const GroupCoverageRef = builder.objectRef<GroupCoverage>('TrainingCoverageGroup').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Village code, unit category or supervising department' }),
    required: t.exposeInt('required'),
    covered: t.exposeInt('covered'),
    coverage: t.exposeFloat('coverage', { nullable: true }),
  }),
});

const CoverageByRef = builder.enumType('TrainingCoverageBy', {
  values: enumValues(['village', 'category', 'department'] as const, {
    village: { zh: '按村（社区）', en: 'By village or community' },
    category: { zh: '按单位类别', en: 'By unit category' },
    department: { zh: '按行业主管部门', en: 'By supervising department' },
  }),
});

const ChangeRequirementInput = builder.inputType('ChangeTrainingRequirementInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    courseIds: t.idList(),
    intervalMonths: t.int(),
    active: t.boolean(),
    reason: t.string({ required: true }),
  }),
});

// One batch per request for a page of units (Unit.training resolved once per unit).
const unitLoaders = new WeakMap<GraphContext, DataLoader<string, UnitTraining | null>>();
function unitLoader(ctx: GraphContext): DataLoader<string, UnitTraining | null> {
  let loader = unitLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => ctx.services.compliance.unitTraining(who(ctx), ids), { maxBatchSize: 200 });
    unitLoaders.set(ctx, loader);
  }
  return loader;
}

/** The registry's Unit (owned by entities), extended with its training coverage. Other areas add fields with builder.objectFields(UnitRef, …). */
export const UnitRef = builder.externalRef('Unit', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    training: t.field({
      type: UnitTrainingRef,
      nullable: true,
      description: 'Training of the unit’s key people (null when the unit is outside your jurisdiction)',
      resolve: (u, _a, ctx) => unitLoader(ctx).load(u.id),
    }),
  }),
});

builder.queryFields((t) => ({
  trainingRequirements: t.field({
    type: [RequirementRef],
    resolve: (_r, _a, ctx) => ctx.services.requirements.list(who(ctx)),
  }),
  keyUnitsMissingTraining: t.field({
    type: [UnitTrainingRef],
    description: 'Key units whose responsible person or safety manager is unregistered or has no valid training',
    args: { first: t.arg.int() },
    resolve: (_r, a, ctx) => ctx.services.compliance.keyUnitsMissing(who(ctx), a.first ?? undefined),
  }),
  trainingExpiring: t.field({
    type: [ExpiringRef],
    description: 'People whose training for a role they hold stops counting within the given days',
    args: { withinDays: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.compliance.expiring(who(ctx), a.withinDays),
  }),
  trainingCoverage: t.field({
    type: [GroupCoverageRef],
    description: 'Share of required person-role assignments covered, per village, unit category or supervising department',
    args: { by: t.arg({ type: CoverageByRef, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.compliance.coverageBy(who(ctx), a.by),
  }),
}));

builder.mutationFields((t) => ({
  changeTrainingRequirement: t.field({
    type: RequirementRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: ChangeRequirementInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      // An explicit null interval means "as long as the certificate is valid"; other nulls are absent.
      ctx.services.requirements.change(who(ctx), {
        ...dropNulls(input),
        ...(input.intervalMonths === null ? { intervalMonths: null } : {}),
      }),
  }),
}));
