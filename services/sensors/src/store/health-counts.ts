import { placementCounts, startLeasedInterval, type Logger, type Redis } from '@firegov/kit';
import { healthPlacements, healthRows, type HealthCountRow, type HealthCounted } from '../domain/health.ts';
import type { DeviceKind } from '../domain/kinds.ts';
import type { SensorsModels } from './models.ts';

const COUNTED_FIELDS = { _id: 1, kind: 1, status: 1, scope: 1, online: 1, batteryPercent: 1, unitId: 1 } as const;
type CountedDevice = HealthCounted & { _id: string; kind: DeviceKind };

/**
 * The online rate's counts (在线率), kept in Redis so the dashboard reads one hash instead of every
 * device of a county: per jurisdiction code, devices total, online and on low battery per
 * division and per unit. Every device write records the device as stored afterwards; a change of
 * a kind's low-battery level recounts everything (which devices are "low" changed). Until a first
 * build completes the report counts from the store.
 */
export interface HealthCounts {
  /** Reads these devices from the store and counts them as they are now (never throws). */
  record(ids: readonly string[]): Promise<void>;
  /** Rows under a code: per division (`divisions`) or per unit; null until the counts are built. */
  rows(code: string, by: 'divisions' | 'units', keep: (key: string) => boolean): Promise<HealthCountRow[] | null>;
  /** Recounts every device from the store and switches readers to the new counts. */
  rebuild(): Promise<number>;
  rebuildIfMissing(): Promise<void>;
}

export function healthCounts(deps: {
  models: SensorsModels;
  /** The battery level below which a kind's device counts as low (its profile's, which may change). */
  lowBatteryLevel: (kind: DeviceKind) => Promise<number>;
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
}): HealthCounts {
  const { models, logger } = deps;
  const divisions = placementCounts(deps.redis, { key: `${deps.keyPrefix}health:div`, logger });
  const units = placementCounts(deps.redis, { key: `${deps.keyPrefix}health:unit`, logger });

  const placed = async (d: CountedDevice) => healthPlacements(d, await deps.lowBatteryLevel(d.kind));

  async function* all(which: 'divisions' | 'units') {
    for await (const d of models.devices.find({}, COUNTED_FIELDS).lean<CountedDevice[]>().cursor()) {
      yield { id: d._id, placement: (await placed(d))[which] };
    }
  }

  return {
    async record(ids) {
      if (ids.length === 0) return;
      try {
        const docs = await models.devices.find({ _id: { $in: [...ids] } }, COUNTED_FIELDS).lean<CountedDevice[]>();
        for (const d of docs) {
          const p = await placed(d);
          await Promise.all([divisions.record(d._id, p.divisions), units.record(d._id, p.units)]);
        }
      } catch (err) {
        logger.error({ err, devices: ids.length }, 'online-rate counts not updated; the next recount repairs them');
      }
    },
    async rows(code, by, keep) {
      const counts = by === 'divisions' ? divisions : units;
      if (!(await counts.ready())) return null;
      return healthRows(await counts.cells(code), keep);
    },
    async rebuild() {
      const [n] = await Promise.all([divisions.rebuild(all('divisions')), units.rebuild(all('units'))]);
      return n;
    },
    async rebuildIfMissing() {
      if (!(await divisions.ready()) || !(await units.ready())) await this.rebuild();
    },
  };
}

/** Builds the counts if Redis has none, then recounts on one replica every `intervalMs` (repairs drift). */
export function startHealthCounts(opts: {
  counts: HealthCounts;
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
  intervalMs: number;
}): { stop: () => Promise<void> } {
  const building = opts.counts
    .rebuildIfMissing()
    .catch((err: unknown) => opts.logger.error({ err }, 'online-rate counts could not be built; the recount will retry'));
  const recount = startLeasedInterval({
    redis: opts.redis,
    leaseKey: `${opts.keyPrefix}health:recount:lease`,
    leaseTtlMs: 10 * 60_000,
    intervalMs: opts.intervalMs,
    work: () => opts.counts.rebuild(),
    onError: (err) => opts.logger.error({ err }, 'online-rate recount failed'),
  });
  return {
    async stop() {
      await Promise.all([recount.stop(), building]);
    },
  };
}
