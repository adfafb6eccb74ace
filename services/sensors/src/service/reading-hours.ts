import type { AnyBulkWriteOperation } from 'mongodb';
import { hourOf, type HourBucket } from '../domain/hour-buckets.ts';
import type { ReadingHourDoc, SensorsModels } from '../store/models.ts';
import { liveStore } from './live-store.ts';

/** A finished hour of one device point, as the history stores it. */
export const closedHour = (deviceId: string, point: string, bucket: HourBucket): ReadingHourDoc => ({
  _id: `${deviceId}|${point}|${bucket.hour}`,
  deviceId,
  point,
  ...bucket,
});

/** Stores finished hours whole: writing one again (a replay) changes nothing. */
export const closedHourWrites = (hours: readonly ReadingHourDoc[]): Array<AnyBulkWriteOperation<ReadingHourDoc>> =>
  hours.map((h) => ({ replaceOne: { filter: { _id: h._id }, replacement: h, upsert: true } }));

/** Readings of a device as hourly buckets, newest first (the hour in progress from its live state), and the retention sweep. */
export function readingHistory(models: SensorsModels) {
  const lives = liveStore(models);
  return {
    async hours(deviceId: string, sinceHour: string, point?: string): Promise<ReadingHourDoc[]> {
      const [stored, live] = await Promise.all([
        models.readingHours
          .find({ deviceId, hour: { $gte: sinceHour }, ...(point !== undefined ? { point } : {}) })
          .sort({ hour: -1 })
          .limit(24 * 31)
          .lean<ReadingHourDoc[]>(),
        lives.load([deviceId]),
      ]);
      const open = Object.entries(live.get(deviceId)?.hours ?? {})
        .filter(([p, b]) => (point === undefined || p === point) && b.hour >= sinceHour)
        .map(([p, b]) => closedHour(deviceId, p, b));
      const seen = new Set(stored.map((h) => h._id));
      return [...open.filter((h) => !seen.has(h._id)), ...stored].sort((a, b) =>
        a.hour === b.hour ? a.point.localeCompare(b.point) : b.hour.localeCompare(a.hour),
      );
    },
    /** Drops buckets older than the retention period; the latest reading lives in the live state. */
    async prune(before: Date): Promise<number> {
      const res = await models.readingHours.deleteMany({ hour: { $lt: hourOf(before.toISOString()) } });
      return res.deletedCount;
    },
  };
}
