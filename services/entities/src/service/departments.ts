import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { collectionOf, conflict, fromDomain, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import {
  daysOverdue,
  DEFAULT_LIST_ESCALATION,
  dueSteps,
  listInterviewSchema,
  registerDepartmentSchema,
  setListItemStatusSchema,
  statusOn,
  updateDepartmentSchema,
} from '../domain/departments.ts';
import { departmentChanged, listItemChanged, listItemEscalated } from '../events/outbound.ts';
import type { OutboxEntry } from '@firegov/events';
import type { DepartmentDoc, ListItemDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { alreadyRegistered, insertRecord, registeredJurisdiction } from './inserts.ts';
import { updateUnderVersion } from './versioned-update.ts';

/** What a caller cannot send stays with an item it re-sends: its origin, and its 通报/约谈 while the deadline holds. */
const keepRecords = (before: readonly ListItemDoc[], after: readonly ListItemDoc[]): ListItemDoc[] =>
  after.map((item) => {
    const old = before.find((b) => b.id === item.id);
    if (!old) return item;
    return {
      ...item,
      ...(old.origin ? { origin: old.origin } : {}),
      ...(old.escalation && old.deadline === item.deadline ? { escalation: old.escalation } : {}),
    };
  });

type ItemRef = { departmentCode: string; list: 'responsibilities' | 'tasks'; itemId: string };

/** Departments with their 责任清单 (responsibilities) and 任务清单 (tasks); every change is an event. */
export function departmentService(deps: EntitiesDeps) {
  const { departments, jurisdictions } = deps.models;
  const escalationPolicy = deps.listEscalation ?? DEFAULT_LIST_ESCALATION;

  /** Writes a department's lists at the version read, with their events; CONFLICT when it moved meanwhile. */
  async function saveLists(dept: DepartmentDoc, after: DepartmentDoc, events: OutboxEntry[]): Promise<void> {
    const version = dept.version ?? 1;
    const res = await collectionOf(departments).updateOne(
      { _id: dept._id, ...(dept.version === undefined ? { version: { $exists: false } } : { version }) },
      withOutbox(
        {
          $set: {
            responsibilities: after.responsibilities,
            tasks: after.tasks,
            version: after.version,
            updatedAt: after.updatedAt,
          },
        },
        events,
      ),
    );
    if (res.matchedCount === 0) throw conflict(`department ${dept._id} was changed concurrently; reload and retry`);
    deps.relay.kick(departments.collection, [dept._id]);
  }

  /** Lists as read: a passed deadline makes an unfinished item overdue (domain/departments.ts `statusOn`). */
  const onTheClock = (d: DepartmentDoc): DepartmentDoc => {
    const now = deps.now();
    const items = (list: DepartmentDoc['tasks']) => list.map((i) => ({ ...i, status: statusOn(i, now) }));
    return { ...d, responsibilities: items(d.responsibilities), tasks: items(d.tasks) };
  };

  /** Runs `fn` on one list item under the department's lock, within the caller's scope and write right. */
  function onItem<T>(
    identity: Identity,
    ref: ItemRef,
    fn: (dept: DepartmentDoc, items: DepartmentDoc['tasks'], index: number) => Promise<T>,
  ): Promise<T> {
    return withDocumentLock(departments.collection.collectionName, ref.departmentCode, async () => {
      const dept = await departments.findById(ref.departmentCode).select({ outbox: 0 }).lean<DepartmentDoc>();
      // Out of scope reads as absent, as everywhere in the registry.
      if (!dept || !dept.scope.includes(identity.jurisdiction)) throw notFound(`department ${ref.departmentCode}`);
      assertCanWrite(identity, 'department', dept.jurisdictionCode);
      const items = dept[ref.list];
      const index = items.findIndex((i) => i.id === ref.itemId);
      if (index < 0)
        throw validationFailed([{ path: '$.itemId', reason: `no item ${ref.itemId} in the ${ref.list} of ${dept._id}` }]);
      return fn(dept, items, index);
    });
  }

  return {
    now: deps.now,

    async registerDepartment(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(registerDepartmentSchema, raw));
      assertCanWrite(identity, 'department', input.jurisdictionCode);
      const place = await registeredJurisdiction(jurisdictions, input.jurisdictionCode);
      const doc: DepartmentDoc = {
        _id: input.code,
        name: input.name,
        jurisdictionCode: input.jurisdictionCode,
        scope: place.scope,
        responsibilities: input.responsibilities,
        tasks: input.tasks,
        demo: input.demo ?? false,
        ...(input.holder ? { holder: input.holder } : {}),
        ...(input.leaderTitle ? { leaderTitle: input.leaderTitle } : {}),
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
        // An item kept under the same id and deadline keeps its 通报/约谈 record: a list edit must not repeat them.
        complete: (current, c) => ({
          ...c,
          ...(c.responsibilities ? { responsibilities: keepRecords(current.responsibilities, c.responsibilities) } : {}),
          ...(c.tasks ? { tasks: keepRecords(current.tasks, c.tasks) } : {}),
        }),
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
      return onItem(identity, input, async (dept, items, index) => {
        const from = items[index]!.status;
        const next = items.map((item, i) => (i === index ? { ...item, status: input.status } : item));
        const version = dept.version ?? 1;
        const after: DepartmentDoc = { ...dept, [input.list]: next, version: version + 1, updatedAt: deps.now().toISOString() };
        await saveLists(dept, after, [
          listItemChanged(after, { list: input.list, itemId: input.itemId, from, to: input.status, by: identity.subject }),
        ]);
        return onTheClock(after);
      });
    },

    /**
     * 通报 and 约谈 by themselves: every overdue item past the policy's days gets its notice, then its
     * interview falls due, each once and announced (entities.department.list_item_escalated).
     * One replica runs it (a lease) every hour; returns the steps taken.
     */
    async escalateOverdueLists(): Promise<number> {
      const now = deps.now();
      const at = now.toISOString();
      let taken = 0;
      const all = await departments.find({}).select({ _id: 1 }).lean<Array<{ _id: string }>>();
      for (const { _id } of all) {
        taken += await withDocumentLock(departments.collection.collectionName, _id, async () => {
          const dept = await departments.findById(_id).select({ outbox: 0 }).lean<DepartmentDoc>();
          if (!dept) return 0;
          const events: Array<(after: DepartmentDoc) => OutboxEntry> = [];
          const step = (list: 'responsibilities' | 'tasks') =>
            dept[list].map((item) => {
              const steps = dueSteps(item, now, escalationPolicy);
              if (steps.length === 0) return item;
              const days = daysOverdue(item, now);
              for (const s of steps)
                events.push((after) => listItemEscalated(after, { list, itemId: item.id, step: s, daysOverdue: days }));
              return {
                ...item,
                escalation: {
                  ...item.escalation,
                  ...(steps.includes('notice') ? { noticedAt: at } : {}),
                  ...(steps.includes('interview_due') ? { interviewDueAt: at } : {}),
                },
              };
            });
          const responsibilities = step('responsibilities');
          const tasks = step('tasks');
          if (events.length === 0) return 0;
          const after: DepartmentDoc = { ...dept, responsibilities, tasks, version: (dept.version ?? 1) + 1, updatedAt: at };
          await saveLists(
            dept,
            after,
            events.map((e) => e(after)),
          );
          return events.length;
        });
      }
      return taken;
    },

    /**
     * A committee session's decisions join a department's 任务清单 (no caller: the session was
     * authorized when recorded). Items already there by id are skipped, so applying twice adds once;
     * returns how many were added. Announced as entities.department.updated (tasks).
     */
    async addDecisionItems(departmentCode: string, items: readonly ListItemDoc[]): Promise<number> {
      return withDocumentLock(departments.collection.collectionName, departmentCode, async () => {
        const dept = await departments.findById(departmentCode).select({ outbox: 0 }).lean<DepartmentDoc>();
        if (!dept) throw notFound(`department ${departmentCode}`);
        const fresh = items.filter((item) => !dept.tasks.some((t) => t.id === item.id));
        if (fresh.length === 0) return 0;
        const after: DepartmentDoc = {
          ...dept,
          tasks: [...dept.tasks, ...fresh],
          version: (dept.version ?? 1) + 1,
          updatedAt: deps.now().toISOString(),
        };
        await saveLists(dept, after, [departmentChanged(after, ['tasks'])]);
        return fresh.length;
      });
    },

    /** 约谈 held: recorded on an item whose interview fell due (township or county, within scope). */
    async recordListInterview(identity: Identity, raw: unknown): Promise<DepartmentDoc> {
      const input = fromDomain(() => parseInput(listInterviewSchema, raw));
      return onItem(identity, input, async (dept, items, index) => {
        const item = items[index]!;
        if (!item.escalation?.interviewDueAt)
          throw validationFailed(
            [{ path: '$.itemId', reason: 'no interview (约谈) has fallen due for this item' }],
            'no interview due',
          );
        const at = deps.now().toISOString();
        const list = dept[input.list].map((i) =>
          i.id === input.itemId ? { ...i, escalation: { ...i.escalation, interviewedAt: at } } : i,
        );
        const after: DepartmentDoc = { ...dept, [input.list]: list, version: (dept.version ?? 1) + 1, updatedAt: at };
        await saveLists(dept, after, [
          listItemEscalated(after, {
            list: input.list,
            itemId: input.itemId,
            step: 'interviewed',
            daysOverdue: daysOverdue(item, deps.now()),
          }),
        ]);
        return onTheClock(after);
      });
    },
  };
}
