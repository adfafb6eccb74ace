import { ownerCache } from '@firegov/auth';
import type { AgencyDoc, AssessmentModels } from '../store/models.ts';

/**
 * Agencies as the push path sees them (ownerCache): every push needs its agency (status, engineers,
 * contracts, clients). A change made here is seen at once; one made on another replica within
 * `ttlMs` (2 s) — the delay a suspension can take to block pushes everywhere.
 */
export function agencyCache(models: AssessmentModels, ttlMs = 2000) {
  return ownerCache((id) => models.agencies.findById(id).select({ outbox: 0 }).lean<AgencyDoc>(), { ttlMs });
}

export type AgencyCache = ReturnType<typeof agencyCache>;
