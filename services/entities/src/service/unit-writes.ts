import { newOutbox, notYetApplied, recordingEvent, withOutbox, type OutboxEntry } from '@firegov/events';
import { collectionOf, conflict, isDuplicateKeyError, type AppError } from '@firegov/kit';
import type { StoredUnit, UnitDoc } from '../store/models.ts';
import type { EntitiesDeps } from './deps.ts';

type UnitFields = Omit<Partial<UnitDoc>, '_id'>;

/**
 * Every write to the units collection. Each stores the unit with the events announcing the change
 * in the same write (outbox), asks the relay to publish them, and records the unit in the read
 * models (counts, index and the 考核 tallies) as written. Callers hold the unit's document lock for updates.
 */
export function unitWrites(deps: EntitiesDeps) {
  const units = collectionOf(deps.models.units);
  // The relay knows its collections as mongoose holds them (the same object, typed for any document).
  const relayed = deps.models.units.collection;

  /** The refusal for a credit code another unit holds, naming that unit. */
  async function duplicateCreditCode(code: string, exceptId?: string): Promise<AppError> {
    const other = await units.findOne({ creditCode: code }, { projection: { _id: 1 } });
    const which = other && other._id !== exceptId ? ` (unit ${other._id})` : '';
    return conflict('a unit with this unified social credit code is already registered', [
      { path: '$.creditCode', reason: `already registered${which}` },
    ]);
  }

  async function written(docs: readonly UnitDoc[]): Promise<void> {
    deps.relay.kick(
      relayed,
      docs.map((d) => d._id),
    );
    await Promise.all(docs.flatMap((doc) => [deps.counts.record(doc), deps.index.record(doc), deps.duty.recordUnit(doc)]));
  }

  return {
    duplicateCreditCode,

    async insert(doc: UnitDoc, entries: readonly OutboxEntry[]): Promise<void> {
      try {
        await units.insertOne({ ...doc, ...newOutbox(entries) });
      } catch (err) {
        if (isDuplicateKeyError(err) && doc.creditCode) throw await duplicateCreditCode(doc.creditCode);
        throw err;
      }
      await written([doc]);
    },

    /**
     * Inserts units with their events, unordered: everything but the duplicates goes in. Relays
     * the events in hand without reading each unit back; answers which units went in.
     */
    async insertMany(docs: ReadonlyArray<{ doc: UnitDoc; entries: readonly OutboxEntry[] }>): Promise<Set<string>> {
      const stored = docs.map(({ doc, entries }) => ({ ...doc, ...newOutbox(entries) }));
      let failed = new Set<number>();
      try {
        await units.insertMany(stored, { ordered: false });
      } catch (err) {
        failed = new Set(((err as { writeErrors?: Array<{ index: number }> }).writeErrors ?? []).map((w) => w.index));
        if (failed.size === 0) throw err;
      }
      const inserted = stored.filter((_, i) => !failed.has(i));
      deps.relay.kickInserted(relayed, inserted);
      await Promise.all(inserted.flatMap((doc) => [deps.counts.record(doc), deps.index.record(doc), deps.duty.recordUnit(doc)]));
      return new Set(inserted.map((d) => d._id));
    },

    /**
     * Sets `fields` on the unit at `current`'s version, or refuses with CONFLICT when another write
     * got there first (the version in the filter makes a lost update fail loudly).
     */
    async update(current: UnitDoc, fields: UnitFields, entries: readonly OutboxEntry[], next: UnitDoc): Promise<void> {
      let res;
      try {
        res = await units.updateOne(
          { _id: current._id, version: current.version },
          withOutbox<StoredUnit>({ $set: fields }, entries),
        );
      } catch (err) {
        if (isDuplicateKeyError(err) && fields.creditCode) throw await duplicateCreditCode(fields.creditCode, current._id);
        throw err;
      }
      if (res.matchedCount === 0) throw conflict(`unit ${current._id} was changed concurrently; reload and retry`);
      await written([next]);
    },

    /**
     * Sets `fields` once per event id, the platform's way (`notYetApplied` + `recordingEvent` from
     * @firegov/events; the caller already holds the unit's lock, so not `applyOnce` itself). False
     * when the event had been applied before.
     */
    async applyOnce(
      id: string,
      eventId: string,
      fields: UnitFields,
      entries: readonly OutboxEntry[],
      next: UnitDoc,
    ): Promise<boolean> {
      const res = await units.updateOne(
        { _id: id, ...notYetApplied(eventId) },
        withOutbox<StoredUnit>(recordingEvent<StoredUnit>({ $set: fields }, eventId), entries),
      );
      if (res.matchedCount === 0) return false;
      await written([next]);
      return true;
    },
  };
}

export type UnitWrites = ReturnType<typeof unitWrites>;
