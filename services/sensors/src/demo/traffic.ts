import type { DeviceKind } from '../domain/kinds.ts';
import type { ReadingValues } from '../domain/readings.ts';

// What the demo devices say, tick by tick (one tick = 2 s of wall-clock time). Pure and
// deterministic: the same tick gives the same readings, so tests can pin a scenario down and a
// restarted simulator carries on where the clock is. Normal values wobble inside their range; a few
// devices are faulty or low on battery all along, a few go silent after their first report, and
// episodes come round on a fixed period: a smoke alarm, residual current over the limit, a gas leak,
// an e-bike battery overheating, a hydrant main losing pressure; behind the transmission devices a
// fire on a loop point and a component fault.

export const TICK_MS = 2000;
/** A device reports every this many ticks (8 s), in its own slot: ~50 readings/s for the demo fleet. */
export const REPORT_EVERY_TICKS = 4;

export interface SimDevice {
  id: string;
  kind: DeviceKind;
  /** Position among the devices of its kind (serial order): what picks the faulty and silent ones. */
  ordinal: number;
  /** Position in the whole fleet: spreads the report slots. */
  index: number;
}

/** A reading as a gateway posts it. */
export interface OutgoingReading {
  deviceId: string;
  at: string;
  point?: string;
  values: ReadingValues;
}

/** Kinds with a `fault` measurement: one in 25 of them reports a fault all along. */
const FAULT_KINDS = new Set<DeviceKind>(['smoke_detector', 'electrical_fire_monitor', 'gas_detector']);
/** Kinds whose profile calls them offline within minutes (15 min): silent ones show up in a demo session. */
const SILENT_KINDS = new Set<DeviceKind>(['electrical_fire_monitor', 'ebike_charging_monitor']);

export const isFaulty = (d: Pick<SimDevice, 'kind' | 'ordinal'>): boolean => FAULT_KINDS.has(d.kind) && d.ordinal % 25 === 5;
export const isSilent = (d: Pick<SimDevice, 'kind' | 'ordinal'>): boolean => SILENT_KINDS.has(d.kind) && d.ordinal % 10 === 3;
export const hasLowBattery = (d: Pick<SimDevice, 'kind' | 'ordinal'>): boolean =>
  d.kind === 'smoke_detector' && d.ordinal % 30 === 11;

/** An episode: every `period` ticks one device of the kind (rotating) is abnormal for `ticks` ticks. */
interface Episode {
  period: number;
  ticks: number;
  point?: string;
  values: ReadingValues;
}

// Durations respect the default profiles' holds (hydrant low pressure must last 60 s, e-bike overheat 20 s).
const EPISODES: Partial<Record<DeviceKind, Episode>> = {
  smoke_detector: { period: 60, ticks: 3, values: { alarm: true } },
  electrical_fire_monitor: { period: 20, ticks: 10, point: '1', values: { residualCurrentMa: 420 } },
  gas_detector: { period: 150, ticks: 5, values: { lelPercent: 32 } },
  ebike_charging_monitor: { period: 120, ticks: 20, point: '1', values: { temperatureC: 66, currentA: 2.4 } },
  hydrant_pressure: { period: 300, ticks: 45, values: { pressureMpa: 0.06 } },
};

/** A small integer hash in [0, 1): the wobble of normal values, the same for the same inputs. */
export function unitNoise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return (h >>> 0) / 4_294_967_296;
}

const between = (lo: number, hi: number, n: number, digits = 1): number => Number((lo + (hi - lo) * n).toFixed(digits));

/**
 * A temperature that drifts slowly (an hour-long swing of ±`swing` °C, a little jitter): the rate-of-rise
 * rules (10 °C/min for cables, 5 °C/min for a charging battery) must see only the episodes.
 */
const drifting = (base: number, swing: number, seed: number, tick: number, jitter: number): number =>
  Number((base + swing * Math.sin((2 * Math.PI * (tick + seed * 97)) / 1800) + (jitter - 0.5) * 0.6).toFixed(1));

interface PointReading {
  point?: string;
  values: ReadingValues;
}

function normalReadings(d: SimDevice, tick: number): PointReading[] {
  const n = (salt: number) => unitNoise(d.index * 31 + salt, tick);
  const fault = isFaulty(d);
  switch (d.kind) {
    case 'smoke_detector':
      return [
        {
          values: {
            alarm: false,
            batteryPercent: hasLowBattery(d) ? 12 + (d.ordinal % 4) : 60 + ((d.ordinal * 13) % 40),
            tamper: false,
            fault,
          },
        },
      ];
    case 'electrical_fire_monitor':
      return ['1', '2'].map((point, i) => ({
        point,
        values: {
          residualCurrentMa: Math.round(between(30, 150, n(i))),
          cableTemperatureC: drifting(36, 7, d.index * 2 + i, tick, n(i + 10)),
          fault,
        },
      }));
    case 'gas_detector':
      return [{ values: { lelPercent: between(0, 3, n(1)), fault } }];
    case 'ebike_charging_monitor':
      return ['1', '2'].map((point, i) => {
        // A bike charges for a while, then the socket is idle: half-hour stretches, not a coin toss per reading.
        const charging = Math.sin((2 * Math.PI * (tick + (d.index * 2 + i) * 131)) / 900) > -0.2;
        return {
          point,
          values: {
            currentA: charging ? between(1.2, 3, n(i + 5)) : 0,
            temperatureC: drifting(28, 5, d.index * 2 + i, tick, n(i + 10)),
            smoke: false,
          },
        };
      });
    case 'hydrant_pressure':
      return [{ values: { pressureMpa: between(0.28, 0.38, n(1), 3) } }];
    case 'sprinkler_pressure':
      return [{ values: { pressureMpa: between(0.12, 0.2, n(1), 3) } }];
    case 'water_tank_level':
      return [{ values: { levelM: between(2.2, 3, n(1), 2) } }];
    case 'fire_alarm_controller':
      // Controllers speak GB/T 26875.3 through their transmission device, never REST.
      return [];
  }
}

/** Where in its episode cycle the device is at `tick`: -1 outside, 0..ticks-1 abnormal, `ticks` the first normal report after. */
function episodePhase(d: SimDevice, tick: number, kindCount: number): number {
  const e = EPISODES[d.kind];
  if (!e || kindCount === 0) return -1;
  const round = Math.floor(tick / e.period);
  // A stride of 7 walks the devices of the kind in a different order from their numbering.
  if ((round * 7) % kindCount !== d.ordinal) return -1;
  const phase = tick % e.period;
  return phase <= e.ticks ? phase : -1;
}

/**
 * The readings the REST devices send at `tick` (the simulator started at `startTick`). A device
 * reports in its slot every REPORT_EVERY_TICKS, and at every tick of its episode so the alarm and
 * its clearing come promptly.
 */
export function readingsAt(
  devices: readonly SimDevice[],
  tick: number,
  startTick: number,
  kindCounts: Readonly<Partial<Record<DeviceKind, number>>>,
): OutgoingReading[] {
  const at = new Date(tick * TICK_MS).toISOString();
  const out: OutgoingReading[] = [];
  for (const d of devices) {
    if (d.kind === 'fire_alarm_controller') continue;
    if (isSilent(d) && tick - startTick >= REPORT_EVERY_TICKS) continue;
    const phase = episodePhase(d, tick, kindCounts[d.kind] ?? 0);
    const inSlot = (tick + d.index) % REPORT_EVERY_TICKS === 0;
    if (!inSlot && phase < 0) continue;
    const episode = EPISODES[d.kind];
    for (const r of normalReadings(d, tick)) {
      const abnormal = episode && phase >= 0 && phase < episode.ticks && (episode.point ?? undefined) === r.point;
      const values = abnormal ? { ...r.values, ...episode.values } : r.values;
      out.push({ deviceId: d.id, at, ...(r.point ? { point: r.point } : {}), values });
    }
  }
  return out;
}

/** Numbers the fleet: ordinal within the kind and index overall, in serial order. */
export function simFleet(devices: ReadonlyArray<{ _id: string; kind: DeviceKind; serial: string }>): SimDevice[] {
  const sorted = [...devices].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  const seen = new Map<DeviceKind, number>();
  return sorted.map((d, index) => {
    const ordinal = seen.get(d.kind) ?? 0;
    seen.set(d.kind, ordinal + 1);
    return { id: d._id, kind: d.kind, ordinal, index };
  });
}

export function kindCountsOf(devices: readonly SimDevice[]): Partial<Record<DeviceKind, number>> {
  const counts: Partial<Record<DeviceKind, number>> = {};
  for (const d of devices) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}

// ─── Transmission devices (GB/T 26875.3) ─────────────────────────────────────────────────────────

/** One frame a demo UITD sends at a tick. */
export type UitdStep =
  | { kind: 'open'; systems: number[] }
  | { kind: 'heartbeat' }
  | { kind: 'component'; system: number; loop: number; point: number; fire?: boolean; fault?: boolean }
  | { kind: 'hang_up' };

const FIRE_PERIOD = 90;
const FIRE_TICKS = 5;
const FAULT_PERIOD = 75;
const FAULT_TICKS = 15;
/** Transmission devices send a keepalive every 20 s (vendors send one every 20-30 s [V]). */
const HEARTBEAT_TICKS = 10;

/**
 * What demo UITD `i` of `count` sends at `tick`: its state when it (re)connects, a heartbeat every
 * 20 s, a fire on a loop point every 3 min (one UITD at a time, 复位 10 s later; the alarm stays open
 * until someone judges it), a component fault every 2.5 min (cleared 30 s later). The last one
 * hangs up after connecting and stays silent, so its controller goes offline after 3 minutes.
 */
export function uitdStepsAt(i: number, count: number, systems: number[], tick: number, startTick: number): UitdStep[] {
  if (tick === startTick) return [{ kind: 'open', systems }, ...(i === count - 1 ? [{ kind: 'hang_up' } as const] : [])];
  if (i === count - 1) return [];
  const steps: UitdStep[] = [];
  if ((tick + i) % HEARTBEAT_TICKS === 0) steps.push({ kind: 'heartbeat' });
  const fireRound = Math.floor(tick / FIRE_PERIOD);
  if (fireRound % (count - 1) === i) {
    const point = 1 + (fireRound % 60);
    if (tick % FIRE_PERIOD === 0) steps.push({ kind: 'component', system: 1, loop: 1, point, fire: true });
    if (tick % FIRE_PERIOD === FIRE_TICKS) steps.push({ kind: 'component', system: 1, loop: 1, point, fire: false });
  }
  const faultRound = Math.floor(tick / FAULT_PERIOD);
  if ((faultRound + 3) % (count - 1) === i) {
    const system = systems[faultRound % systems.length] ?? 1;
    if (tick % FAULT_PERIOD === 0) steps.push({ kind: 'component', system, loop: 2, point: 7, fault: true });
    if (tick % FAULT_PERIOD === FAULT_TICKS) steps.push({ kind: 'component', system, loop: 2, point: 7, fault: false });
  }
  return steps;
}
