import { AppError } from '@firegov/kit';
import DataLoader from 'dataloader';
import { dropNulls, enumValues } from '@firegov/service';
import { NO_LIVE_STATE, SINGLE_POINT, type Device, type DeviceLive, type PointState } from '../domain/device.ts';
import { DeviceKind, KIND_SPECS, measurementOf } from '../domain/kinds.ts';
import { staffActor } from '../service/devices.ts';
import { who, type GraphContext } from './context.ts';
import { builder, pageRef } from './refs.ts';

// Devices (物联网感知设备): where they are, whether they speak, what they last said.

// A page of devices reads its live state in one query per request.
const liveLoaders = new WeakMap<GraphContext, DataLoader<string, DeviceLive>>();
function liveOf(ctx: GraphContext, id: string): Promise<DeviceLive> {
  let loader = liveLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, DeviceLive>(
      async (ids) => {
        const found = await ctx.services.devices.live(ids);
        return ids.map((i) => found.get(i) ?? NO_LIVE_STATE);
      },
      { maxBatchSize: 200 },
    );
    liveLoaders.set(ctx, loader);
  }
  return loader.load(id);
}

export const DeviceKindEnum = builder.enumType('DeviceKind', { values: enumValues(DeviceKind.values, DeviceKind.labels) });

const MeasurementValueRef = builder
  .objectRef<{ name: string; value: number | boolean; unit?: string | undefined; label: string }>('MeasurementValue')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      label: t.exposeString('label', { description: 'zh-CN name of the measurement' }),
      number: t.float({ nullable: true, resolve: (m) => (typeof m.value === 'number' ? m.value : null) }),
      flag: t.boolean({ nullable: true, resolve: (m) => (typeof m.value === 'boolean' ? m.value : null) }),
      unit: t.string({ nullable: true, resolve: (m) => m.unit ?? null }),
    }),
  });

export function valuesOf(kind: DeviceKind, values: Record<string, number | boolean>) {
  return Object.entries(values).map(([name, value]) => {
    const m = measurementOf(kind, name);
    return { name, value, unit: m?.unit, label: m?.zh ?? name };
  });
}

const PointReadingRef = builder.objectRef<{ kind: DeviceKind; point: string; state: PointState }>('PointReading').implement({
  description:
    'The latest value of each measurement at one point (channel, socket, loop-point); kept forever, unlike hourly history.',
  fields: (t) => ({
    point: t.string({ nullable: true, resolve: (p) => (p.point === SINGLE_POINT ? null : p.point) }),
    at: t.string({ resolve: (p) => p.state.at }),
    values: t.field({ type: [MeasurementValueRef], resolve: (p) => valuesOf(p.kind, p.state.values) }),
  }),
});

const FaultRef = builder.objectRef<{ condition: string; since: string; reported: boolean }>('DeviceFault').implement({
  description:
    'A fault condition now active (offline, fault, shielded, low_pressure); reported = it became a hazard in inspections.',
  fields: (t) => ({
    condition: t.exposeString('condition'),
    since: t.exposeString('since'),
    reported: t.exposeBoolean('reported'),
  }),
});

export const DeviceRef = builder.objectRef<Device>('Device').implement({
  description: 'A monitoring device bound to a unit (and a place in it) or to a vulnerable household.',
  fields: (t) => ({
    id: t.exposeID('_id'),
    serial: t.exposeString('serial', { description: "The vendor's id (IMEI, serial)" }),
    kind: t.field({ type: DeviceKindEnum, resolve: (d) => d.kind }),
    kindLabel: t.string({ resolve: (d) => DeviceKind.label(d.kind) }),
    name: t.exposeString('name'),
    gatewayId: t.exposeID('gatewayId'),
    unitId: t.exposeID('unitId', { nullable: true }),
    place: t.exposeString('place', { nullable: true }),
    householdId: t.exposeID('householdId', { nullable: true }),
    status: t.exposeString('status'),
    online: t.exposeBoolean('online'),
    lastSeenAt: t.string({
      nullable: true,
      description: 'When the device last spoke (its live state, written every checkpoint)',
      resolve: async (d, _a, ctx) => (await liveOf(ctx, d._id)).lastSeenAt ?? d.lastSeenAt ?? null,
    }),
    batteryPercent: t.float({
      nullable: true,
      resolve: async (d, _a, ctx) => (await liveOf(ctx, d._id)).batteryPercent ?? d.batteryPercent ?? null,
    }),
    registeredAt: t.exposeString('registeredAt'),
    latest: t.field({
      type: [PointReadingRef],
      resolve: async (d, _a, ctx) =>
        Object.entries((await liveOf(ctx, d._id)).latest).map(([point, state]) => ({ kind: d.kind, point, state })),
    }),
    faults: t.field({
      type: [FaultRef],
      resolve: (d) =>
        Object.entries(d.faults ?? {}).map(([condition, f]) => ({
          condition,
          since: f.since,
          reported: f.reported !== undefined,
        })),
    }),
  }),
});

export const DevicePageRef = pageRef<Device>('Device', DeviceRef);

const UitdInput = builder.inputType('UitdBindingInput', {
  description: 'The GB/T 26875.3 user information transmission device (用户信息传输装置) a controller reports through',
  fields: (t) => ({
    address: t.string({ required: true, description: '6-byte address as 12 lower-case hex digits, as frames carry it' }),
    system: t.int({ required: true, description: 'The controller’s system address behind the transmission device' }),
  }),
});

const RegisterDeviceInput = builder.inputType('RegisterDeviceInput', {
  fields: (t) => ({
    serial: t.string({ required: true }),
    kind: t.field({ type: DeviceKindEnum, required: true }),
    name: t.string({ required: true }),
    gatewayId: t.id({ required: true }),
    unitId: t.id({ description: 'Exactly one of unitId and householdId' }),
    place: t.string({ description: 'Where in the unit (floor, room, distribution box)' }),
    householdId: t.id(),
    uitd: t.field({ type: UitdInput }),
  }),
});

const MoveDeviceInput = builder.inputType('MoveDeviceInput', {
  fields: (t) => ({ id: t.id({ required: true }), unitId: t.id(), place: t.string(), householdId: t.id() }),
});

const KindSpecRef = builder.objectRef<{ kind: DeviceKind }>('DeviceKindSpec').implement({
  description: 'What a kind measures and how readings name its points',
  fields: (t) => ({
    kind: t.field({ type: DeviceKindEnum, resolve: (k) => k.kind }),
    label: t.string({ resolve: (k) => DeviceKind.label(k.kind) }),
    point: t.string({ nullable: true, resolve: (k) => KIND_SPECS[k.kind].point?.label ?? null }),
    measurements: t.stringList({
      resolve: (k) => KIND_SPECS[k.kind].measurements.map((m) => `${m.name}${m.unit ? ` (${m.unit})` : ''}: ${m.zh}`),
    }),
  }),
});

builder.queryFields((t) => ({
  device: t.field({
    type: DeviceRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.devices.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  devices: t.field({
    type: DevicePageRef,
    description: 'Devices in service in your jurisdiction, in id order',
    args: { first: t.arg.int(), after: t.arg.string(), online: t.arg.boolean(), kind: t.arg({ type: DeviceKindEnum }) },
    resolve: (_r, a, ctx) => ctx.services.devices.list(who(ctx), a),
  }),
  deviceKinds: t.field({
    type: [KindSpecRef],
    // Public (policy.ts): what each kind measures is the platform's own reference table.
    resolve: () => DeviceKind.values.map((kind) => ({ kind })),
  }),
}));

builder.mutationFields((t) => ({
  registerDevice: t.field({
    type: DeviceRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RegisterDeviceInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.devices.register(staffActor(who(ctx)), dropNulls(input)),
  }),
  moveDevice: t.field({
    type: DeviceRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: MoveDeviceInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.devices.move(staffActor(who(ctx)), dropNulls(input)),
  }),
  retireDevice: t.field({
    type: DeviceRef,
    errors: { types: [AppError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.devices.retire(staffActor(who(ctx)), String(id)),
  }),
}));
