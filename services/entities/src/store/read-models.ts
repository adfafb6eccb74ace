import { type Logger, type Redis } from '@firegov/kit';
import { backfillNameGrams } from './backfill.ts';
import type { DutyTallies } from './duty-tallies.ts';
import type { EntitiesModels } from './models.ts';
import { startCountsReconciler, type UnitCounts } from './unit-counts.ts';
import type { UnitIndex } from './unit-index.ts';

/**
 * Keeps the unit read models whole: a new or flushed Redis has no counts and no index, so they are
 * built from the store in the background (after, once, giving units registered before name search
 * their character pairs); until then lists read the store. One replica rebuilds both every
 * `reconcileEveryMs`.
 */
export function startUnitReadModels(opts: {
  counts: UnitCounts;
  index: UnitIndex;
  duty: DutyTallies;
  models: EntitiesModels;
  redis: Redis;
  logger: Logger;
  reconcileEveryMs: number;
}): { stop: () => Promise<void> } {
  const { counts, index, duty, models, redis, logger } = opts;
  const building = backfillNameGrams(models, redis, counts.prefix, logger)
    .then(() => counts.rebuildIfMissing(models))
    .then(() => index.rebuildIfMissing(models))
    .then(() => duty.rebuildIfMissing())
    .catch((err: unknown) => logger.error({ err }, 'unit read models could not be built; the reconcile will retry'));
  const reconciler = startCountsReconciler({ counts, index, duty, models, redis, logger, intervalMs: opts.reconcileEveryMs });
  return {
    async stop() {
      await Promise.all([reconciler.stop(), building]);
    },
  };
}
