import { isDuplicateKeyError } from '@firegov/kit';
import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { withDocumentLock } from './document-lock.ts';

// At-most-once effects per event id, for every consumer: the document remembers the ids of the
// last events applied to it (`appliedEventIds`), and a write only matches while the event's id is
// not among them. Redeliveries come within a consumer batch or two, far fewer than the ids kept.

/** How many applied event ids a document remembers. */
export const APPLIED_EVENT_IDS_KEPT = 200;

/** The filter half: matches only a document that has not applied `eventId`. */
export const notYetApplied = (eventId: string) => ({ appliedEventIds: { $ne: eventId } });

/** The update half: records `eventId` on the document in the same write as the effect. */
export function recordingEvent<D extends Document>(
  update: UpdateFilter<D>,
  eventId: string,
  keep = APPLIED_EVENT_IDS_KEPT,
): UpdateFilter<D> {
  const u = update as Record<string, Record<string, unknown> | undefined>;
  return {
    ...update,
    $push: { ...(u.$push ?? {}), appliedEventIds: { $each: [eventId], $slice: -keep } },
  } as unknown as UpdateFilter<D>;
}

/**
 * Applies `update` to the document `_id` at most once per event id, in one atomic write under the
 * document's lock. With upsert, a replayed event that finds the document already holding its id
 * turns into a duplicate-key insert, which means "already applied". Code that already holds the
 * lock (a read-compute-write of its own) builds the same write from `notYetApplied` and
 * `recordingEvent`.
 *
 * Resolves true when the effect was applied now, false when it had been applied before.
 */
export async function applyOnce<D extends Document>(
  collection: Collection<D>,
  id: unknown,
  eventId: string,
  update: UpdateFilter<D>,
  opts: { upsert?: boolean; keep?: number } = {},
): Promise<boolean> {
  return withDocumentLock(collection.collectionName, id, async () => {
    try {
      const res = await collection.updateOne(
        { _id: id, ...notYetApplied(eventId) } as Filter<D>,
        recordingEvent(update, eventId, opts.keep),
        { upsert: opts.upsert ?? true },
      );
      return res.modifiedCount + res.upsertedCount > 0;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  });
}
