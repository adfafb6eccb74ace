import type { Reading } from '../domain/readings.ts';
import type { ReadingHourDoc, SensorsModels } from '../store/models.ts';

const hourOf = (at: string): string => `${at.slice(0, 13)}:00:00.000Z`;

/** Adds one reading to its device-point-hour bucket (in memory, written once per batch). */
export function hourBucketOps(
  buckets: Map<string, ReadingHourDoc>,
  deviceId: string,
  point: string,
  r: Pick<Reading, 'at' | 'values'>,
): void {
  const hour = hourOf(r.at);
  const id = `${deviceId}|${point}|${hour}`;
  let b = buckets.get(id);
  if (!b) {
    b = { _id: id, deviceId, point, hour, count: 0, min: {}, max: {}, sum: {}, trueCount: {} };
    buckets.set(id, b);
  }
  b.count += 1;
  for (const [name, v] of Object.entries(r.values)) {
    if (typeof v === 'boolean') {
      b.trueCount[name] = (b.trueCount[name] ?? 0) + (v ? 1 : 0);
    } else {
      b.min[name] = Math.min(b.min[name] ?? v, v);
      b.max[name] = Math.max(b.max[name] ?? v, v);
      b.sum[name] = (b.sum[name] ?? 0) + v;
    }
  }
}

/** The update that merges a bucket into its stored document (operators with nothing to do are left out). */
export function bucketUpdate(h: ReadingHourDoc): Record<string, unknown> {
  const ops: Record<string, Record<string, unknown>> = {
    $setOnInsert: { deviceId: h.deviceId, point: h.point, hour: h.hour },
    $inc: { count: h.count, ...prefixed('sum', h.sum), ...prefixed('trueCount', h.trueCount) },
    $min: prefixed('min', h.min),
    $max: prefixed('max', h.max),
  };
  return Object.fromEntries(Object.entries(ops).filter(([, v]) => Object.keys(v).length > 0));
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/** Readings of a device as hourly buckets, newest first, and the retention sweep. */
export function readingHistory(models: SensorsModels) {
  return {
    hours: (deviceId: string, sinceHour: string, point?: string) =>
      models.readingHours
        .find({ deviceId, hour: { $gte: sinceHour }, ...(point !== undefined ? { point } : {}) })
        .sort({ hour: -1 })
        .limit(24 * 31)
        .lean<ReadingHourDoc[]>(),
    /** Drops buckets older than the retention period; the latest reading lives on the device. */
    async prune(before: Date): Promise<number> {
      const res = await models.readingHours.deleteMany({ hour: { $lt: hourOf(before.toISOString()) } });
      return res.deletedCount;
    },
  };
}
