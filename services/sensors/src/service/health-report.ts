import type { Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import { LOW_BATTERY_PERCENT } from '../domain/health.ts';
import type { HealthCounts } from '../store/health-counts.ts';
import type { SensorsModels } from '../store/models.ts';
import type { ProfileBook } from './profiles.ts';

export interface OnlineRow {
  /** Division code (village or township) or unit id. */
  key: string;
  total: number;
  online: number;
  lowBattery: number;
}

const LEVEL_PATTERN = { village: /^\d{9}(?!000)\d{3}$/, township: /^\d{6}(?!000)\d{3}000$/ } as const;

/**
 * Online rate (在线率) per village, township or unit inside the caller's jurisdiction: from the
 * counts kept in Redis (store/health-counts.ts), or counted by the store until they are built.
 */
export function healthReport(models: SensorsModels, profiles: ProfileBook, counts: HealthCounts) {
  /** Low battery as each kind's profile (a county may change it) defines it. */
  async function lowBattery(): Promise<Record<string, unknown>> {
    const levels = (await profiles.all()).map((p) => ({
      kind: p.kind,
      batteryPercent: { $lt: p.lowBatteryPercent ?? LOW_BATTERY_PERCENT },
    }));
    return { $or: levels };
  }

  async function countBy(match: Record<string, unknown>, field: '$scope' | '$unitId'): Promise<Map<string, number>> {
    // Grouped by a field path directly: the local store's $project does not evaluate `$field` expressions.
    const rows = await models.devices.aggregate<{ _id: string; n: number }>([
      { $match: match },
      ...(field === '$scope' ? [{ $unwind: '$scope' }] : []),
      { $group: { _id: field, n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /** The same rows counted by the store: every active device of the jurisdiction is read. */
  async function fromStore(jurisdiction: string, level: 'village' | 'township' | 'unit', keep: (k: string) => boolean) {
    const base = { scope: jurisdiction, status: 'active' };
    const field = level === 'unit' ? '$unitId' : '$scope';
    const [total, online, low] = await Promise.all([
      countBy(base, field),
      countBy({ ...base, online: true }, field),
      countBy({ ...base, ...(await lowBattery()) }, field),
    ]);
    return [...total]
      .filter(([k]) => keep(k))
      .map(([key, n]) => ({ key, total: n, online: online.get(key) ?? 0, lowBattery: low.get(key) ?? 0 }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  return {
    async onlineRate(who: Identity, level: 'village' | 'township' | 'unit'): Promise<OnlineRow[]> {
      if (!(level in LEVEL_PATTERN) && level !== 'unit')
        throw new AppError('VALIDATION_FAILED', 'unknown level', {
          details: [{ path: '$.level', reason: 'must be village, township or unit' }],
        });
      const keep =
        level === 'unit' ? (k: string) => k !== null && k !== undefined && k !== '' : (k: string) => LEVEL_PATTERN[level].test(k);
      const counted = await counts.rows(who.jurisdiction, level === 'unit' ? 'units' : 'divisions', keep);
      return counted ?? fromStore(who.jurisdiction, level, keep);
    },
    fromStore,
  };
}

export type HealthReport = ReturnType<typeof healthReport>;
