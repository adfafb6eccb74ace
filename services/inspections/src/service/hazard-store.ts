import type { Identity } from '@firegov/auth';
import { newOutbox, withOutbox, type OutboxEntry } from '@firegov/events';
import { collectionOf, conflict, isDuplicateKeyError, notFound } from '@firegov/kit';
import { indexHazard, readModel } from '../store/hazard-index.ts';
import type { HazardDoc } from '../store/models.ts';
import { assertCan, visible, type Action } from './access.ts';
import type { InspectionsDeps } from './deps.ts';

/**
 * The hazard collection and its Redis indexes, for the hazard service only: every write carries its
 * events in the same document update and is followed by the index update and a relay kick.
 */
export function hazardStore(deps: InspectionsDeps) {
  const { models, redis, index, relay, logger } = deps;
  const hazards = models.hazards;
  const collection = collectionOf(hazards);

  const read = (id: string) => hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>().exec();

  async function reindex(doc: HazardDoc): Promise<void> {
    try {
      await indexHazard(redis, index, doc);
    } catch (err) {
      // The write stands; the index catches up at the next rebuild or sweep of this hazard.
      logger.warn({ err: (err as Error).message, hazardId: doc._id }, 'hazard index update failed');
    }
  }

  return {
    /** The collection's name: the key space of the in-process document lock. */
    lockName: collection.collectionName,
    read,
    reindex,

    async load(id: string): Promise<HazardDoc> {
      const doc = await read(id);
      if (!doc) throw notFound(`hazard ${id}`);
      return doc;
    },

    /** The hazard if the caller may `action` it; out of scope reads as absent, so nothing about it is disclosed. */
    async loadFor(identity: Identity, id: string, action: Action): Promise<HazardDoc> {
      const doc = await read(id);
      if (!doc || !visible(identity, doc.scope)) throw notFound(`hazard ${id}`);
      assertCan(identity, action, doc.scope);
      return doc;
    },

    /** Hazards for lists: from the Redis read model, the store only for ids it lacks. */
    async readMany(ids: readonly string[]): Promise<Array<HazardDoc | null>> {
      const cached = await readModel(redis, index, ids).catch(() => ids.map(() => null));
      // Point reads in parallel: FerretDB scans for `_id: { $in }`.
      return Promise.all(ids.map(async (id, i) => cached[i] ?? read(id)));
    },

    /**
     * Inserts a new hazard with its first event. With `idempotent` (ids derived from the source
     * record), a hazard already stored under the id means this one was recorded before: false.
     */
    async insert(doc: HazardDoc, entry: OutboxEntry, idempotent: boolean): Promise<boolean> {
      try {
        await collection.insertOne({ ...doc, ...newOutbox([entry]) });
      } catch (err) {
        if (idempotent && isDuplicateKeyError(err)) return false;
        throw err;
      }
      await reindex(doc);
      relay.kick(hazards.collection, [doc._id]);
      return true;
    },

    /** Writes a changed hazard with its events, guarded by its version (optimistic, and in-process locked for FerretDB). */
    async save(before: HazardDoc, after: HazardDoc, entries: readonly OutboxEntry[]): Promise<HazardDoc> {
      const { _id, ...rest } = after;
      const res = await collection.updateOne({ _id, version: before.version }, withOutbox({ $set: rest }, entries));
      if (res.matchedCount === 0) throw conflict(`hazard ${_id} changed meanwhile; reload and retry`);
      await reindex(after);
      relay.kick(hazards.collection, [_id]);
      return after;
    },

    /** Moves the sweep's next look at a hazard without changing it (no version, no event). */
    async setNextCheck(id: string, nextCheckAt: string | null): Promise<void> {
      await collection.updateOne({ _id: id }, { $set: { nextCheckAt } });
    },

    /** Takes a hazard that no longer exists out of the sweep. */
    forgetInSweep: (id: string) => redis.zrem(index.sweepKey(), id),
  };
}

export type HazardStore = ReturnType<typeof hazardStore>;
