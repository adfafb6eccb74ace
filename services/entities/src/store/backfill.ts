import { withDocumentLock } from '@firegov/events';
import { collectionOf, type Logger, type Redis } from '@firegov/kit';
import { nameGrams } from '../domain/search-grams.ts';
import type { EntitiesModels, UnitDoc } from './models.ts';

/**
 * Units registered before name search used character pairs have none, so search would miss them.
 * Once per Redis (a marker key), add the pairs to every unit that lacks them. A full read of the
 * units, in the background at start-up; writing only `nameGrams` leaves version and events alone.
 */
export async function backfillNameGrams(models: EntitiesModels, redis: Redis, prefix: string, logger: Logger): Promise<number> {
  const marker = `${prefix}backfill:nameGrams`;
  if (await redis.exists(marker)) return 0;
  const units = collectionOf(models.units);
  let n = 0;
  const cursor = models.units
    .find({ nameGrams: { $exists: false } })
    .select({ _id: 1, name: 1 })
    .lean<Array<Pick<UnitDoc, '_id' | 'name'>>>()
    .cursor();
  for await (const unit of cursor) {
    const { _id, name } = unit;
    // Under the unit's lock like every write to it: the local store would otherwise lose a concurrent update.
    await withDocumentLock(units.collectionName, _id, () => units.updateOne({ _id }, { $set: { nameGrams: nameGrams(name) } }));
    n += 1;
  }
  await redis.set(marker, new Date().toISOString());
  if (n > 0) logger.info({ units: n }, 'name search pairs added to older units');
  return n;
}
