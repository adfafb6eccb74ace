import type { AgencyDoc, AssessmentModels } from '../store/models.ts';

/**
 * Agencies as the push path sees them: read once and kept for `ttlMs`, because every push needs
 * its agency (status, engineers, contracts, clients) and the store serves a few thousand point
 * reads per second in all. A change made here is seen at once; one made on another replica within
 * `ttlMs` (2 s) — the delay a suspension can take to block pushes everywhere.
 */
export function agencyCache(models: AssessmentModels, ttlMs = 2000) {
  const entries = new Map<string, { doc: AgencyDoc | null; at: number }>();
  return {
    async get(id: string): Promise<AgencyDoc | null> {
      const hit = entries.get(id);
      if (hit && Date.now() - hit.at < ttlMs) return hit.doc;
      const doc = await models.agencies.findById(id).select({ outbox: 0 }).lean<AgencyDoc>();
      entries.set(id, { doc, at: Date.now() });
      if (entries.size > 10_000) entries.delete(entries.keys().next().value as string);
      return doc;
    },
    forget(id: string): void {
      entries.delete(id);
    },
  };
}

export type AgencyCache = ReturnType<typeof agencyCache>;
