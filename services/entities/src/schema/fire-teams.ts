import type { SchemaTypes } from '@pothos/core';
import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { FireTeamKind, MicroStationType, RescueSpeciality, TownshipTeamClass } from '../domain/enums.ts';
import type { TeamCheck } from '../domain/team-standards.ts';
import type { FireTeamDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, phoneFor } from './refs.ts';

// Village fire forces (专/兼职消防队, 微型消防站) and each village's readiness.

const FireTeamKindEnum = builder.enumType('FireTeamKind', { values: enumValues(FireTeamKind.values, FireTeamKind.labels) });
const MicroStationTypeEnum = builder.enumType('MicroStationType', {
  values: enumValues(MicroStationType.values, MicroStationType.labels),
});
const TownshipTeamClassEnum = builder.enumType('TownshipTeamClass', {
  description: 'GB/T 35547-2017 《乡镇消防队》',
  values: enumValues(TownshipTeamClass.values, TownshipTeamClass.labels),
});
const RescueSpecialityEnum = builder.enumType('RescueSpeciality', {
  description: '专业救援力量: what the force is trained and equipped for',
  values: enumValues(RescueSpeciality.values, RescueSpeciality.labels),
});

const DutyShiftRef = builder.objectRef<NonNullable<FireTeamDoc['dutyRoster']>[number]>('DutyShift').implement({
  description: '值班表: one shift, HH:MM to HH:MM (may run past midnight)',
  fields: (t) => ({ from: t.exposeString('from'), to: t.exposeString('to'), members: t.exposeStringList('members') }),
});
const CallOutRef = builder.objectRef<NonNullable<FireTeamDoc['callOuts']>[number]>('FireTeamCallOut').implement({
  description: '出动: when the call came and minutes until the first member was on scene',
  fields: (t) => ({
    at: t.exposeString('at'),
    arrivalMinutes: t.exposeFloat('arrivalMinutes'),
    incident: t.exposeString('incident'),
    membersTurnedOut: t.exposeInt('membersTurnedOut', { nullable: true }),
  }),
});
const TeamCheckRef = builder.objectRef<TeamCheck>('FireTeamCheck').implement({
  description: 'One criterion the team is held to, with the rule it comes from; warn = a local or unconfirmed figure',
  fields: (t) => ({
    code: t.exposeString('code'),
    ok: t.exposeBoolean('ok'),
    severity: t.exposeString('severity'),
    message: t.exposeString('message'),
    source: t.exposeString('source'),
  }),
});

const TeamMemberRef = builder.objectRef<FireTeamDoc['members'][number]>('FireTeamMember').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.exposeString('role', { nullable: true }),
    phone: t.string({ resolve: (m, _a, ctx, info) => phoneFor(ctx, m.phone, info) ?? '' }),
  }),
});
const EquipmentRef = builder.objectRef<FireTeamDoc['equipment'][number]>('Equipment').implement({
  fields: (t) => ({ item: t.exposeString('item'), quantity: t.exposeInt('quantity') }),
});
const FireTeamRef = builder.objectRef<FireTeamDoc>('FireTeam').implement({
  description: '专/兼职消防队 or 微型消防站',
  fields: (t) => ({
    id: t.exposeID('_id'),
    villageCode: t.exposeString('villageCode'),
    kind: t.field({ type: FireTeamKindEnum, resolve: (f) => f.kind }),
    kindLabel: t.string({ resolve: (f) => FireTeamKind.label(f.kind) }),
    name: t.exposeString('name'),
    memberCount: t.int({ resolve: (f) => f.members.length }),
    members: t.field({ type: [TeamMemberRef], resolve: (f) => f.members }),
    equipment: t.field({ type: [EquipmentRef], resolve: (f) => f.equipment }),
    version: t.int({ description: 'For updateFireTeam(expectedVersion)', resolve: (f) => f.version ?? 1 }),
    stationType: t.field({ type: MicroStationTypeEnum, nullable: true, resolve: (f) => f.stationType ?? null }),
    townshipClass: t.field({ type: TownshipTeamClassEnum, nullable: true, resolve: (f) => f.townshipClass ?? null }),
    speciality: t.field({
      type: RescueSpecialityEnum,
      nullable: true,
      resolve: (f) => (f.speciality as (typeof RescueSpeciality.values)[number] | undefined) ?? null,
    }),
    capabilities: t.stringList({ resolve: (f) => f.capabilities ?? [] }),
    dutyRoster: t.field({ type: [DutyShiftRef], resolve: (f) => f.dutyRoster ?? [] }),
    callOuts: t.field({
      type: [CallOutRef],
      description: 'The latest call-outs, newest first',
      args: { first: t.arg.int({ required: false }) },
      resolve: (f, a) => [...(f.callOuts ?? [])].reverse().slice(0, Math.min(Math.max(a.first ?? 20, 1), 200)),
    }),
    checks: t.field({
      type: [TeamCheckRef],
      description: 'Micro station (≥6 with a 站长, 24 h duty, community shifts ≥3), township class, 3-minute arrival',
      resolve: (f, _a, ctx) => ctx.services.registry.checksOf(f),
    }),
    meetsStandards: t.boolean({
      description: 'No failed check (warnings aside)',
      resolve: (f, _a, ctx) => ctx.services.registry.checksOf(f).every((c) => c.ok || c.severity === 'warn'),
    }),
  }),
});

interface ReadinessRow {
  villageCode: string;
  villageName: string;
  memberCount: number;
  required: number;
  shortBy: number;
  hasMicroStation: boolean;
  ready: boolean;
  gaps: string[];
  trainingHours: number;
  trainingTargetHours: number;
}
const ReadinessRef = builder.objectRef<ReadinessRow>('FireForceReadiness').implement({
  description: 'The seed asks each village for a 20–30 person team and a micro fire station.',
  fields: (t) => ({
    villageCode: t.exposeString('villageCode'),
    villageName: t.exposeString('villageName'),
    memberCount: t.exposeInt('memberCount'),
    required: t.exposeInt('required'),
    shortBy: t.exposeInt('shortBy'),
    hasMicroStation: t.exposeBoolean('hasMicroStation'),
    ready: t.exposeBoolean('ready'),
    gaps: t.exposeStringList('gaps'),
    trainingHours: t.exposeFloat('trainingHours', {
      description: 'hours of team training sessions in the last 365 days (training service)',
    }),
    trainingTargetHours: t.exposeFloat('trainingTargetHours', {
      description: 'the county’s yearly target; 0 = not part of readiness',
    }),
  }),
});

const TeamMemberInput = builder.inputType('FireTeamMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    role: t.string({ required: false }),
  }),
});
const EquipmentInput = builder.inputType('EquipmentInput', {
  fields: (t) => ({ item: t.string({ required: true }), quantity: t.int({ required: true }) }),
});
const DutyShiftInput = builder.inputType('DutyShiftInput', {
  fields: (t) => ({
    from: t.string({ required: true }),
    to: t.string({ required: true }),
    members: t.stringList({ required: true }),
  }),
});

interface PolicyRow {
  countyCode: string;
  requiredMembers: number;
  minTrainingHoursPerYear: number;
  changedAt?: string | undefined;
}
const PolicyRef = builder.objectRef<PolicyRow>('FireForceReadinessPolicy').implement({
  description: 'A county’s village readiness targets (the seed’s 20–30 people has no national source: at least 20)',
  fields: (t) => ({
    countyCode: t.exposeString('countyCode'),
    requiredMembers: t.exposeInt('requiredMembers'),
    minTrainingHoursPerYear: t.exposeFloat('minTrainingHoursPerYear'),
    changedAt: t.exposeString('changedAt', { nullable: true, description: 'null: the deployment’s defaults' }),
  }),
});

builder.queryFields((t) => ({
  fireForceReadinessPolicy: t.field({
    type: PolicyRef,
    description: 'Your county’s village readiness targets',
    resolve: (_r, _a, ctx) => ctx.services.registry.readinessPolicy(who(ctx)),
  }),
  fireTeams: t.field({
    type: [FireTeamRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.fireTeams(who(ctx), a.jurisdictionCode),
  }),
  fireForceReadiness: t.field({
    type: [ReadinessRef],
    args: { jurisdictionCode: t.arg.string({ required: false }), onlyGaps: t.arg.boolean({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.readiness(who(ctx), a.jurisdictionCode, a.onlyGaps ?? false),
  }),
}));

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** The fields only some kinds carry, and the duty roster: the same on registration and update. */
const kindInputFields = (f: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  stationType: f.field({ type: MicroStationTypeEnum, required: false }),
  townshipClass: f.field({ type: TownshipTeamClassEnum, required: false }),
  speciality: f.field({ type: RescueSpecialityEnum, required: false }),
  capabilities: f.stringList({ required: false }),
  dutyRoster: f.field({ type: [DutyShiftInput], required: false }),
});

const UpdateFireTeamInput = builder.inputType('UpdateFireTeamInput', {
  fields: (f) => ({
    name: f.string({ required: false }),
    members: f.field({ type: [TeamMemberInput], required: false }),
    equipment: f.field({ type: [EquipmentInput], required: false }),
    ...kindInputFields(f),
    expectedVersion: f.int({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  registerFireTeam: t.field({
    type: FireTeamRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterFireTeamInput', {
          fields: (f) => ({
            jurisdictionCode: f.string({ required: true }),
            kind: f.field({ type: FireTeamKindEnum, required: true }),
            name: f.string({ required: true }),
            members: f.field({ type: [TeamMemberInput], required: true }),
            equipment: f.field({ type: [EquipmentInput], required: true }),
            ...kindInputFields(f),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerFireTeam(who(ctx), dropNulls(input)),
  }),
  updateFireTeam: t.field({
    type: FireTeamRef,
    errors: { types: [AppError] },
    description: 'Roster, equipment or name changed: lists are replaced whole',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateFireTeamInput, required: true }) },
    resolve: (_r, { id, input }, ctx) => ctx.services.registry.updateFireTeam(who(ctx), String(id), dropNulls(input)),
  }),
  setFireForceReadinessPolicy: t.field({
    type: PolicyRef,
    errors: { types: [AppError] },
    description:
      'County administrators: the team members each village needs (at least 20) and the yearly training hours (0 = none)',
    args: { requiredMembers: t.arg.int({ required: true }), minTrainingHoursPerYear: t.arg.float({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.registry.setReadinessPolicy(who(ctx), a),
  }),
  recordFireTeamCallOut: t.field({
    type: FireTeamRef,
    errors: { types: [AppError] },
    description: '出动: a call-out of the team, for the three-minute arrival check',
    args: {
      teamId: t.arg.id({ required: true }),
      input: t.arg({
        type: builder.inputType('FireTeamCallOutInput', {
          fields: (f) => ({
            at: f.string({ required: true }),
            arrivalMinutes: f.float({ required: true }),
            incident: f.string({ required: true }),
            membersTurnedOut: f.int({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { teamId, input }, ctx) => ctx.services.registry.recordCallOut(who(ctx), String(teamId), dropNulls(input)),
  }),
}));
