import type { DeviceForIngest } from '../domain/readings.ts';
import type { SensorsModels } from '../store/models.ts';

/**
 * What ingest needs to know of a device (kind, gateway, in service), held in memory for a few
 * seconds: a gateway sends the same devices every batch, and one store read per batch (not per
 * reading) is what lets ingest keep up. A retirement or move takes effect within `ttlMs`.
 */
export function deviceDirectory(deps: { models: SensorsModels; ttlMs: number; now: () => number }) {
  const cache = new Map<string, { entry: DeviceForIngest | null; until: number }>();
  const uitdCache = new Map<string, { id: string | null; until: number }>();
  const behindCache = new Map<string, { ids: string[]; until: number }>();

  return {
    async lookup(ids: readonly string[]): Promise<Map<string, DeviceForIngest>> {
      const now = deps.now();
      const out = new Map<string, DeviceForIngest>();
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        const hit = cache.get(id);
        if (hit && hit.until > now) {
          if (hit.entry) out.set(id, hit.entry);
        } else missing.push(id);
      }
      if (missing.length > 0) {
        const docs = await deps.models.devices
          .find({ _id: { $in: missing } }, { _id: 1, kind: 1, gatewayId: 1, status: 1 })
          .lean<Array<{ _id: string } & Omit<DeviceForIngest, 'id'>>>();
        const found = new Map(docs.map((d) => [d._id, { id: d._id, kind: d.kind, gatewayId: d.gatewayId, status: d.status }]));
        // Unknown ids are remembered too, so a gateway hammering a wrong id costs no store reads.
        for (const id of missing) {
          const entry = found.get(id) ?? null;
          cache.set(id, { entry, until: now + deps.ttlMs });
          if (entry) out.set(id, entry);
        }
      }
      if (cache.size > 200_000) cache.clear();
      return out;
    },

    /** The controller device behind a GB/T 26875.3 transmission device and controller system address. */
    async byUitd(address: string, system: number): Promise<string | undefined> {
      const key = `${address}/${system}`;
      const now = deps.now();
      const hit = uitdCache.get(key);
      if (hit && hit.until > now) return hit.id ?? undefined;
      const doc = await deps.models.devices
        .findOne({ 'uitd.address': address, 'uitd.system': system, status: 'active' }, { _id: 1 })
        .lean<{ _id: string }>();
      uitdCache.set(key, { id: doc?._id ?? null, until: now + deps.ttlMs });
      return doc?._id;
    },

    /** Every controller behind a transmission device: a UITD heartbeat is theirs too. */
    async behindUitd(address: string): Promise<string[]> {
      const key = `${address}/*`;
      const now = deps.now();
      const hit = behindCache.get(key);
      if (hit && hit.until > now) return hit.ids;
      const docs = await deps.models.devices
        .find({ 'uitd.address': address, status: 'active' }, { _id: 1 })
        .lean<Array<{ _id: string }>>();
      const ids = docs.map((d) => d._id);
      behindCache.set(key, { ids, until: now + deps.ttlMs });
      return ids;
    },

    forget(id: string): void {
      cache.delete(id);
    },
  };
}

export type DeviceDirectory = ReturnType<typeof deviceDirectory>;
