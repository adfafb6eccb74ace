import type { Identity } from '@firegov/auth';
import type { HazardDoc, InspectionDoc, UnitRefDoc } from '../store/models.ts';
import { visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import type { HazardService } from './hazards.ts';
import type { InspectionService } from './inspections.ts';

/**
 * What the subgraph adds to a registry `Unit`: its hazards, open-hazard count and inspections, for
 * many units at once (one Redis round trip per batch, then point reads by id).
 */
export function unitViews(deps: InspectionsDeps, hazards: HazardService, inspections: InspectionService) {
  const { redis, index, models } = deps;

  async function visibleUnits(identity: Identity, unitIds: readonly string[]): Promise<boolean[]> {
    const units = await Promise.all(
      unitIds.map((id) => models.units.findById(id).select({ scope: 1 }).lean<Pick<UnitRefDoc, 'scope'>>()),
    );
    return units.map((u) => (u ? visible(identity, u.scope) : false));
  }

  async function idsPerUnit(keys: string[], limit: number): Promise<string[][]> {
    const tx = redis.pipeline();
    for (const key of keys) tx.zrevrange(key, 0, limit - 1);
    const replies = (await tx.exec()) ?? [];
    return replies.map(([err, ids]) => (err ? [] : (ids as string[])));
  }

  return {
    async openCounts(identity: Identity, unitIds: readonly string[]): Promise<Array<number | null>> {
      const ok = await visibleUnits(identity, unitIds);
      const tx = redis.pipeline();
      for (const id of unitIds) tx.zcard(index.unitOpenKey(id));
      const replies = (await tx.exec()) ?? [];
      return replies.map(([err, n], i) => (ok[i] && !err ? Number(n) : null));
    },

    async hazards(
      identity: Identity,
      unitIds: readonly string[],
      opts: { openOnly: boolean; limit: number },
    ): Promise<HazardDoc[][]> {
      const keys = unitIds.map((id) => (opts.openOnly ? index.unitOpenKey(id) : index.unitHazardsKey(id)));
      const lists = await idsPerUnit(keys, opts.limit);
      const docs = await hazards.byIds(identity, lists.flat());
      const byId = new Map(docs.filter((d): d is HazardDoc => d !== null).map((d) => [d._id, d]));
      return lists.map((ids) => ids.map((id) => byId.get(id)).filter((d): d is HazardDoc => d !== undefined));
    },

    async inspections(identity: Identity, unitIds: readonly string[], limit: number): Promise<InspectionDoc[][]> {
      const lists = await idsPerUnit(
        unitIds.map((id) => index.unitInspectionsKey(id)),
        limit,
      );
      const docs = await inspections.byIds(identity, lists.flat());
      const byId = new Map(docs.filter((d): d is InspectionDoc => d !== null).map((d) => [d._id, d]));
      return lists.map((ids) => ids.map((id) => byId.get(id)).filter((d): d is InspectionDoc => d !== undefined));
    },
  };
}

export type UnitViews = ReturnType<typeof unitViews>;
