/**
 * Owners of clients (agencies, device gateways) as a token endpoint and its API see them: read
 * once and kept for `ttlMs`, because every token and every authenticated call needs the owner and
 * the store serves a few thousand point reads per second in all. A change made through this
 * process is seen at once (`forget`); one made on another replica within `ttlMs` — the delay a
 * revocation or suspension can take to reach every replica. Absent owners are kept too, so a
 * caller trying unknown ids does not reach the store each time.
 */
export function ownerCache<T>(load: (id: string) => Promise<T | null>, opts: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = opts.ttlMs ?? 2000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { doc: T | null; at: number }>();
  return {
    async get(id: string): Promise<T | null> {
      const hit = entries.get(id);
      if (hit && Date.now() - hit.at < ttlMs) return hit.doc;
      const doc = await load(id);
      entries.set(id, { doc, at: Date.now() });
      // The oldest entry goes first: a bound, not a policy; owners number in the hundreds.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return doc;
    },
    forget(id: string): void {
      entries.delete(id);
    },
  };
}

export type OwnerCache<T> = ReturnType<typeof ownerCache<T>>;
