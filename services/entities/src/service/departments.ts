import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { collectionOf, conflict, fromDomain, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerDepartmentSchema, setListItemStatusSchema, statusOn, updateDepartmentSchema } from '../domain/departments.ts';
import { departmentChanged, listItemChanged } from '../events/outbound.ts';
import type { DepartmentDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { alreadyRegistered, insertRecord } from './inserts.ts';
import { updateUnderVersion } from './versioned-update.ts';

/** Departments with their 责任清单 (responsibilities) and 任务清单 (tasks); every change is an event. */
export function departmentService(deps: EntitiesDeps) {
  const { departments, jurisdictions } = deps.models;

  /** Lists as read: a passed deadline makes an unfinished item overdue (domain/departments.ts `statusOn`). */
  const onTheClock = (d: DepartmentDoc): DepartmentDoc => {
    const now = deps.now();
    const items = (list: DepartmentDoc['tasks']) => list.map((i) => ({ ...i, status: statusOn(i, now) }));
    return { ...d, responsibilities: items(d.responsibilities), tasks: items(d.tasks) };
  };

  return {
    async registerDepartment(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(registerDepartmentSchema, raw));
      assertCanWrite(identity, 'department', input.jurisdictionCode);
      const place = await jurisdictions.findById(input.jurisdictionCode).lean<JurisdictionDoc>();
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
        version: 1,
      };
      await insertRecord(departments, { ...doc, ...newOutbox([departmentChanged(doc)]) }, () =>
        alreadyRegistered(`department ${doc._id}`),
      );
      deps.relay.kick(departments.collection, [doc._id]);
      return doc;
    },

    /** Name or lists changed (lists replaced whole); announced with the whole department and what changed. */
    async updateDepartment(identity: Identity, code: string, raw: unknown): Promise<DepartmentDoc> {
      const { expectedVersion, ...changes } = fromDomain(() => parseInput(updateDepartmentSchema, raw));
      const next = await updateUnderVersion<DepartmentDoc>(deps, {
        model: departments,
        kind: 'department',
        label: 'department',
        identity,
        id: code,
        expectedVersion,
        changes,
        placeOf: (record) => record.jurisdictionCode,
        event: (after) => departmentChanged(after, Object.keys(changes)),
      });
      return onTheClock(next);
    },

    async departments(identity: Identity, jurisdictionCode?: string | null): Promise<DepartmentDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<DepartmentDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      const docs = await departments.find(query).select({ outbox: 0 }).sort({ _id: 1 }).lean<DepartmentDoc[]>();
      return docs.map(onTheClock);
    },

    /** Moves one item of a department's responsibility list (责任清单) or task list (任务清单) to a new status. */
    async setListItemStatus(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(setListItemStatusSchema, raw));
      return withDocumentLock(departments.collection.collectionName, input.departmentCode, async () => {
        const dept = await departments.findById(input.departmentCode).select({ outbox: 0 }).lean<DepartmentDoc>();
        // Out of scope reads as absent, as everywhere in the registry.
        if (!dept || !dept.scope.includes(identity.jurisdiction)) throw notFound(`department ${input.departmentCode}`);
        assertCanWrite(identity, 'department', dept.jurisdictionCode);
        const items = dept[input.list];
        const index = items.findIndex((i) => i.id === input.itemId);
        if (index < 0)
          throw validationFailed([{ path: '$.itemId', reason: `no item ${input.itemId} in the ${input.list} of ${dept._id}` }]);
        const from = items[index]!.status;
        const next = items.map((item, i) => (i === index ? { ...item, status: input.status } : item));
        const version = dept.version ?? 1;
        const after: DepartmentDoc = { ...dept, [input.list]: next, version: version + 1, updatedAt: deps.now().toISOString() };
        const res = await collectionOf(departments).updateOne(
          { _id: dept._id, ...(dept.version === undefined ? { version: { $exists: false } } : { version }) },
          withOutbox({ $set: { [input.list]: next, version: after.version, updatedAt: after.updatedAt } }, [
            listItemChanged(after, { list: input.list, itemId: input.itemId, from, to: input.status, by: identity.subject }),
          ]),
        );
        if (res.matchedCount === 0) throw conflict(`department ${dept._id} was changed concurrently; reload and retry`);
        deps.relay.kick(departments.collection, [dept._id]);
        return onTheClock(after);
      });
    },
  };
}
