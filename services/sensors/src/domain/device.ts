import { DomainError, idSchema, invalidTransition, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import type { HourBucket } from './hour-buckets.ts';
import { DeviceKind } from './kinds.ts';
import type { RuleState } from './rule-types.ts';
import type { ReadingValues } from './readings.ts';

// The device aggregate: where a device is (a unit and a place in it, or a vulnerable household),
// which gateway speaks for it, and whether it is in service. Its health (online, last seen, faults)
// is kept on the same document by the evaluator and the health sweep; what every reading moves
// (latest values, rule state) is its live state, kept apart (`DeviceLive`).

const place = textField(1, 100);
// A UITD (用户信息传输装置) address as GB/T 26875.3 frames carry it (6 bytes, hex), plus the
// controller's system address behind it, so frames from the adapter find their device.
const uitdBinding = z.strictObject({
  address: z.string().regex(/^[0-9a-f]{12}$/, 'must be the 6-byte address as 12 lower-case hex digits'),
  system: z.number().int().min(0).max(255),
});

const bindingFields = {
  unitId: idSchema.optional(),
  place: place.optional(),
  householdId: idSchema.optional(),
};

function oneBinding(
  v: { unitId?: string | undefined; householdId?: string | undefined; place?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if ((v.unitId === undefined) === (v.householdId === undefined))
    ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'give exactly one of unitId and householdId' });
  if (v.householdId !== undefined && v.place !== undefined)
    ctx.addIssue({ code: 'custom', path: ['place'], message: 'a household device has no place inside a unit' });
}

export const registerDeviceInput = z
  .strictObject(
    {
      /** The vendor's own id of the device (IMEI, serial); the platform id is derived from it. */
      serial: z.string().regex(/^[A-Za-z0-9_.:-]{4,64}$/, 'must be 4 to 64 letters, digits or _.:-'),
      kind: DeviceKind.schema,
      name: textField(1, 100),
      gatewayId: idSchema,
      uitd: uitdBinding.optional(),
      ...bindingFields,
    },
    { error: typeError('an object', { namesUnknownKeys: true }) },
  )
  .superRefine(oneBinding)
  .superRefine((v, ctx) => {
    if (v.uitd && v.kind !== 'fire_alarm_controller')
      ctx.addIssue({
        code: 'custom',
        path: ['uitd'],
        message: 'only a fire_alarm_controller is reached through a transmission device',
      });
  });
export type RegisterDeviceInput = z.output<typeof registerDeviceInput>;

export const moveDeviceInput = z
  .strictObject({ id: idSchema, ...bindingFields }, { error: typeError('an object', { namesUnknownKeys: true }) })
  .superRefine(oneBinding);
export type MoveDeviceInput = z.output<typeof moveDeviceInput>;

/** Where a device is, resolved against the registry view: what the caller may not choose. */
export interface Site {
  unitId?: string;
  place?: string;
  householdId?: string;
  scope: string[];
}

export interface PointState {
  at: string;
  values: ReadingValues;
}

/** A fault condition that has lasted; `reported` is the fault id once it became a hazard. */
export interface FaultCondition {
  since: string;
  reported?: string;
}

export interface Device extends Site {
  _id: string;
  version: number;
  serial: string;
  kind: DeviceKind;
  name: string;
  gatewayId: string;
  uitd?: { address: string; system: number };
  status: 'active' | 'retired';
  registeredAt: string;
  registeredBy: string;
  changedAt: string;
  online: boolean;
  /**
   * When the device last spoke, as the health sweep reads it: refreshed at most every quarter of
   * its offline allowance (capped at a minute); the exact time is in its live state.
   */
  lastSeenAt?: string;
  /** Conditions that become hazards when they last (offline, fault, shielded, low_pressure). */
  faults: Record<string, FaultCondition>;
  /** Some fault condition is active: what the health sweep looks for (indexed). */
  faulty?: boolean;
  /** The last battery level reported (smoke detectors): what the low-battery report counts. */
  batteryPercent?: number;
}

/** What a device's readings move, reading by reading; written behind by the evaluator's checkpoints. */
export interface DeviceLive {
  /** Latest reading per point (SINGLE_POINT for a single-point device), merged value by value. */
  latest: Record<string, PointState>;
  ruleStates: Record<string, RuleState>;
  /** The profile version `ruleStates` were built under (a county's profile change starts them afresh). */
  ruleStatesVersion: number;
  lastSeenAt?: string;
  batteryPercent?: number;
  /**
   * Each point's bucket of the hour in progress: written to the history once the hour is over, so
   * a bucket is stored once, whole, and counted exactly once whatever is replayed.
   */
  hours?: Record<string, HourBucket>;
}

export const NO_LIVE_STATE: DeviceLive = { latest: {}, ruleStates: {}, ruleStatesVersion: 0 };

/** The key of a single-point device's latest reading (field names cannot be empty in every store). */
export const SINGLE_POINT = '_';

/** Platform id of a gateway's device: stable, so a gateway re-registering the same serial is refused, not duplicated. */
export const deviceIdOf = (gatewayId: string, serial: string): string =>
  `dev_${gatewayId.replace(/^gw_/, '')}_${serial.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 120);

export function newDevice(input: RegisterDeviceInput, site: Site, meta: { now: Date; actor: string }): Device {
  const at = meta.now.toISOString();
  return {
    _id: deviceIdOf(input.gatewayId, input.serial),
    version: 1,
    serial: input.serial,
    kind: input.kind,
    name: input.name,
    gatewayId: input.gatewayId,
    ...(input.uitd ? { uitd: input.uitd } : {}),
    ...site,
    status: 'active',
    registeredAt: at,
    registeredBy: meta.actor,
    changedAt: at,
    // A new device is offline until it first speaks.
    online: false,
    faults: {},
  };
}

function requireActive(device: Device, action: string): void {
  if (device.status !== 'active') throw invalidTransition(action, device.status, ['active']);
}

/** The aggregate fields a move changes; live state stays (the device is the same device). */
export function movedDevice(
  device: Device,
  site: Site,
  now: Date,
): Pick<Device, 'unitId' | 'place' | 'householdId' | 'scope' | 'version' | 'changedAt'> {
  requireActive(device, 'move');
  if (device.unitId === site.unitId && device.householdId === site.householdId && device.place === site.place)
    throw new DomainError('VALIDATION_FAILED', 'the device is already there', [
      { path: '$.unitId', reason: 'is where the device already is' },
    ]);
  return { ...site, version: device.version + 1, changedAt: now.toISOString() };
}

export function retiredDevice(device: Device, now: Date): Pick<Device, 'status' | 'version' | 'changedAt'> {
  requireActive(device, 'retire');
  return { status: 'retired', version: device.version + 1, changedAt: now.toISOString() };
}
