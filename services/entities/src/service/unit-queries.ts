import { inScope, type Identity } from '@firegov/auth';
import type { UnitCategory } from '@firegov/contracts';
import { validationFailed } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import type { QueryFilter as FilterQuery } from 'mongoose';
import type { RiskGrade } from '../domain/enums.ts';
import { queryGrams } from '../domain/search-grams.ts';
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

/** Reads of units, always within the caller's jurisdiction; totals and summaries come from the counts read model. */
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

  return {
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
      const query = listQuery(identity, filter);
      const pageQuery = after ? { ...query, _id: { $gt: decodeCursor(after) } } : query;
      const docs = await units
        .find(pageQuery)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean<UnitDoc[]>();
      // Without a search, the total of active units is a sum over the counts read model: no unit is read.
      const countable = !filter.search && !filter.includeDeregistered;
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
      const code = countingCode(identity.jurisdiction, jurisdictionCode, within);
      return code ? summarise(await deps.counts.cells(code)) : [];
    },
  };
}
