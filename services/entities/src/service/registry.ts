import type { Identity } from '@firegov/auth';
import { fireForceTopic, householdTopic, jurisdictionTopic, parseInput } from '@firegov/contracts';
import { newOutbox, outboxEntry, withDocumentLock, type OutboxEntry } from '@firegov/events';
import type { Collection, Document } from 'mongodb';
import { AppError, fromDomain, isDuplicateKeyError, newId, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerDepartmentSchema, setListItemStatusSchema } from '../domain/departments.ts';
import { registerFireTeamSchema } from '../domain/fire-teams.ts';
import { registerHouseholdSchema } from '../domain/households.ts';
import { registerJurisdictionSchema } from '../domain/jurisdictions.ts';
import { buildTree } from '../domain/jurisdiction-tree.ts';
import { fireForceReadiness } from '../domain/readiness.ts';
import { SOURCE } from '../events/snapshots.ts';
import type { DepartmentDoc, FireTeamDoc, HouseholdDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { placeOf } from './places.ts';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';

/** Jurisdictions, vulnerable households, fire forces and departments: the registry around units. */
export function registryService(deps: EntitiesDeps) {
  const { jurisdictions, households, fireTeams, departments } = deps.models;

  /** Inserts a new record with the event announcing it in the same write, then asks the relay to publish. */
  async function insertAnnounced(collection: Collection<Document>, id: string, doc: object, entry: OutboxEntry): Promise<void> {
    await collection.insertOne({ ...doc, ...newOutbox([entry]) });
    deps.relay.kick(collection, [id]);
  }

  return {
    async registerJurisdiction(identity: Identity, raw: unknown): Promise<JurisdictionDoc> {
      const input = fromDomain(() => parseInput(registerJurisdictionSchema, raw));
      // A county registers itself into an empty registry; below it, the parent must exist.
      let scope = [input.code];
      if (input.parentCode) {
        assertCanWrite(identity, 'jurisdiction', input.parentCode);
        const parent = await jurisdictions.findById(input.parentCode).lean();
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
      const entry = outboxEntry(jurisdictionTopic, SOURCE, {
        type: 'entities.jurisdiction.registered',
        key: doc._id,
        subject: doc._id,
        data: {
          code: doc._id,
          name: doc.name,
          level: doc.level,
          ...(doc.parentCode ? { parentCode: doc.parentCode } : {}),
          demo: doc.demo,
        },
      });
      try {
        await insertAnnounced(jurisdictions.collection, doc._id, doc, entry);
      } catch (err) {
        if (isDuplicateKeyError(err))
          throw new AppError('CONFLICT', `jurisdiction ${doc._id} is already registered`, {
            details: [{ path: '$.code', reason: 'already registered' }],
          });
        throw err;
      }
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

    async jurisdictionsByCodes(codes: readonly string[]): Promise<Array<JurisdictionDoc | null>> {
      const docs = await jurisdictions.find({ _id: { $in: [...new Set(codes)] } }).lean<JurisdictionDoc[]>();
      const byCode = new Map(docs.map((d) => [d._id, d]));
      return codes.map((c) => byCode.get(c) ?? null);
    },

    async registerHousehold(identity: Identity, raw: unknown): Promise<HouseholdDoc> {
      const input = fromDomain(() => parseInput(registerHouseholdSchema, raw));
      assertCanWrite(identity, 'household', input.jurisdictionCode);
      const { scope } = await placeOf(jurisdictions, input);
      const doc: HouseholdDoc = {
        _id: newId('h'),
        villageCode: input.jurisdictionCode,
        ...(input.gridCode ? { gridCode: input.gridCode } : {}),
        scope,
        address: input.address,
        members: input.members,
        devices: input.devices,
        ...(input.helper ? { helper: input.helper } : {}),
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      const entry = outboxEntry(householdTopic, SOURCE, {
        type: 'entities.household.registered',
        key: doc._id,
        subject: doc._id,
        data: {
          id: doc._id,
          villageCode: doc.villageCode,
          memberCount: doc.members.length,
          vulnerabilities: [...new Set(doc.members.flatMap((m) => m.vulnerabilities))],
          devices: doc.devices,
          demo: doc.demo,
        },
      });
      await insertAnnounced(households.collection, doc._id, doc, entry);
      return doc;
    },

    async households(
      identity: Identity,
      jurisdictionCode?: string | null,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<HouseholdDoc>> {
      assertCanRead(identity);
      const query: FilterQuery<HouseholdDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      const limit = pageSize(first);
      const pageQuery = after ? { ...query, _id: { $gt: decodeCursor(after) } } : query;
      const docs = await households
        .find(pageQuery)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean<HouseholdDoc[]>();
      return pageOf(docs, limit, () => households.countDocuments(query));
    },

    async registerFireTeam(identity: Identity, raw: unknown): Promise<FireTeamDoc> {
      const input = fromDomain(() => parseInput(registerFireTeamSchema, raw));
      assertCanWrite(identity, 'fireTeam', input.jurisdictionCode);
      const { scope } = await placeOf(jurisdictions, { jurisdictionCode: input.jurisdictionCode });
      const doc: FireTeamDoc = {
        _id: newId('t'),
        villageCode: input.jurisdictionCode,
        scope,
        kind: input.kind,
        name: input.name,
        members: input.members,
        equipment: input.equipment,
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      const entry = outboxEntry(fireForceTopic, SOURCE, {
        type: 'entities.fireteam.registered',
        key: doc._id,
        subject: doc._id,
        data: {
          id: doc._id,
          villageCode: doc.villageCode,
          kind: doc.kind,
          memberCount: doc.members.length,
          equipmentItems: doc.equipment.length,
          demo: doc.demo,
        },
      });
      await insertAnnounced(fireTeams.collection, doc._id, doc, entry);
      return doc;
    },

    async fireTeams(identity: Identity, jurisdictionCode?: string | null): Promise<FireTeamDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<FireTeamDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      return fireTeams.find(query).sort({ _id: 1 }).limit(1000).lean<FireTeamDoc[]>();
    },

    /** Per village: members of full- and part-time teams against the seed's 20, and a micro station. */
    async readiness(identity: Identity, jurisdictionCode?: string | null, onlyGaps = false) {
      assertCanRead(identity);
      const scope = jurisdictionCode ?? identity.jurisdiction;
      const [villages, teams] = await Promise.all([
        jurisdictions
          .find({ ...scopeFilter(identity), $and: [{ scope }], level: 'village' } as FilterQuery<JurisdictionDoc>)
          .lean<JurisdictionDoc[]>(),
        fireTeams
          .find({ ...scopeFilter(identity), $and: [{ scope }] } as FilterQuery<FireTeamDoc>, {
            villageCode: 1,
            kind: 1,
            members: 1,
          })
          .lean<FireTeamDoc[]>(),
      ]);
      const byVillage = new Map<string, FireTeamDoc[]>();
      for (const t of teams) byVillage.set(t.villageCode, [...(byVillage.get(t.villageCode) ?? []), t]);
      const rows = villages
        .sort((a, b) => a._id.localeCompare(b._id))
        .map((v) => ({ ...fireForceReadiness(v._id, (byVillage.get(v._id) ?? []) as never), villageName: v.name }));
      return onlyGaps ? rows.filter((r) => !r.ready) : rows;
    },

    async registerDepartment(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(registerDepartmentSchema, raw));
      assertCanWrite(identity, 'department', input.jurisdictionCode);
      const place = await jurisdictions.findById(input.jurisdictionCode).lean();
      if (!place)
        throw validationFailed([
          { path: '$.jurisdictionCode', reason: `jurisdiction ${input.jurisdictionCode} is not registered` },
        ]);
      const doc: DepartmentDoc = {
        _id: input.code,
        name: input.name,
        jurisdictionCode: input.jurisdictionCode,
        scope: place.scope,
        responsibilities: input.responsibilities,
        tasks: input.tasks,
        demo: input.demo ?? false,
      };
      try {
        await departments.collection.insertOne(doc as never);
      } catch (err) {
        if (isDuplicateKeyError(err))
          throw new AppError('CONFLICT', `department ${doc._id} is already registered`, {
            details: [{ path: '$.code', reason: 'already registered' }],
          });
        throw err;
      }
      return doc;
    },

    async departments(identity: Identity, jurisdictionCode?: string | null): Promise<DepartmentDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<DepartmentDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      return departments.find(query).sort({ _id: 1 }).lean<DepartmentDoc[]>();
    },

    /** Moves one item of a department's responsibility list (责任清单) or task list (任务清单) to a new status. */
    async setListItemStatus(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(setListItemStatusSchema, raw));
      return withDocumentLock(departments.collection.collectionName, input.departmentCode, async () => {
        const dept = await departments.findById(input.departmentCode).lean<DepartmentDoc>();
        // Out of scope reads as absent, as everywhere in the registry.
        if (!dept || !dept.scope.includes(identity.jurisdiction))
          throw new AppError('NOT_FOUND', `department ${input.departmentCode} not found`);
        assertCanWrite(identity, 'department', dept.jurisdictionCode);
        const items = dept[input.list];
        const index = items.findIndex((i) => i.id === input.itemId);
        if (index < 0)
          throw validationFailed([{ path: '$.itemId', reason: `no item ${input.itemId} in the ${input.list} of ${dept._id}` }]);
        const next = items.map((item, i) => (i === index ? { ...item, status: input.status } : item));
        await departments.collection.updateOne({ _id: dept._id } as never, { $set: { [input.list]: next } });
        return { ...dept, [input.list]: next };
      });
    },
  };
}

export type RegistryService = ReturnType<typeof registryService>;
