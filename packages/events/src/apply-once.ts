import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { withDocumentLock } from './document-lock.ts';

const DUPLICATE_KEY = 11000;

/**
 * Applies `update` to the document `_id` at most once per event id, in one atomic write: the
 * document remembers the ids of the last `keep` events applied to it, and the write only matches
 * while `eventId` is not among them. With upsert, a replayed event that finds the document already
 * holding its id turns into a duplicate-key insert, which means "already applied".
 *
 * Resolves true when the effect was applied now, false when it had been applied before.
 * `keep` bounds the document; redeliveries come within a consumer batch or two, far fewer than 200.
 */
export async function applyOnce<D extends Document>(
  collection: Collection<D>,
  id: unknown,
  eventId: string,
  update: UpdateFilter<D>,
  opts: { upsert?: boolean; keep?: number } = {},
): Promise<boolean> {
  const u = update as Record<string, Record<string, unknown> | undefined>;
  const merged = {
    ...update,
    $push: { ...(u.$push ?? {}), appliedEventIds: { $each: [eventId], $slice: -(opts.keep ?? 200) } },
  } as unknown as UpdateFilter<D>;
  return withDocumentLock(collection.collectionName, id, async () => {
    try {
      const res = await collection.updateOne({ _id: id, appliedEventIds: { $ne: eventId } } as Filter<D>, merged, {
        upsert: opts.upsert ?? true,
      });
      return res.modifiedCount + res.upsertedCount > 0;
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
      throw err;
    }
  });
}
