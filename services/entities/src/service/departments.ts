import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { collectionOf, fromDomain, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerDepartmentSchema, setListItemStatusSchema, statusOn } from '../domain/departments.ts';
import type { DepartmentDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { alreadyRegistered, insertRecord } from './inserts.ts';

/** Departments with their 责任清单 (responsibilities) and 任务清单 (tasks); they announce nothing. */
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
      };
      await insertRecord(departments, doc, () => alreadyRegistered(`department ${doc._id}`));
      return doc;
    },

    async departments(identity: Identity, jurisdictionCode?: string | null): Promise<DepartmentDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<DepartmentDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      const docs = await departments.find(query).sort({ _id: 1 }).lean<DepartmentDoc[]>();
      return docs.map(onTheClock);
    },

    /** Moves one item of a department's responsibility list (责任清单) or task list (任务清单) to a new status. */
    async setListItemStatus(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(setListItemStatusSchema, raw));
      return withDocumentLock(departments.collection.collectionName, input.departmentCode, async () => {
        const dept = await departments.findById(input.departmentCode).lean<DepartmentDoc>();
        // Out of scope reads as absent, as everywhere in the registry.
        if (!dept || !dept.scope.includes(identity.jurisdiction)) throw notFound(`department ${input.departmentCode}`);
        assertCanWrite(identity, 'department', dept.jurisdictionCode);
        const items = dept[input.list];
        const index = items.findIndex((i) => i.id === input.itemId);
        if (index < 0)
          throw validationFailed([{ path: '$.itemId', reason: `no item ${input.itemId} in the ${input.list} of ${dept._id}` }]);
        const next = items.map((item, i) => (i === index ? { ...item, status: input.status } : item));
        await collectionOf(departments).updateOne({ _id: dept._id }, { $set: { [input.list]: next } });
        return onTheClock({ ...dept, [input.list]: next });
      });
    },
  };
}
