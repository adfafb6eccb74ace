import { startLeasedInterval, type Logger } from '@firegov/kit';
import type { Redis } from 'ioredis';
import { indexHazard, indexInspection, type HazardIndex } from './hazard-index.ts';
import type { HazardDoc, InspectionDoc, InspectionsModels, ScheduleDoc } from './models.ts';
import { scheduleIndex } from './schedule-index.ts';

/**
 * Recomputes every hazard's index entries and read-model document, every inspection's per-unit
 * entry and every inspection schedule's due and check entries, from the store. Runs at start-up when Redis has none (a new or flushed Redis:
 * `rebuildIfMissing`), every INDEX_RECONCILE_HOURS on one replica (`startIndexReconciler`), and by hand
 * with `npm run rebuild-read-models` (which runs `src/reindex-cli.ts`). A full read of the hazards,
 * so the service runs it in the background; until it ends, queues may miss hazards, never show wrong ones.
 */
export async function rebuildIndexes(
  models: InspectionsModels,
  redis: Redis,
  index: HazardIndex,
  logger: Logger,
): Promise<number> {
  const started = Date.now();
  let n = 0;
  for await (const doc of models.hazards.find({}).select({ outbox: 0 }).lean<HazardDoc>().cursor()) {
    await indexHazard(redis, index, doc);
    n += 1;
  }
  for await (const doc of models.inspections
    .find({})
    .select({ _id: 1, unitId: 1, inspectedAt: 1 })
    .lean<InspectionDoc>()
    .cursor()) {
    await indexInspection(redis, index, doc);
  }
  const schedules = scheduleIndex(redis, index.prefix);
  for await (const doc of models.schedules.find({}).select({ outbox: 0 }).lean<ScheduleDoc>().cursor()) {
    await schedules.put(doc, doc.scope);
  }
  await redis.set(index.builtKey(), new Date().toISOString());
  logger.info({ hazards: n, ms: Date.now() - started }, 'hazard indexes rebuilt');
  return n;
}

export async function rebuildIfMissing(
  models: InspectionsModels,
  redis: Redis,
  index: HazardIndex,
  logger: Logger,
): Promise<void> {
  if (await redis.exists(index.builtKey())) return;
  await rebuildIndexes(models, redis, index, logger);
}

/**
 * Recomputes the indexes every `intervalMs` on one replica (a Redis lease), so a Redis write that
 * failed after its store write — logged, not retried — is repaired within a day at most.
 */
export function startIndexReconciler(opts: {
  models: InspectionsModels;
  redis: Redis;
  index: HazardIndex;
  logger: Logger;
  intervalMs: number;
}): { stop: () => Promise<void> } {
  return startLeasedInterval({
    redis: opts.redis,
    leaseKey: `${opts.index.prefix}reconcile:lease`,
    leaseTtlMs: 10 * 60_000,
    intervalMs: opts.intervalMs,
    work: () => rebuildIndexes(opts.models, opts.redis, opts.index, opts.logger),
    onError: (err) => opts.logger.error({ err }, 'index reconcile failed'),
  });
}
