import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { FireTeamKind } from '../domain/enums.ts';
import type { FireTeamDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, phoneFor } from './refs.ts';

// Village fire forces (专/兼职消防队, 微型消防站) and each village's readiness.

const FireTeamKindEnum = builder.enumType('FireTeamKind', { values: enumValues(FireTeamKind.values, FireTeamKind.labels) });

const TeamMemberRef = builder.objectRef<FireTeamDoc['members'][number]>('FireTeamMember').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.exposeString('role', { nullable: true }),
    phone: t.string({ resolve: (m, _a, ctx) => phoneFor(ctx, m.phone) ?? '' }),
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

builder.queryFields((t) => ({
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

const UpdateFireTeamInput = builder.inputType('UpdateFireTeamInput', {
  fields: (f) => ({
    name: f.string({ required: false }),
    members: f.field({ type: [TeamMemberInput], required: false }),
    equipment: f.field({ type: [EquipmentInput], required: false }),
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
}));
