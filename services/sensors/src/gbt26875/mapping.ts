import { KIND_SPECS } from '../domain/kinds.ts';
import { readingKey, type Reading, type ReadingValues } from '../domain/readings.ts';
import type { DecodedFrame } from './codec.ts';
import { COMPONENT_STATE_BITS, flagsOf, SYSTEM_STATE_BITS } from './codes.ts';
import type { InformationObject } from './objects.ts';
import { CHINA_OFFSET_MINUTES, timeLabelToDate, type TimeLabel } from './time-label.ts';

// From decoded frames to the platform's readings. A fire alarm controller behind a UITD is a device
// of kind fire_alarm_controller; each component state becomes the four booleans of its point
// "<loop>-<point>" (回路-点位), the system state those of point "0-0". Which device a frame is for is
// the service's decision (devices are bound by UITD address and system address 系统地址).

/**
 * How the 4-byte component address 部件地址 splits into loop and point. The standard does not split it
 * [S]; vendors differ [V], so it is a per-deployment choice.
 */
export interface PointLayout {
  name: string;
  split(componentAddress: number): { loop: number; point: number };
  join(loop: number, point: number): number;
}

/**
 * The first word on the wire (low 16 bits) is the loop: "0A 00 02 00 = zone 10, point 2" in one vendor
 * document and Hikvision's loop (2 LE) + node (2 LE) [V]. The default: two sources against one.
 */
export const LOOP_IN_LOW_WORD: PointLayout = {
  name: 'loop-in-low-word',
  split: (a) => ({ loop: a & 0xffff, point: a >>> 16 }),
  join: (loop, point) => ((point << 16) | loop) >>> 0,
};

/** The other reading (one Java platform, and the fact sheet's worked example E1: 0x00030019 = loop 3, point 25). */
export const LOOP_IN_HIGH_WORD: PointLayout = {
  name: 'loop-in-high-word',
  split: (a) => ({ loop: a >>> 16, point: a & 0xffff }),
  join: (loop, point) => ((loop << 16) | point) >>> 0,
};

export const CONTROLLER_POINT = '0-0';

/** The controller at `systemAddress` behind the UITD with this address (12 hex digits, wire order). */
export type DeviceResolver = (uitdAddress: string, systemAddress: number) => string | undefined;

export interface MappingInput {
  frame: DecodedFrame;
  resolveDevice: DeviceResolver;
  /** The controllers behind the frame's UITD: UITD-level frames (heartbeat, type 21 …) prove they are reachable. */
  devicesBehind: readonly string[];
  receivedAt: Date;
  pointLayout?: PointLayout;
  /** Offset of the time labels from UTC; UTC+8 unless a device is known to differ [U]. */
  offsetMinutes?: number;
}

export type SkipReason =
  /** No device bound to this UITD address and system address. */
  | 'UNBOUND_SYSTEM'
  /** The component address does not make a point the device kind accepts (loop ≤ 999, point ≤ 9999). */
  | 'POINT_OUT_OF_RANGE'
  /** A type without a measurement of fire_alarm_controller (analog values, operations, versions …). */
  | 'NOT_MAPPED';

export interface Skipped {
  type: number;
  reason: SkipReason;
  systemAddress?: number;
  componentAddress?: number;
}

export interface MappingResult {
  readings: Reading[];
  skipped: Skipped[];
  /** Objects whose time label named no real date: they took the frame's time (or the receive time). */
  clockFallbacks: number;
}

// Power and bus faults are faults of the controller; bit 0 (normal/test) is ignored on purpose, as
// devices send fire with it cleared (fact sheet §5 deviation 1).
function systemValues(state: number): ReadingValues {
  const f = flagsOf(SYSTEM_STATE_BITS, state);
  const fault = f.fault || f.mainPowerFault || f.backupPowerFault || f.busFault;
  return { fire: f.fire, fault, shielded: f.shielded, supervisory: f.supervisory };
}

function componentValues(state: number): ReadingValues {
  const f = flagsOf(COMPONENT_STATE_BITS, state);
  return { fire: f.fire, fault: f.fault || f.powerFault, shielded: f.shielded, supervisory: f.supervisory };
}

const pointPattern = KIND_SPECS.fire_alarm_controller.point!.pattern;

export function mapFrame(input: MappingInput): MappingResult {
  const { frame } = input;
  const uitd = frame.source.hex;
  const layout = input.pointLayout ?? LOOP_IN_LOW_WORD;
  const offset = input.offsetMinutes ?? CHINA_OFFSET_MINUTES;
  const frameTime = timeLabelToDate(frame.time, offset);
  let clockFallbacks = 0;
  const timeOf = (t: TimeLabel | undefined): string => {
    const d = t ? timeLabelToDate(t, offset) : undefined;
    if (t && !d) clockFallbacks++;
    return (d ?? frameTime ?? input.receivedAt).toISOString();
  };

  const byKey = new Map<string, Reading>();
  const add = (r: Reading): void => {
    // Two objects for one point and second: the later one completes the state (one reading, not a duplicate).
    const key = readingKey(r);
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, values: { ...prev.values, ...r.values } } : r);
  };
  const alive = new Set<string>();
  const skipped: Skipped[] = [];
  const objects: readonly InformationObject[] = frame.adu?.kind === 'objects' ? frame.adu.objects : [];
  if (frame.adu === null || frame.adu.kind === 'unknown') for (const d of input.devicesBehind) alive.add(d);

  for (const o of objects) {
    if (!('systemAddress' in o)) {
      // UITD-level information (state, operations, versions, clock): the link and the UITD are alive.
      for (const d of input.devicesBehind) alive.add(d);
      continue;
    }
    const deviceId = input.resolveDevice(uitd, o.systemAddress);
    if (!deviceId) {
      skipped.push({ type: o.type, reason: 'UNBOUND_SYSTEM', systemAddress: o.systemAddress });
      continue;
    }
    alive.add(deviceId);
    if (o.type === 1) {
      add({ deviceId, at: timeOf(o.time), point: CONTROLLER_POINT, values: systemValues(o.state) });
    } else if (o.type === 2) {
      const { loop, point } = layout.split(o.componentAddress);
      const name = `${loop}-${point}`;
      if (!pointPattern.test(name)) {
        skipped.push({
          type: 2,
          reason: 'POINT_OUT_OF_RANGE',
          systemAddress: o.systemAddress,
          componentAddress: o.componentAddress,
        });
        continue;
      }
      add({ deviceId, at: timeOf(o.time), point: name, values: componentValues(o.state) });
    } else {
      skipped.push({ type: o.type, reason: 'NOT_MAPPED', systemAddress: o.systemAddress });
    }
  }

  const readings = [...byKey.values()];
  const withValues = new Set(readings.map((r) => r.deviceId));
  // A bare heartbeat (values {}) for every device this frame proves reachable and gave no state to.
  for (const deviceId of alive)
    if (!withValues.has(deviceId)) readings.push({ deviceId, at: input.receivedAt.toISOString(), values: {} });
  return { readings, skipped, clockFallbacks };
}

/** The system addresses a frame's objects name, so the service can resolve them before mapping. */
export function systemAddressesOf(frame: DecodedFrame): number[] {
  if (frame.adu?.kind !== 'objects') return [];
  return [...new Set(frame.adu.objects.flatMap((o) => ('systemAddress' in o ? [o.systemAddress] : [])))];
}

/** Whether the frame carries UITD-level information, which proves every controller behind it reachable. */
export function isUitdLevel(frame: DecodedFrame): boolean {
  return frame.adu === null || frame.adu.kind === 'unknown' || frame.adu.objects.some((o) => !('systemAddress' in o));
}
