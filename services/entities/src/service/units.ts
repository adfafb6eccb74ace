import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { AppError, conflict, fromDomain, newId, notFound, validationFailed } from '@firegov/kit';
import { nameGrams } from '../domain/search-grams.ts';
import { nextSignals, type SignalChange } from '../domain/signals.ts';
import { registerUnitSchema, updateUnitSchema, type UpdateUnitInput } from '../domain/units.ts';
import { unitDeregistered, unitRegistered, unitRegraded, unitUpdated } from '../events/outbound.ts';
import type { StoredUnit, UnitDoc } from '../store/models.ts';
import { assertCanWrite } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { placeOf, type Place } from './places.ts';
import { assess, newUnitDoc } from './unit-docs.ts';
import { unitQueries } from './unit-queries.ts';
import { unitWrites } from './unit-writes.ts';

export type { UnitFilter } from './unit-queries.ts';

const BULK_CHUNK = 500;

/** Units and premises: the only writer of the units collection (unit-writes.ts), and their reads. */
export function unitService(deps: EntitiesDeps) {
  const { units, jurisdictions } = deps.models;
  const writes = unitWrites(deps);
  // Read, check and write under the unit's lock: FerretDB does not isolate concurrent updates.
  const locked = <T>(id: string, fn: () => Promise<T>) => withDocumentLock(units.collection.collectionName, id, fn);

  async function load(identity: Identity, id: string): Promise<StoredUnit> {
    const doc = await units.findById(id).lean<StoredUnit>();
    // Out of scope looks exactly like absent: no probing for other townships' ids.
    if (!doc || !doc.scope.includes(identity.jurisdiction)) throw notFound(`unit ${id}`);
    return doc;
  }

  /** The unit as stored, once the caller may write it. */
  async function loadForWrite(identity: Identity, id: string): Promise<StoredUnit> {
    const current = await load(identity, id);
    assertCanWrite(identity, 'unit', current.villageCode);
    return current;
  }

  /** A valid, authorised registration as a new document, or the refusal. */
  async function prepare(identity: Identity, raw: unknown, now: Date, places?: Map<string, Place>): Promise<UnitDoc> {
    const input = fromDomain(() => parseInput(registerUnitSchema, raw));
    assertCanWrite(identity, 'unit', input.jurisdictionCode);
    const key = `${input.jurisdictionCode}|${input.gridCode ?? ''}`;
    const place = places?.get(key) ?? (await placeOf(jurisdictions, input));
    places?.set(key, place);
    return newUnitDoc(newId('u'), input, place, now);
  }

  /** The unit after a patch: placed again when it moved, flags and grade derived again. */
  async function patched(identity: Identity, current: StoredUnit, patch: UpdateUnitInput): Promise<StoredUnit> {
    const id = current._id;
    if (current.status !== 'active') throw conflict(`unit ${id} is deregistered`);
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== current.version) {
      throw conflict(`unit ${id} is at version ${current.version}, not ${patch.expectedVersion}`, [
        { path: '$.expectedVersion', reason: `current version is ${current.version}` },
      ]);
    }
    const { expectedVersion: _v, jurisdictionCode, ...changes } = patch;
    // null clears a field; it is stored as null, as the API sent it.
    const merged: StoredUnit = { ...current, ...(changes as Partial<StoredUnit>) };
    let place: Place | undefined;
    if (jurisdictionCode !== undefined || changes.gridCode !== undefined) {
      const target = { jurisdictionCode: jurisdictionCode ?? current.villageCode, gridCode: merged.gridCode ?? undefined };
      assertCanWrite(identity, 'unit', target.jurisdictionCode);
      place = await placeOf(jurisdictions, target);
    }
    const now = deps.now();
    const { flags, risk } = assess(merged, current.signals, now);
    return {
      ...merged,
      ...place,
      nameGrams: nameGrams(changes.name ?? current.name),
      highRise: flags.highRise,
      selfBuiltTarget: flags.selfBuiltTarget,
      risk,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
  }

  return {
    ...unitQueries(deps),

    async register(identity: Identity, raw: unknown): Promise<UnitDoc> {
      const doc = await prepare(identity, raw, deps.now());
      await writes.insert(doc, unitRegistered(doc));
      return doc;
    },

    /**
     * Bulk registration (demo loading, migrations): each input is validated and authorised on its
     * own; valid ones are inserted in batches; the answer lists each refused input with its reasons.
     */
    async registerMany(
      identity: Identity,
      raws: readonly unknown[],
    ): Promise<{ created: string[]; refused: Array<{ index: number; error: AppError }> }> {
      const created: string[] = [];
      const refused: Array<{ index: number; error: AppError }> = [];
      const places = new Map<string, Place>();
      const docs: Array<{ index: number; doc: UnitDoc }> = [];
      const now = deps.now();
      for (const [index, raw] of raws.entries()) {
        try {
          docs.push({ index, doc: await prepare(identity, raw, now, places) });
        } catch (err) {
          refused.push({ index, error: err instanceof AppError ? err : new AppError('INTERNAL', 'internal error') });
        }
      }
      for (let i = 0; i < docs.length; i += BULK_CHUNK) {
        const chunk = docs.slice(i, i + BULK_CHUNK);
        const inserted = await writes.insertMany(chunk.map(({ doc }) => ({ doc, entries: unitRegistered(doc) })));
        // Unordered insert: what did not go in holds a credit code another unit has.
        for (const { index, doc } of chunk) {
          if (inserted.has(doc._id)) created.push(doc._id);
          else refused.push({ index, error: await writes.duplicateCreditCode(doc.creditCode ?? '') });
        }
      }
      refused.sort((a, b) => a.index - b.index);
      return { created, refused };
    },

    async update(identity: Identity, id: string, raw: unknown): Promise<UnitDoc> {
      const patch = fromDomain(() => parseInput(updateUnitSchema, raw));
      const changed = Object.entries(patch)
        .filter(([key, value]) => key !== 'expectedVersion' && value !== undefined)
        .map(([key]) => key);
      return locked(id, async () => {
        const current = await loadForWrite(identity, id);
        const next = await patched(identity, current, patch);
        // The outbox belongs to the relay: a $set of the loaded copy would clash with the $push.
        const { _id, outbox: _o, outboxPending: _p, ...fields } = next;
        await writes.update(current, fields, unitUpdated(next, current, changed), next);
        return next;
      });
    },

    async deregister(identity: Identity, id: string, reason: string): Promise<UnitDoc> {
      if (typeof reason !== 'string' || reason.trim().length < 2 || reason.length > 500) {
        throw validationFailed([{ path: '$.reason', reason: 'must be 2 to 500 characters' }]);
      }
      return locked(id, async () => {
        const current = await loadForWrite(identity, id);
        if (current.status !== 'active') throw conflict(`unit ${id} is already deregistered`);
        const fields = {
          status: 'deregistered' as const,
          deregisterReason: reason.trim(),
          version: current.version + 1,
          updatedAt: deps.now().toISOString(),
        };
        const next: UnitDoc = { ...current, ...fields };
        await writes.update(current, fields, [unitDeregistered(next, fields.deregisterReason)], next);
        return next;
      });
    },

    /**
     * Folds one of another service's events into the unit's signals and grades it again, at most
     * once per event id, announcing `risk_graded` when the grade or score moved. False when the
     * event had been applied before; NOT_FOUND (permanent) for a unit the registry does not hold.
     */
    async applyRiskSignal(eventId: string, change: SignalChange): Promise<boolean> {
      return locked(change.unitId, async () => {
        const current = await units.findById(change.unitId).lean<StoredUnit>();
        if (!current) throw new AppError('NOT_FOUND', `unit ${change.unitId} is not in the registry`);
        if (current.appliedEventIds?.includes(eventId)) return false;
        const signals = nextSignals(current.signals, change);
        const { risk } = assess(current, signals, deps.now());
        const next: UnitDoc = { ...current, signals, risk };
        return writes.applyOnce(current._id, eventId, { signals, risk }, unitRegraded(next, current), next);
      });
    },
  };
}

export type UnitService = ReturnType<typeof unitService>;
