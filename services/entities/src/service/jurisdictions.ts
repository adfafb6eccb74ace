import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox } from '@firegov/events';
import { fromDomain, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { buildTree } from '../domain/jurisdiction-tree.ts';
import { registerJurisdictionSchema } from '../domain/jurisdictions.ts';
import { jurisdictionRegistered } from '../events/outbound.ts';
import type { JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { alreadyRegistered, insertRecord } from './inserts.ts';

/** The jurisdiction tree: county → township → village/community → grid (with its grid managers). */
export function jurisdictionService(deps: EntitiesDeps) {
  const { jurisdictions } = deps.models;
  // A jurisdiction is registered once and never renamed (there is no update), so a name read is
  // kept for the life of the process: village summaries name their villages without a store read.
  const names = new Map<string, string>();

  return {
    async registerJurisdiction(identity: Identity, raw: unknown): Promise<JurisdictionDoc> {
      const input = fromDomain(() => parseInput(registerJurisdictionSchema, raw));
      // A county registers itself into an empty registry; below it, the parent must exist.
      let scope = [input.code];
      if (input.parentCode) {
        assertCanWrite(identity, 'jurisdiction', input.parentCode);
        const parent = await jurisdictions.findById(input.parentCode).lean<JurisdictionDoc>();
        if (!parent) throw validationFailed([{ path: '$.parentCode', reason: `parent ${input.parentCode} is not registered` }]);
        scope = [...parent.scope, input.code];
      } else {
        assertCanWrite(identity, 'jurisdiction', input.code);
      }
      const doc: JurisdictionDoc = {
        _id: input.code,
        name: input.name,
        level: input.level,
        ...(input.parentCode ? { parentCode: input.parentCode } : {}),
        scope,
        gridManagers: input.gridManagers ?? [],
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      await insertRecord(jurisdictions, { ...doc, ...newOutbox([jurisdictionRegistered(doc)]) }, () =>
        alreadyRegistered(`jurisdiction ${doc._id}`),
      );
      deps.relay.kick(jurisdictions.collection, [doc._id]);
      return doc;
    },

    async jurisdictionTree(identity: Identity, code?: string | null) {
      assertCanRead(identity);
      const root = code ?? identity.jurisdiction;
      const nodes = await jurisdictions
        .find({ ...scopeFilter(identity), scope: root } as FilterQuery<JurisdictionDoc>)
        .lean<JurisdictionDoc[]>();
      const flat = nodes.map((n) => ({
        code: n._id,
        name: n.name,
        level: n.level,
        ...(n.parentCode && n._id !== root ? { parentCode: n.parentCode } : {}),
      }));
      // The tree is built from the hierarchy alone; grid managers (网格员) are put back on their grids.
      const managers = new Map(nodes.map((n) => [n._id, n.gridManagers ?? []]));
      type Node = ReturnType<typeof buildTree>[number];
      const withManagers = (node: Node): Node & { gridManagers: JurisdictionDoc['gridManagers'] } => ({
        ...node,
        gridManagers: managers.get(node.code) ?? [],
        children: node.children.map(withManagers),
      });
      return buildTree(flat).map(withManagers);
    },

    /** Names by code (null for codes not registered), from memory once read. */
    async jurisdictionNames(codes: readonly string[]): Promise<Array<string | null>> {
      const missing = [...new Set(codes)].filter((c) => !names.has(c));
      if (missing.length > 0) {
        const docs = await jurisdictions
          .find({ _id: { $in: missing } }, { name: 1 })
          .lean<Array<Pick<JurisdictionDoc, '_id' | 'name'>>>();
        for (const d of docs) names.set(d._id, d.name);
      }
      return codes.map((c) => names.get(c) ?? null);
    },
  };
}
