import { parseInput, unitTopic } from '@firegov/contracts';
import { inScope, type Identity } from '@firegov/auth';
import { newOutbox, outboxEntry, withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { AppError, fromDomain, isDuplicateKeyError, newId, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { deriveFlags } from '../domain/derived.ts';
import { registerUnitSchema, updateUnitSchema, type RegisterUnitInput } from '../domain/units.ts';
import { gradeRisk } from '../domain/risk.ts';
import { nameGrams, queryGrams } from '../domain/search-grams.ts';
import { countingCode, summarise, totalOf, type VillageSummary } from '../domain/unit-counts.ts';
import { SOURCE, unitRiskEntry, unitSnapshot } from '../events/snapshots.ts';
import type { UnitDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { placeOf, type Place } from './places.ts';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';

export interface UnitFilter {
  jurisdictionCode?: string | null;
  category?: string | null;
  riskGrade?: string | null;
  keyUnit?: boolean | null;
  highRise?: boolean | null;
  selfBuiltTarget?: boolean | null;
  search?: string | null;
  includeDeregistered?: boolean | null;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The fields of a unit that feed derived flags and the risk grade. */
function assess(fields: RegisterUnitInput, signals: Record<string, unknown>, now: Date) {
  const flags = deriveFlags(fields);
  const risk = gradeRisk({ ...fields, ...flags }, signals, now);
  return { flags, risk: { score: risk.score, grade: risk.grade, factors: risk.factors, gradedAt: now.toISOString() } };
}

export function unitService(deps: EntitiesDeps) {
  const { units, jurisdictions } = deps.models;

  async function duplicateCreditCode(code: string, exceptId?: string): Promise<AppError> {
    const other = await units.findOne({ creditCode: code }, { _id: 1 }).lean();
    const which = other && other._id !== exceptId ? ` (unit ${other._id})` : '';
    return new AppError('CONFLICT', 'a unit with this unified social credit code is already registered', {
      details: [{ path: '$.creditCode', reason: `already registered${which}` }],
    });
  }

  function buildDoc(id: string, input: RegisterUnitInput, place: Place, now: Date): UnitDoc {
    const { flags, risk } = assess(input, {}, now);
    return {
      _id: id,
      version: 1,
      status: 'active',
      name: input.name,
      nameGrams: nameGrams(input.name),
      ...(input.creditCode ? { creditCode: input.creditCode } : {}),
      category: input.category,
      ...place,
      ...(input.gridCode ? { gridCode: input.gridCode } : {}),
      address: input.address,
      ...(input.location ? { location: input.location } : {}),
      buildingUse: input.buildingUse,
      floors: input.floors,
      undergroundFloors: input.undergroundFloors,
      heightM: input.heightM,
      ...(input.areaM2 !== undefined ? { areaM2: input.areaM2 } : {}),
      occupancy: input.occupancy,
      responsiblePerson: input.responsiblePerson,
      ...(input.manager ? { manager: input.manager } : {}),
      ...(input.supervisingDepartment ? { supervisingDepartment: input.supervisingDepartment } : {}),
      keyUnit: input.keyUnit,
      ...(input.insurance ? { insurance: input.insurance } : {}),
      publicCommitment: input.publicCommitment,
      highRise: flags.highRise,
      ...(flags.highRiseReason ? { highRiseReason: flags.highRiseReason } : {}),
      selfBuiltTarget: flags.selfBuiltTarget,
      risk,
      signals: {},
      demo: input.demo,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  }

  function registeredEntries(doc: UnitDoc): OutboxEntry[] {
    return [
      outboxEntry(unitTopic, SOURCE, {
        type: 'entities.unit.registered',
        key: doc._id,
        subject: doc._id,
        data: unitSnapshot(doc),
      }),
      unitRiskEntry(doc),
    ];
  }

  async function load(identity: Identity, id: string): Promise<UnitDoc> {
    const doc = await units.findById(id).lean<UnitDoc>();
    // Out of scope looks exactly like absent: no probing for other townships' ids.
    if (!doc || !doc.scope.includes(identity.jurisdiction)) throw notFound(`unit ${id}`);
    return doc;
  }

  return {
    async register(identity: Identity, raw: unknown): Promise<UnitDoc> {
      const input = fromDomain(() => parseInput(registerUnitSchema, raw));
      assertCanWrite(identity, 'unit', input.jurisdictionCode);
      const place = await placeOf(jurisdictions, input);
      const doc = buildDoc(newId('u'), input, place, deps.now());
      try {
        await units.collection.insertOne({ ...doc, ...newOutbox(registeredEntries(doc)) } as never);
      } catch (err) {
        if (isDuplicateKeyError(err) && input.creditCode) throw await duplicateCreditCode(input.creditCode);
        throw err;
      }
      deps.relay.kick(units.collection, [doc._id]);
      await deps.counts.record(doc);
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
          const input = fromDomain(() => parseInput(registerUnitSchema, raw));
          assertCanWrite(identity, 'unit', input.jurisdictionCode);
          const key = `${input.jurisdictionCode}|${input.gridCode ?? ''}`;
          const place = places.get(key) ?? (await placeOf(jurisdictions, input));
          places.set(key, place);
          docs.push({ index, doc: buildDoc(newId('u'), input, place, now) });
        } catch (err) {
          refused.push({ index, error: err instanceof AppError ? err : new AppError('INTERNAL', 'internal error') });
        }
      }
      for (let i = 0; i < docs.length; i += 500) {
        const chunk = docs.slice(i, i + 500);
        const outboxes = new Map(chunk.map(({ doc }) => [doc._id, newOutbox(registeredEntries(doc))]));
        try {
          await units.collection.insertMany(
            chunk.map(({ doc }) => ({ ...doc, ...outboxes.get(doc._id) }) as never),
            { ordered: false },
          );
          created.push(...chunk.map(({ doc }) => doc._id));
        } catch (err) {
          // Unordered insert: everything but the duplicates went in. Find out which did.
          const failed = new Set<number>(
            ((err as { writeErrors?: Array<{ index: number }> }).writeErrors ?? []).map((w) => w.index),
          );
          if (failed.size === 0) throw err;
          for (const [j, { index, doc }] of chunk.entries()) {
            if (failed.has(j)) refused.push({ index, error: await duplicateCreditCode(doc.creditCode ?? '') });
            else created.push(doc._id);
          }
        }
        // The events of what was just inserted are in hand: relay them without reading each back.
        const createdIds = new Set(created.slice(-chunk.length));
        const inserted = chunk.filter(({ doc }) => createdIds.has(doc._id)).map(({ doc }) => doc);
        deps.relay.kickInserted(
          units.collection,
          inserted.map((doc) => ({ _id: doc._id, outbox: outboxes.get(doc._id)!.outbox })),
        );
        await Promise.all(inserted.map((doc) => deps.counts.record(doc)));
      }
      refused.sort((a, b) => a.index - b.index);
      return { created, refused };
    },

    async update(identity: Identity, id: string, raw: unknown): Promise<UnitDoc> {
      const patch = fromDomain(() => parseInput(updateUnitSchema, raw));
      // Read, check and write under the document lock: FerretDB does not isolate concurrent updates.
      return withDocumentLock(units.collection.collectionName, id, async () => {
        const current = await load(identity, id);
        assertCanWrite(identity, 'unit', current.villageCode);
        if (current.status !== 'active') throw new AppError('CONFLICT', `unit ${id} is deregistered`);
        if (patch.expectedVersion !== undefined && patch.expectedVersion !== current.version) {
          throw new AppError('CONFLICT', `unit ${id} is at version ${current.version}, not ${patch.expectedVersion}`, {
            details: [{ path: '$.expectedVersion', reason: `current version is ${current.version}` }],
          });
        }
        const { expectedVersion: _ignored, ...changes } = patch;
        const changed = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
        const mergedInput = {
          ...current,
          ...changes,
          jurisdictionCode: changes.jurisdictionCode ?? current.villageCode,
        } as unknown as RegisterUnitInput;
        if (changes.jurisdictionCode !== undefined || changes.gridCode !== undefined) {
          assertCanWrite(identity, 'unit', mergedInput.jurisdictionCode);
        }
        const place =
          changes.jurisdictionCode !== undefined || changes.gridCode !== undefined
            ? await placeOf(jurisdictions, mergedInput)
            : undefined;
        const now = deps.now();
        const { flags, risk } = assess(mergedInput, current.signals, now);
        const next: UnitDoc = {
          ...current,
          ...(changes as Partial<UnitDoc>),
          ...(place ?? {}),
          nameGrams: nameGrams(changes.name ?? current.name),
          highRise: flags.highRise,
          selfBuiltTarget: flags.selfBuiltTarget,
          risk,
          version: current.version + 1,
          updatedAt: now.toISOString(),
        };
        delete (next as Partial<UnitDoc> & { jurisdictionCode?: string }).jurisdictionCode;
        const entries = [
          outboxEntry(unitTopic, SOURCE, {
            type: 'entities.unit.updated',
            key: id,
            subject: id,
            data: { ...unitSnapshot(next), changed },
          }),
        ];
        if (next.risk.grade !== current.risk.grade || next.risk.score !== current.risk.score)
          entries.push(unitRiskEntry(next, current.risk.grade));
        // The outbox belongs to the relay: a $set of the loaded copy would clash with the $push.
        const { _id, outbox: _o, outboxPending: _p, ...fields } = next as UnitDoc & { outbox?: unknown; outboxPending?: unknown };
        let res;
        try {
          // The version in the filter makes concurrent updates fail loudly instead of losing one.
          res = await units.collection.updateOne(
            { _id: id, version: current.version } as never,
            withOutbox<Record<string, unknown>>({ $set: fields }, entries),
          );
        } catch (err) {
          if (isDuplicateKeyError(err) && changes.creditCode) throw await duplicateCreditCode(changes.creditCode, id);
          throw err;
        }
        if (res.matchedCount === 0) throw new AppError('CONFLICT', `unit ${id} was changed concurrently; reload and retry`);
        deps.relay.kick(units.collection, [_id]);
        await deps.counts.record(next);
        return next;
      });
    },

    async deregister(identity: Identity, id: string, reason: string): Promise<UnitDoc> {
      if (typeof reason !== 'string' || reason.trim().length < 2 || reason.length > 500) {
        throw validationFailed([{ path: '$.reason', reason: 'must be 2 to 500 characters' }]);
      }
      return withDocumentLock(units.collection.collectionName, id, async () => {
        const current = await load(identity, id);
        assertCanWrite(identity, 'unit', current.villageCode);
        if (current.status !== 'active') throw new AppError('CONFLICT', `unit ${id} is already deregistered`);
        const now = deps.now().toISOString();
        const next: UnitDoc = {
          ...current,
          status: 'deregistered',
          deregisterReason: reason.trim(),
          version: current.version + 1,
          updatedAt: now,
        };
        const entry = outboxEntry(unitTopic, SOURCE, {
          type: 'entities.unit.deregistered',
          key: id,
          subject: id,
          data: { ...unitSnapshot(next), reason: reason.trim() },
        });
        const res = await units.collection.updateOne(
          { _id: id, version: current.version } as never,
          withOutbox<Record<string, unknown>>(
            { $set: { status: next.status, deregisterReason: next.deregisterReason, version: next.version, updatedAt: now } },
            [entry],
          ),
        );
        if (res.matchedCount === 0) throw new AppError('CONFLICT', `unit ${id} was changed concurrently; reload and retry`);
        deps.relay.kick(units.collection, [id]);
        await deps.counts.record(next);
        return next;
      });
    },

    async get(identity: Identity, id: string): Promise<UnitDoc | null> {
      assertCanRead(identity);
      const doc = await units.findById(id).lean<UnitDoc>();
      return doc && doc.scope.includes(identity.jurisdiction) ? doc : null;
    },

    /** Batch lookup for federation references: one query for the whole batch, answers in order. */
    async byIds(identity: Identity, ids: readonly string[]): Promise<Array<UnitDoc | null>> {
      assertCanRead(identity);
      const docs = await units.find({ _id: { $in: [...new Set(ids)] } }).lean<UnitDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => {
        const d = byId.get(id);
        return d && d.scope.includes(identity.jurisdiction) ? d : null;
      });
    },

    async list(identity: Identity, filter: UnitFilter, first?: number | null, after?: string | null): Promise<Page<UnitDoc>> {
      assertCanRead(identity);
      const limit = pageSize(first);
      const query: FilterQuery<UnitDoc> = { ...scopeFilter(identity) };
      // A narrower jurisdiction filter is AND-ed with the caller's scope, never instead of it.
      if (filter.jurisdictionCode) query.$and = [{ scope: filter.jurisdictionCode }];
      if (!filter.includeDeregistered) query.status = 'active';
      if (filter.category) query.category = filter.category;
      if (filter.riskGrade) query['risk.grade'] = filter.riskGrade;
      if (typeof filter.keyUnit === 'boolean') query.keyUnit = filter.keyUnit;
      if (typeof filter.highRise === 'boolean') query.highRise = filter.highRise;
      if (typeof filter.selfBuiltTarget === 'boolean') query.selfBuiltTarget = filter.selfBuiltTarget;
      if (filter.search) {
        const q = filter.search.trim();
        if (q.length < 1 || q.length > 50)
          throw validationFailed([{ path: '$.filter.search', reason: 'must be 1 to 50 characters' }]);
        const grams = queryGrams(q);
        if (grams.length > 0) query.nameGrams = { $all: grams };
        query.name = { $regex: escapeRegex(q), $options: 'i' };
      }
      const pageQuery = after ? { ...query, _id: { $gt: decodeCursor(after) } } : query;
      const docs = await units
        .find(pageQuery)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean<UnitDoc[]>();
      // Without a search, the total of active units is a sum over the counts read model: no unit is read.
      const countable = !filter.search && !filter.includeDeregistered;
      const within = (c: string, ancestor: string) => inScope({ jurisdiction: ancestor }, c);
      const total = async () => {
        if (!countable) return units.countDocuments(query);
        const code = countingCode(identity.jurisdiction, filter.jurisdictionCode, within);
        return code ? totalOf(await deps.counts.listCells(code), filter) : 0;
      };
      return pageOf(docs, limit, total);
    },

    /** Served from the counts read model (store/unit-counts.ts): no unit is read per request. */
    async villageSummaries(identity: Identity, jurisdictionCode?: string | null): Promise<VillageSummary[]> {
      assertCanRead(identity);
      const code = countingCode(identity.jurisdiction, jurisdictionCode, (c, ancestor) => inScope({ jurisdiction: ancestor }, c));
      return code ? summarise(await deps.counts.cells(code)) : [];
    },
  };
}

export type UnitService = ReturnType<typeof unitService>;
