import { inScope, type Identity } from '@firegov/auth';
import type { UnitCategory } from '@firegov/contracts';
import { validationFailed } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import type { QueryFilter as FilterQuery } from 'mongoose';
import type { RiskGrade } from '../domain/enums.ts';
import { queryGrams } from '../domain/search-grams.ts';
import { indexPlan } from '../domain/unit-index.ts';
import { countingCode, summarise, totalOf, type VillageSummary } from '../domain/unit-counts.ts';
import type { UnitDoc } from '../store/models.ts';
import { assertCanRead, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';

export interface UnitFilter {
  jurisdictionCode?: string | null;
  category?: UnitCategory | null;
  riskGrade?: RiskGrade | null;
  keyUnit?: boolean | null;
  highRise?: boolean | null;
  selfBuiltTarget?: boolean | null;
  search?: string | null;
  includeDeregistered?: boolean | null;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const within = (code: string, ancestor: string) => inScope({ jurisdiction: ancestor }, code);

/**
 * Reads of units, always within the caller's jurisdiction. Lookups and lists of active units come
 * from the unit index, totals and summaries from the counts read model; the store answers the rest.
 */
export function unitQueries(deps: EntitiesDeps) {
  const { units } = deps.models;

  /** The store filter of a unit list: the caller's scope AND-ed with every filter field given. */
  function listQuery(identity: Identity, filter: UnitFilter): FilterQuery<UnitDoc> {
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
    return query;
  }

  /** One page from the store, in `_id` order: one more than asked, so the page knows if more follow. */
  function storePage(query: FilterQuery<UnitDoc>, cursor: string | null, limit: number): Promise<UnitDoc[]> {
    return units
      .find(cursor ? { ...query, _id: { $gt: cursor } } : query)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<UnitDoc[]>();
  }

  /** The snapshots of listed ids, in order (an id dropped by a concurrent rebuild is left out). */
  async function indexed(ids: readonly string[]): Promise<UnitDoc[]> {
    return (await deps.index.docs(ids)).filter((d): d is UnitDoc => d !== null);
  }

  /** Snapshots from the index, the rest in one store query; answers in order, null outside the caller's scope. */
  async function byIds(identity: Identity, ids: readonly string[]): Promise<Array<UnitDoc | null>> {
    assertCanRead(identity);
    const unique = [...new Set(ids)];
    const byId = new Map<string, UnitDoc>();
    for (const doc of await deps.index.docs(unique)) if (doc) byId.set(doc._id, doc);
    const missing = unique.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      for (const doc of await units.find({ _id: { $in: missing } }).lean<UnitDoc[]>()) byId.set(doc._id, doc);
    }
    return ids.map((id) => {
      const d = byId.get(id);
      return d && d.scope.includes(identity.jurisdiction) ? d : null;
    });
  }

  return {
    async get(identity: Identity, id: string): Promise<UnitDoc | null> {
      return (await byIds(identity, [id]))[0] ?? null;
    },

    /** Batch lookup for federation references. */
    byIds,

    async list(identity: Identity, filter: UnitFilter, first?: number | null, after?: string | null): Promise<Page<UnitDoc>> {
      assertCanRead(identity);
      const limit = pageSize(first);
      const query = listQuery(identity, filter);
      const cursor = after ? decodeCursor(after) : null;
      const code = countingCode(identity.jurisdiction, filter.jurisdictionCode, within);
      // Active units are listed from the index (store/unit-index.ts) once it is built; units that
      // left the registry, and every list while the index is being built, come from the store.
      const plan = code && !filter.includeDeregistered ? indexPlan(code, filter) : null;
      const ids = plan ? await deps.index.page(plan, cursor, limit + 1) : null;
      const docs = ids ? await indexed(ids) : await storePage(query, cursor, limit);
      // Without a search, the total of active units is a sum over the counts read model: no unit is read.
      const countable = !filter.search && !filter.includeDeregistered;
      const total = async () => {
        if (countable) return code ? totalOf(await deps.counts.listCells(code), filter) : 0;
        const n = plan ? await deps.index.count(plan) : null;
        return n ?? units.countDocuments(query);
      };
      return pageOf(docs, limit, total);
    },

    /** Served from the counts read model (store/unit-counts.ts): no unit is read per request. */
    async villageSummaries(identity: Identity, jurisdictionCode?: string | null): Promise<VillageSummary[]> {
      assertCanRead(identity);
      const code = countingCode(identity.jurisdiction, jurisdictionCode, within);
      return code ? summarise(await deps.counts.cells(code)) : [];
    },
  };
}
