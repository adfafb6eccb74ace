import type { Identity } from '@firegov/auth';
import type { UnitSnapshot } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { collectionOf, conflict, forbidden, fromDomain, isDuplicateKeyError, validationFailed } from '@firegov/kit';
import type { Page } from '@firegov/service';
import type { EscalationAction } from '../domain/escalation.ts';
import {
  countsForSupervision,
  DEFAULT_INTERVALS,
  escalateSchedule,
  parseIntervals,
  reschedule,
  SUPERVISING_KINDS,
  type InspectionIntervals,
  type RiskGrade,
  type Schedule,
  type ScheduleReason,
} from '../domain/supervision.ts';
import { intervalsChanged, scheduled, scheduleEscalated } from '../events/outbound.ts';
import { countRange, rangePage, type ScoreRange } from '../store/hazard-index.ts';
import type { ScheduleDoc, SupervisionPolicyDoc } from '../store/models.ts';
import type { ScheduleIndex } from '../store/schedule-index.ts';
import { scopeCode, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import type { Ladder } from './escalation-sweep.ts';
import { decode, encode } from './queues.ts';

export const DUE_QUEUES = ['overdue', 'due_soon', 'all'] as const;
export type DueQueue = (typeof DUE_QUEUES)[number];

export interface CountyIntervals {
  countyCode: string;
  intervals: InspectionIntervals;
  /** 0 while the county uses the defaults. */
  version: number;
  changedBy?: string;
  changedAt?: string;
}

const DAY = 86_400_000;
const POLICY_TTL_MS = 5_000;
const isCounty = (code: string) => /^\d{6}000000$/.test(code) && !code.startsWith('000000');
const countyOf = (code: string) => `${code.slice(0, 6)}000000`;

/**
 * 分级分类监管 (seed task 11): every active unit's next inspection by its risk grade, kept from the
 * registry's unit events (grade, place, deregistration) and this service's own inspection events;
 * the due queue per jurisdiction; the ladder for overdue inspections; the county's intervals.
 */
export function supervisionService(deps: InspectionsDeps & { schedules: ScheduleIndex }) {
  const { models, redis } = deps;
  const coll = collectionOf(models.schedules);
  const lockName = models.schedules.collection.collectionName;
  const locked = <T>(unitId: string, fn: () => Promise<T>) => withDocumentLock(lockName, unitId, fn);
  const policies = new Map<string, { value: CountyIntervals; until: number }>();

  async function intervalsOf(countyCode: string): Promise<CountyIntervals> {
    const now = Date.now();
    const hit = policies.get(countyCode);
    if (hit && hit.until > now) return hit.value;
    const doc = await models.supervisionPolicies
      .findById(countyCode, { outbox: 0, outboxPending: 0 })
      .lean<SupervisionPolicyDoc>();
    const value: CountyIntervals = doc
      ? { countyCode, intervals: doc.intervals, version: doc.version, changedBy: doc.changedBy, changedAt: doc.changedAt }
      : { countyCode, intervals: DEFAULT_INTERVALS, version: 0 };
    policies.set(countyCode, { value, until: now + POLICY_TTL_MS });
    return value;
  }

  const read = (unitId: string) => models.schedules.findById(unitId, { outbox: 0, outboxPending: 0 }).lean<ScheduleDoc>().exec();

  /** The newest inspection of the unit that counts (a schedule made after it must start from it). */
  async function lastSupervisingInspection(unitId: string): Promise<string | undefined> {
    const [doc] = await models.inspections
      .find({ unitId, kind: { $in: [...SUPERVISING_KINDS] }, recording: { $ne: true } }, { inspectedAt: 1 })
      .sort({ inspectedAt: -1 })
      .limit(1)
      .lean<Array<{ inspectedAt: string }>>();
    return doc?.inspectedAt;
  }

  /** Writes a schedule (conditional on the version read) with its events, then indexes it. */
  async function save(prev: ScheduleDoc | null, next: ScheduleDoc, events: OutboxEntry[]): Promise<void> {
    const { _id, ...fields } = next;
    if (prev) {
      // Nothing a schedule holds is ever removed (the last inspection only moves later): $set suffices.
      const res = await coll.updateOne({ _id, version: prev.version }, withOutbox<ScheduleDoc>({ $set: fields }, events));
      if (res.matchedCount === 0) throw conflict(`the schedule of unit ${_id} changed meanwhile; try again`);
    } else {
      try {
        await coll.insertOne({ ...next, ...newOutbox(events) });
      } catch (err) {
        if (isDuplicateKeyError(err)) throw conflict(`the schedule of unit ${_id} was created meanwhile; try again`);
        throw err;
      }
    }
    if (events.length > 0) deps.relay.kick(models.schedules.collection, [_id]);
    await deps.schedules.put(next, prev?.scope);
  }

  /** When the ladder next looks at an active schedule: its due date, or now when it is already climbing. */
  const nextCheck = (s: Schedule, at: string): string => (s.escalation.level === 'none' ? s.dueAt : at);

  function docFrom(
    unitId: string,
    prev: ScheduleDoc | null,
    place: Pick<ScheduleDoc, 'scope' | 'countyCode' | 'townshipCode' | 'villageCode' | 'demo'>,
    s: Schedule,
    at: string,
  ): ScheduleDoc {
    const { lastInspectedAt, ...rest } = s;
    return {
      _id: unitId,
      scope: place.scope,
      countyCode: place.countyCode,
      townshipCode: place.townshipCode,
      villageCode: place.villageCode,
      demo: place.demo,
      ...rest,
      ...(lastInspectedAt ? { lastInspectedAt } : {}),
      active: true,
      nextCheckAt: nextCheck(s, at),
      version: (prev?.version ?? 0) + 1,
      updatedAt: at,
    };
  }

  /** Schedules of these units, null where none or outside the caller's jurisdiction. */
  async function byUnits(who: Identity, unitIds: readonly string[]): Promise<Array<ScheduleDoc | null>> {
    if (unitIds.length === 0) return [];
    const docs = await models.schedules
      .find({ _id: { $in: [...unitIds] } }, { outbox: 0, outboxPending: 0 })
      .lean<ScheduleDoc[]>();
    const byId = new Map(docs.filter((d) => d.active && visible(who, d.scope)).map((d) => [d._id, d]));
    return unitIds.map((id) => byId.get(id) ?? null);
  }

  async function reschedulePrev(
    prev: ScheduleDoc,
    change: Partial<Schedule> & { grade: RiskGrade },
    reason: ScheduleReason,
    at: string,
  ) {
    const { intervals } = await intervalsOf(prev.countyCode);
    const s = fromDomain(() =>
      reschedule(
        prev,
        { grade: change.grade, intervals, knownSince: prev.knownSince, lastInspectedAt: change.lastInspectedAt },
        reason,
        at,
      ),
    );
    const next = docFrom(prev._id, prev, prev, s, at);
    const moved = next.dueAt !== prev.dueAt || next.grade !== prev.grade || next.intervalMonths !== prev.intervalMonths;
    await save(prev, next, moved ? [scheduled(next, reason)] : []);
  }

  /** Moves every schedule of the county to its intervals; marks the change done when all moved. */
  async function rescheduleCounty(countyCode: string): Promise<number> {
    policies.delete(countyCode);
    const policy = await intervalsOf(countyCode);
    const at = deps.now().toISOString();
    let moved = 0;
    const ids = await models.schedules.find({ countyCode, active: true }, { _id: 1 }).lean<Array<{ _id: string }>>();
    for (const { _id } of ids) {
      await locked(_id, async () => {
        const prev = await read(_id);
        if (!prev?.active || prev.intervalMonths === policy.intervals[prev.grade]) return;
        await reschedulePrev(prev, { grade: prev.grade }, 'intervals_changed', at);
        moved += 1;
      });
    }
    await collectionOf(models.supervisionPolicies).updateOne(
      { _id: countyCode, version: policy.version },
      { $set: { rescheduled: true } },
    );
    return moved;
  }

  async function escalateOne(unitId: string, now: Date): Promise<EscalationAction[]> {
    return locked(unitId, async () => {
      const prev = await read(unitId);
      if (!prev?.active) {
        await deps.schedules.forgetCheck(unitId);
        return [];
      }
      const stepped = escalateSchedule(prev, now, deps.policy);
      if (stepped.actions.length === 0) {
        // Nothing due (a stale score): put the check back where the document says.
        await deps.schedules.put(prev);
        return [];
      }
      const at = now.toISOString();
      const next: ScheduleDoc = {
        ...prev,
        escalation: stepped.escalation,
        nextCheckAt: stepped.nextCheckAt ?? prev.dueAt,
        version: prev.version + 1,
        updatedAt: at,
      };
      await save(
        prev,
        next,
        stepped.actions.map((a) => scheduleEscalated(next, a)),
      );
      return stepped.actions;
    });
  }

  return {
    intervalsOf,
    now: deps.now,
    /** The overdue-inspection ladder the escalation sweep walks after the hazards'. */
    ladder: { name: 'inspection schedules', key: deps.schedules.checkKey(), escalateOne } satisfies Ladder,

    /** A unit snapshot from the registry: a new unit is scheduled, a new grade or place moves it, a deregistration ends it. */
    async applyUnit(s: UnitSnapshot, at: string): Promise<void> {
      await locked(s.id, async () => {
        const prev = await read(s.id);
        const place = {
          scope: [s.countyCode, s.townshipCode, s.villageCode, ...(s.gridCode ? [s.gridCode] : [])],
          countyCode: s.countyCode,
          townshipCode: s.townshipCode,
          villageCode: s.villageCode,
          demo: s.demo,
        };
        if (s.status !== 'active') {
          if (prev?.active)
            await save(prev, { ...prev, active: false, nextCheckAt: null, version: prev.version + 1, updatedAt: at }, []);
          return;
        }
        if (!prev) {
          const { intervals } = await intervalsOf(s.countyCode);
          const last = await lastSupervisingInspection(s.id);
          const sched = fromDomain(() =>
            reschedule(undefined, { grade: s.riskGrade, intervals, knownSince: at, lastInspectedAt: last }, 'registered', at),
          );
          const next = docFrom(s.id, null, place, sched, at);
          await save(null, next, [scheduled(next, 'registered')]);
          return;
        }
        const samePlace = prev.scope.join() === place.scope.join() && prev.demo === place.demo;
        if (prev.active && samePlace && prev.grade === s.riskGrade) return;
        if (prev.grade !== s.riskGrade || !prev.active) {
          await reschedulePrev({ ...prev, ...place, active: true }, { grade: s.riskGrade }, 'regraded', at);
          return;
        }
        await save(prev, { ...prev, ...place, version: prev.version + 1, updatedAt: at }, []);
      });
    },

    /** entities.unit.risk_graded: the grade alone. */
    async applyGrade(unitId: string, grade: RiskGrade, at: string): Promise<void> {
      await locked(unitId, async () => {
        const prev = await read(unitId);
        if (!prev?.active || prev.grade === grade) return;
        await reschedulePrev(prev, { grade }, 'regraded', at);
      });
    },

    /** An inspection was recorded: one that counts starts the unit's next interval. */
    async applyInspection(unitId: string, kind: string, inspectedAt: string): Promise<void> {
      if (!countsForSupervision(kind)) return;
      await locked(unitId, async () => {
        const prev = await read(unitId);
        if (!prev?.active) return;
        if (prev.lastInspectedAt && Date.parse(prev.lastInspectedAt) >= Date.parse(inspectedAt)) return;
        await reschedulePrev(prev, { grade: prev.grade, lastInspectedAt: inspectedAt }, 'inspected', inspectedAt);
      });
    },

    /** One step of the ladder for an overdue inspection (the sweep calls it when the check is due). */
    escalateOne,

    /** The county's intervals (the caller's county). */
    async intervals(who: Identity): Promise<CountyIntervals> {
      scopeCode(who, null);
      return intervalsOf(countyOf(who.jurisdiction));
    },

    /**
     * A county administrator sets the interval per grade; every schedule of the county moves
     * (in the background: `rescheduleCounty`, resumed at start-up when a change was not finished).
     */
    async setIntervals(who: Identity, raw: unknown): Promise<CountyIntervals> {
      if (who.role !== 'county_admin' || !isCounty(who.jurisdiction))
        throw forbidden('only a county administrator sets the inspection intervals of the county');
      const intervals = fromDomain(() => parseIntervals(raw));
      const countyCode = who.jurisdiction;
      const current = await models.supervisionPolicies.findById(countyCode, { outbox: 0 }).lean<SupervisionPolicyDoc>();
      const doc: SupervisionPolicyDoc = {
        _id: countyCode,
        intervals,
        version: (current?.version ?? 0) + 1,
        changedBy: who.subject,
        changedAt: deps.now().toISOString(),
      };
      const policies_ = collectionOf(models.supervisionPolicies);
      const entry = [intervalsChanged(doc)];
      if (current) {
        const res = await policies_.updateOne(
          { _id: countyCode, version: current.version },
          withOutbox<SupervisionPolicyDoc>({ $set: { ...doc, rescheduled: false } }, entry),
        );
        if (res.matchedCount === 0) throw conflict('the intervals changed meanwhile; read them again');
      } else {
        try {
          await policies_.insertOne({ ...doc, rescheduled: false, ...newOutbox(entry) });
        } catch (err) {
          if (isDuplicateKeyError(err)) throw conflict('the intervals changed meanwhile; read them again');
          throw err;
        }
      }
      deps.relay.kick(models.supervisionPolicies.collection, [countyCode]);
      policies.delete(countyCode);
      // Thousands of schedules may move: the answer does not wait. A crash before the end is
      // resumed at start-up (unfinishedCounties).
      void rescheduleCounty(countyCode).catch((err: unknown) =>
        deps.logger.error({ err, countyCode }, 'moving the schedules to new intervals failed; resumed at the next start'),
      );
      return { countyCode, intervals, version: doc.version, changedBy: doc.changedBy, changedAt: doc.changedAt };
    },

    rescheduleCounty,

    /** Counties whose last change of intervals has not moved every schedule yet. */
    async unfinishedCounties(): Promise<string[]> {
      const docs = await models.supervisionPolicies.find({ rescheduled: false }, { _id: 1 }).lean<Array<{ _id: string }>>();
      return docs.map((d) => d._id);
    },

    /** 检查到期: units due or overdue for inspection under a jurisdiction, by due date. */
    async queue(
      who: Identity,
      args: {
        queue: DueQueue;
        jurisdictionCode?: string | null;
        withinDays?: number | null;
        first: number;
        after?: string | null;
      },
    ): Promise<Page<ScheduleDoc>> {
      const scope = scopeCode(who, args.jurisdictionCode);
      const withinDays = args.withinDays ?? 30;
      if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 366)
        throw validationFailed([{ path: '$.withinDays', reason: 'must be an integer from 1 to 366' }], 'invalid withinDays');
      const now = deps.now().getTime();
      const range: ScoreRange =
        args.queue === 'overdue'
          ? { min: -Infinity, max: now - 1 }
          : args.queue === 'due_soon'
            ? { min: now, max: now + withinDays * DAY }
            : { min: -Infinity, max: Infinity };
      const key = deps.schedules.dueKey(scope);
      const rows = await rangePage(redis, key, range, args.first, args.after ? decode(args.after) : undefined);
      const page = rows.slice(0, args.first);
      const docs = await byUnits(
        who,
        page.map((r) => r.id),
      );
      const last = page.at(-1);
      return {
        nodes: docs.filter((d): d is ScheduleDoc => d !== null),
        hasNextPage: rows.length > args.first,
        endCursor: last ? encode(last.score, last.id) : null,
        totalCount: () => countRange(redis, key, range),
      };
    },

    byUnits,

    /** Puts every schedule back into Redis from the store (the read-model rebuild). */
    async reindexAll(): Promise<number> {
      let n = 0;
      for await (const doc of models.schedules.find({}, { outbox: 0, outboxPending: 0 }).lean<ScheduleDoc>().cursor()) {
        await deps.schedules.put(doc, doc.scope);
        n += 1;
      }
      return n;
    },
  };
}

export type SupervisionService = ReturnType<typeof supervisionService>;
