import { idSchema, jsonPath, typeError, type ErrorDetail } from '@firegov/contracts';
import { z } from 'zod';
import { KIND_SPECS, type DeviceKind } from './kinds.ts';

// What a device gateway may send: a batch of readings, each checked on its own. One bad reading
// is refused with its reason and the rest of the batch is kept, because a vendor platform batches
// thousands of devices and one broken device must not hold back the others' alarms.

export type ReadingValues = Record<string, number | boolean>;

/** A reading as accepted: validated against its device's kind, time normalised to UTC. */
export interface Reading {
  deviceId: string;
  /** When the device measured it (ISO 8601, UTC). */
  at: string;
  /** Channel, socket or loop-point inside the device; absent for single-point kinds. */
  point?: string;
  /** Empty for a bare heartbeat. */
  values: ReadingValues;
}

export const MAX_READINGS_PER_BATCH = 1_000;

/**
 * Reading shards: accepted readings go to Kafka one message per shard and request, keyed
 * `shard:<n>`. A device always hashes to the same shard, so its readings share a partition and one
 * evaluator applies them in order, as when each device had a message of its own; a 500-reading
 * batch over 500 devices is then at most this many messages, not 500 (encoding and decoding a
 * Kafka message each was most of the ingest's and the evaluator's CPU). More shards than
 * partitions, so partitions stay balanced.
 */
export const READING_SHARDS = 64;

/** The shard of a device: FNV-1a of its id (stable across processes and releases). */
export function readingShardOf(deviceId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i += 1) {
    h ^= deviceId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % READING_SHARDS;
}

export const telemetryBatchShape = z.strictObject(
  {
    readings: z
      .array(z.unknown(), { error: typeError('an array') })
      .min(1, 'must hold at least one reading')
      .max(MAX_READINGS_PER_BATCH, `may hold at most ${MAX_READINGS_PER_BATCH} readings`),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

/** One reading's shape (the kind's measurements are checked after it); the OpenAPI document shows it. */
export const readingShape = z.strictObject(
  {
    deviceId: idSchema,
    at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
    point: z.string().min(1).max(16).optional(),
    values: z.record(
      z.string().min(1).max(40),
      z.union([z.number().finite(), z.boolean()], { error: 'must be a finite number or a boolean' }),
      { error: typeError('an object') },
    ),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

/** What the registry knows of a device when a reading for it arrives. */
export interface DeviceForIngest {
  id: string;
  kind: DeviceKind;
  gatewayId: string;
  status: 'active' | 'retired';
}

export type RefusalCode = 'INVALID_READING' | 'UNKNOWN_DEVICE' | 'RETIRED_DEVICE' | 'OUT_OF_WINDOW' | 'DUPLICATE_READING';

export interface Refusal {
  /** Position in the request's `readings` array. */
  index: number;
  deviceId?: string;
  code: RefusalCode;
  reason: string;
  details: ErrorDetail[];
}

export interface TimeWindow {
  /** Readings older than this are refused (a device replaying a week-old buffer is a fault, not news). */
  maxAgeMs: number;
  /** Tolerated device clock skew into the future. */
  maxSkewMs: number;
}

/** Whether a reading time is inside the window around `now`. */
export const inWindow = (at: string, now: Date, window: TimeWindow): boolean => {
  const t = Date.parse(at);
  return t <= now.getTime() + window.maxSkewMs && t >= now.getTime() - window.maxAgeMs;
};

/**
 * A transmission device's readings whose time is outside the window take the time they were
 * received instead of being refused: GB/T 26875.3 frames carry the UITD's own clock, which is often
 * unset or drifting, and a fire alarm must not be dropped for that, nor may a far-future time hold
 * back the point's later readings (a reading at or before a point's latest is skipped). A gateway's
 * REST readings are refused instead: the gateway can fix and resend them.
 */
export function receivedTimeOutsideWindow<R extends { at: string }>(
  readings: readonly R[],
  now: Date,
  window: TimeWindow,
): { readings: R[]; adjusted: number } {
  let adjusted = 0;
  const out = readings.map((r) => {
    if (inWindow(r.at, now, window)) return r;
    adjusted += 1;
    return { ...r, at: now.toISOString() };
  });
  return { readings: out, adjusted };
}

const refusal = (index: number, code: RefusalCode, reason: string, details: ErrorDetail[], deviceId?: string): Refusal => ({
  index,
  code,
  reason,
  details,
  ...(deviceId ? { deviceId } : {}),
});

/** The device id of a raw reading, if it has a usable one: the registry is looked up by it first. */
export function deviceIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { deviceId?: unknown }).deviceId;
  return typeof id === 'string' && idSchema.safeParse(id).success ? id : undefined;
}

function checkValues(kind: DeviceKind, values: ReadingValues, base: string): ErrorDetail[] {
  const spec = KIND_SPECS[kind];
  const details: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(values)) {
    const path = `${base}.values.${name}`;
    const m = spec.measurements.find((x) => x.name === name);
    if (!m) {
      details.push({
        path,
        reason: `is not a measurement of ${kind}; expected one of: ${spec.measurements.map((x) => x.name).join(', ')}`,
      });
    } else if (m.type === 'boolean' && typeof value !== 'boolean') {
      details.push({ path, reason: 'must be a boolean' });
    } else if (m.type === 'number') {
      if (typeof value !== 'number') details.push({ path, reason: `must be a number (${m.unit ?? ''})`.replace(' ()', '') });
      else if ((m.min !== undefined && value < m.min) || (m.max !== undefined && value > m.max))
        details.push({ path, reason: `must be between ${m.min} and ${m.max} ${m.unit ?? ''}`.trim() });
    }
  }
  return details;
}

function checkPoint(kind: DeviceKind, point: string | undefined, base: string): ErrorDetail[] {
  const spec = KIND_SPECS[kind].point;
  if (!spec) return point === undefined ? [] : [{ path: `${base}.point`, reason: `${kind} has a single point; omit point` }];
  if (point === undefined) return [];
  return spec.pattern.test(point) ? [] : [{ path: `${base}.point`, reason: `must be a ${spec.label}` }];
}

/**
 * Checks one reading of a batch: its shape, its device (known, this gateway's, in service), its
 * time (inside the window) and its values (the device kind's measurements, in physical range).
 * Unknown and foreign devices get the same answer, so a gateway learns nothing of others' devices.
 */
export function checkReading(
  raw: unknown,
  index: number,
  ctx: { device: DeviceForIngest | undefined; gatewayId: string; now: Date; window: TimeWindow },
): { reading: Reading } | { refused: Refusal } {
  const base = jsonPath(['readings', index]);
  const parsed = readingShape.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: jsonPath(i.path, base), reason: i.message }));
    return { refused: refusal(index, 'INVALID_READING', 'the reading is malformed', details, deviceIdOf(raw)) };
  }
  const r = parsed.data;
  const { device } = ctx;
  if (!device || device.gatewayId !== ctx.gatewayId) {
    const detail = { path: `${base}.deviceId`, reason: 'is not a device registered by this gateway' };
    return { refused: refusal(index, 'UNKNOWN_DEVICE', 'unknown device', [detail], r.deviceId) };
  }
  if (device.status === 'retired') {
    const detail = { path: `${base}.deviceId`, reason: 'the device is retired' };
    return { refused: refusal(index, 'RETIRED_DEVICE', 'retired device', [detail], r.deviceId) };
  }
  if (!inWindow(r.at, ctx.now, ctx.window)) {
    const reason =
      Date.parse(r.at) > ctx.now.getTime()
        ? `is more than ${ctx.window.maxSkewMs / 1000} s in the future`
        : `is older than ${ctx.window.maxAgeMs / 3_600_000} h`;
    return {
      refused: refusal(
        index,
        'OUT_OF_WINDOW',
        'the reading time is outside the accepted window',
        [{ path: `${base}.at`, reason }],
        r.deviceId,
      ),
    };
  }
  const details = [...checkPoint(device.kind, r.point, base), ...checkValues(device.kind, r.values, base)];
  if (details.length > 0)
    return { refused: refusal(index, 'INVALID_READING', `the reading does not fit a ${device.kind}`, details, r.deviceId) };
  return {
    reading: { deviceId: r.deviceId, at: new Date(r.at).toISOString(), ...(r.point ? { point: r.point } : {}), values: r.values },
  };
}

/** Same device, point and time twice in one batch: the first is kept, later ones refused. */
export function readingKey(r: Pick<Reading, 'deviceId' | 'point' | 'at'>): string {
  return `${r.deviceId}|${r.point ?? ''}|${r.at}`;
}
