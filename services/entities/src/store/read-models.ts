import { type Logger, type Redis } from '@firegov/kit';
import { backfillNameGrams } from './backfill.ts';
import type { EntitiesModels } from './models.ts';
import { startCountsReconciler, type UnitCounts } from './unit-counts.ts';

/**
 * Keeps the unit read models whole: a new or flushed Redis has no counts, so they are built from
 * the store in the background (after, once, giving units registered before name search their
 * character pairs); one replica rebuilds them every `reconcileEveryMs`.
 */
export function startUnitReadModels(opts: {
  counts: UnitCounts;
  models: EntitiesModels;
  redis: Redis;
  logger: Logger;
  reconcileEveryMs: number;
}): { stop: () => Promise<void> } {
  const { counts, models, redis, logger } = opts;
  const building = backfillNameGrams(models, redis, counts.prefix, logger)
    .then(() => counts.rebuildIfMissing(models))
    .catch((err: unknown) => logger.error({ err }, 'village counts could not be built; the reconcile will retry'));
  const reconciler = startCountsReconciler({ counts, models, redis, logger, intervalMs: opts.reconcileEveryMs });
  return {
    async stop() {
      await Promise.all([reconciler.stop(), building]);
    },
  };
}
