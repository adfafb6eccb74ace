import type { ReadingValues } from './readings.ts';

// Recent readings are kept as hourly buckets per device point (count, min, max, sum of each number,
// how often each flag was true): what a duty officer's chart needs, at a fraction of the readings.

export interface HourBucket {
  /** The hour's start, ISO (UTC). */
  hour: string;
  count: number;
  min: Record<string, number>;
  max: Record<string, number>;
  sum: Record<string, number>;
  trueCount: Record<string, number>;
}

export const hourOf = (at: string): string => `${at.slice(0, 13)}:00:00.000Z`;

/** The bucket with one more reading; `open` is reused only when the reading falls in its hour. */
export function withReading(open: HourBucket | undefined, at: string, values: ReadingValues): HourBucket {
  const hour = hourOf(at);
  const b: HourBucket =
    open && open.hour === hour
      ? {
          hour,
          count: open.count,
          min: { ...open.min },
          max: { ...open.max },
          sum: { ...open.sum },
          trueCount: { ...open.trueCount },
        }
      : { hour, count: 0, min: {}, max: {}, sum: {}, trueCount: {} };
  b.count += 1;
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === 'boolean') {
      b.trueCount[name] = (b.trueCount[name] ?? 0) + (v ? 1 : 0);
    } else {
      b.min[name] = Math.min(b.min[name] ?? v, v);
      b.max[name] = Math.max(b.max[name] ?? v, v);
      b.sum[name] = (b.sum[name] ?? 0) + v;
    }
  }
  return b;
}
