import { maskName, maskResidentId } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, enumValues, type Page } from '@firegov/service';
import { PreventionDevice, Vulnerability } from '../domain/enums.ts';
import type { HouseholdDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, ContactInput, pageFields, phoneFor, unmaskedFor } from './refs.ts';

// Vulnerable households (空巢老人, 留守儿童, 老弱病残) and the prevention devices given to them.

const VulnerabilityEnum = builder.enumType('Vulnerability', {
  description: '空巢老人 / 留守儿童 / 老弱病残',
  values: enumValues(Vulnerability.values, Vulnerability.labels),
});
const DeviceEnum = builder.enumType('PreventionDevice', { values: enumValues(PreventionDevice.values, PreventionDevice.labels) });

const MemberRef = builder.objectRef<HouseholdDoc['members'][number]>('HouseholdMember').implement({
  fields: (t) => ({
    name: t.string({ resolve: (m, _a, ctx, info) => (unmaskedFor(ctx, info) ? m.name : maskName(m.name)) }),
    phone: t.string({ nullable: true, resolve: (m, _a, ctx, info) => phoneFor(ctx, m.phone, info) }),
    idNumber: t.string({
      nullable: true,
      resolve: (m, _a, ctx, info) => (m.idNumber ? (unmaskedFor(ctx, info) ? m.idNumber : maskResidentId(m.idNumber)) : null),
    }),
    vulnerabilities: t.field({ type: [VulnerabilityEnum], resolve: (m) => m.vulnerabilities }),
  }),
});
const DeviceRef = builder.objectRef<HouseholdDoc['devices'][number]>('InstalledDevice').implement({
  fields: (t) => ({
    kind: t.field({ type: DeviceEnum, resolve: (d) => d.kind }),
    count: t.exposeInt('count'),
    installedOn: t.exposeString('installedOn'),
  }),
});
const HelperRef = builder.objectRef<{ name: string; phone: string }>('Helper').implement({
  description: '一对一帮扶',
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.string({ resolve: (h, _a, ctx, info) => phoneFor(ctx, h.phone, info) ?? '' }),
  }),
});
const HouseholdRef = builder.objectRef<HouseholdDoc>('Household').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true }),
    address: t.exposeString('address'),
    members: t.field({ type: [MemberRef], resolve: (h) => h.members }),
    installedDevices: t.field({
      type: [DeviceRef],
      description:
        'Prevention devices declared at registration or by the last update (kind and count); the connected ones are `devices` (sensors)',
      resolve: (h) => h.devices,
    }),
    helper: t.field({ type: HelperRef, nullable: true, resolve: (h) => h.helper ?? null }),
    demo: t.exposeBoolean('demo'),
    version: t.int({ description: 'For updateHousehold(expectedVersion)', resolve: (h) => h.version ?? 1 }),
    updatedAt: t.string({ nullable: true, resolve: (h) => h.updatedAt ?? null }),
  }),
});
// An entity, so sensors can add the household's connected devices (Household.devices).
builder.asEntity(HouseholdRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.services.registry.household(who(ctx), ref.id),
});

const HouseholdConnectionRef = builder.objectRef<Page<HouseholdDoc>>('HouseholdConnection').implement({
  fields: (t) => ({ ...pageFields(t), nodes: t.field({ type: [HouseholdRef], resolve: (p) => p.nodes }) }),
});

const MemberInput = builder.inputType('HouseholdMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    idNumber: t.string({ required: false }),
    phone: t.string({ required: false }),
    vulnerabilities: t.field({ type: [VulnerabilityEnum], required: true }),
  }),
});
const DeviceInput = builder.inputType('InstalledDeviceInput', {
  fields: (t) => ({
    kind: t.field({ type: DeviceEnum, required: true }),
    count: t.int({ required: true }),
    installedOn: t.string({ required: true }),
  }),
});

const UpdateHouseholdInput = builder.inputType('UpdateHouseholdInput', {
  fields: (f) => ({
    address: f.string({ required: false }),
    members: f.field({ type: [MemberInput], required: false }),
    devices: f.field({ type: [DeviceInput], required: false }),
    helper: f.field({ type: ContactInput, required: false }),
    expectedVersion: f.int({ required: false }),
  }),
});

builder.queryFields((t) => ({
  households: t.field({
    type: HouseholdConnectionRef,
    args: {
      jurisdictionCode: t.arg.string({ required: false }),
      first: t.arg.int({ required: false }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => ctx.services.registry.households(who(ctx), a.jurisdictionCode, a.first, a.after),
  }),
}));

builder.mutationFields((t) => ({
  registerHousehold: t.field({
    type: HouseholdRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterHouseholdInput', {
          fields: (f) => ({
            jurisdictionCode: f.string({ required: true }),
            gridCode: f.string({ required: false }),
            address: f.string({ required: true }),
            members: f.field({ type: [MemberInput], required: true }),
            devices: f.field({ type: [DeviceInput], required: true }),
            helper: f.field({ type: ContactInput, required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerHousehold(who(ctx), dropNulls(input)),
  }),
  updateHousehold: t.field({
    type: HouseholdRef,
    errors: { types: [AppError] },
    description: 'Members, devices, the helper (一对一帮扶) or the address changed: lists are replaced whole',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateHouseholdInput, required: true }) },
    resolve: (_r, { id, input }, ctx) => ctx.services.registry.updateHousehold(who(ctx), String(id), dropNulls(input)),
  }),
}));
