import { isUserRole, type Identity } from '@firegov/auth';
import { withOutbox, type OutboxRelay } from '@firegov/events';
import { AppError, collectionOf, conflict, forbidden, fromDomain, notFound } from '@firegov/kit';
import { decodeCursor, encodeCursor, pageSize, type Page } from '@firegov/service';
import type { Alarm, AlarmStatus, AlarmStep } from '../domain/alarm.ts';
import { applyStep, closesOnRestore, SYSTEM_ACTOR } from '../domain/alarm-lifecycle.ts';
import { alarmEvent } from '../events/outbound.ts';
import type { Filter } from 'mongodb';
import { beijingDay, type AlarmCounts } from '../store/alarm-counts.ts';
import type { AlarmDoc, SensorsModels } from '../store/models.ts';

const NO_OUTBOX = { outbox: 0, outboxPending: 0 } as const;

const EVENT_OF = {
  acknowledge: 'acknowledged',
  confirm: 'confirmed',
  mark_false_alarm: 'false_alarm',
  clear: 'cleared',
} as const;

export interface AlarmFilter {
  open?: boolean | null;
  status?: AlarmStatus | null;
  type?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface AlarmStats {
  open: number;
  unacknowledged: number;
  confirmed: number;
  falseAlarms: number;
  /** Judged alarms that were false: 误报率. Null before any alarm was judged. */
  falseAlarmRate: number | null;
}

/** People who handle alarms: the county's own organisation, in their jurisdiction. Outside parties never. */
function handler(who: Identity): Identity {
  if (!isUserRole(who.role)) throw forbidden('alarms are handled by the county, township and village staff');
  return who;
}

/** The lifecycle of alarms people handle (acknowledge, confirm, false alarm, clear) and their queues. */
export function alarmService(deps: { models: SensorsModels; relay: OutboxRelay; now: () => Date; counts?: AlarmCounts }) {
  const alarms = deps.models.alarms;

  async function step(who: Identity, id: string, action: keyof typeof EVENT_OF, note?: string): Promise<Alarm> {
    handler(who);
    const alarm = await alarms.findById(id, NO_OUTBOX).lean<AlarmDoc>();
    if (!alarm || !alarm.scope.includes(who.jurisdiction)) throw notFound('alarm');
    const { status, step: taken } = fromDomain(() => applyStep(alarm, action, who.subject, deps.now().getTime()));
    const s: AlarmStep = { ...taken, ...(note ? { note } : {}) };
    let next: Alarm = { ...alarm, status, open: status !== 'cleared', steps: [...alarm.steps, s] };
    const events = [alarmEvent(EVENT_OF[action], next, s)];
    // A fire signal whose device already restored waited only for this judgement: it closes now.
    if (alarm.restoredAt && next.open && closesOnRestore(next)) {
      const auto = applyStep(next, 'auto_clear', SYSTEM_ACTOR, deps.now().getTime());
      const autoStep: AlarmStep = { ...auto.step, note: `the device had restored at ${alarm.restoredAt}` };
      next = { ...next, status: auto.status, open: false, steps: [...next.steps, autoStep] };
      events.push(alarmEvent('cleared', next, autoStep));
    }
    const res = await alarms.updateOne(
      { _id: id, status: alarm.status },
      withOutbox<AlarmDoc>(
        { $set: { status: next.status, open: next.open }, $push: { steps: { $each: next.steps.slice(alarm.steps.length) } } },
        events,
      ),
    );
    if (res.matchedCount === 0) throw conflict('the alarm changed meanwhile; reload it');
    deps.relay.kick(alarms.collection, [id]);
    await deps.counts?.record([id]);
    return next;
  }

  return {
    acknowledge: (who: Identity, id: string, note?: string) => step(who, id, 'acknowledge', note),
    confirm: (who: Identity, id: string, note?: string) => step(who, id, 'confirm', note),
    markFalse: (who: Identity, id: string, note?: string) => step(who, id, 'mark_false_alarm', note),
    clear: (who: Identity, id: string, note?: string) => step(who, id, 'clear', note),

    async byId(who: Identity, id: string): Promise<Alarm> {
      const alarm = await alarms.findById(id, NO_OUTBOX).lean<AlarmDoc>();
      if (!alarm || !alarm.scope.includes(who.jurisdiction)) throw notFound('alarm');
      return alarm;
    },

    /** The caller's alarm queue: newest first; open ones by default. */
    async list(who: Identity, f: AlarmFilter): Promise<Page<Alarm>> {
      const limit = pageSize(f.first);
      const base = {
        scope: who.jurisdiction,
        ...(f.open != null ? { open: f.open } : f.status ? {} : { open: true }),
        ...(f.status ? { status: f.status } : {}),
        ...(f.type ? { type: f.type } : {}),
      };
      // Newest first by id would not be time order; alarms are paged by raisedAt then id.
      const cursor = f.after ? decodeCursor(f.after) : undefined;
      const [afterAt, afterId] = cursor ? cursor.split('|') : [];
      const filter =
        afterAt && afterId
          ? { ...base, $or: [{ raisedAt: { $lt: afterAt } }, { raisedAt: afterAt, _id: { $gt: afterId } }] }
          : base;
      const docs = await collectionOf(alarms)
        .find(filter as Filter<AlarmDoc>, { projection: NO_OUTBOX })
        .sort({ raisedAt: -1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      const nodes = docs.slice(0, limit);
      const last = nodes.at(-1);
      return {
        nodes,
        hasNextPage: docs.length > limit,
        endCursor: last ? encodeCursor(`${last.raisedAt}|${last._id}`) : null,
        totalCount: async () => {
          // The open queue (the default) is counted in Redis; other filters count in the store.
          const openQueue = f.open !== false && !f.status && !f.type;
          const cells = openQueue ? await deps.counts?.cells(who.jurisdiction) : null;
          return cells ? (cells.get('open') ?? 0) : collectionOf(alarms).countDocuments(base as Filter<AlarmDoc>);
        },
      };
    },

    /** Open alarms of these units, for `Unit.activeAlarms`. */
    async openAt(who: Identity, unitIds: readonly string[]): Promise<Map<string, Alarm[]>> {
      const docs = await alarms
        .find({ unitId: { $in: [...unitIds] }, open: true }, NO_OUTBOX)
        .sort({ raisedAt: -1 })
        .lean<AlarmDoc[]>();
      const out = new Map<string, Alarm[]>();
      for (const a of docs) {
        if (!a.unitId || !a.scope.includes(who.jurisdiction)) continue;
        out.set(a.unitId, [...(out.get(a.unitId) ?? []), a]);
      }
      return out;
    },

    async stats(who: Identity, sinceDays: number): Promise<AlarmStats> {
      if (sinceDays < 1 || sinceDays > 366)
        throw new AppError('VALIDATION_FAILED', 'sinceDays out of range', {
          details: [{ path: '$.sinceDays', reason: 'must be between 1 and 366' }],
        });
      const since = new Date(deps.now().getTime() - sinceDays * 86_400_000).toISOString();
      const cells = await deps.counts?.cells(who.jurisdiction);
      if (cells) {
        // Judged alarms count by the Beijing day they were raised: the window starts on `since`'s day.
        const from = beijingDay(since);
        const judgedSince = (kind: string) =>
          [...cells].reduce(
            (n, [cell, c]) => (cell.startsWith(`${kind}|`) && cell.slice(kind.length + 1) >= from ? n + c : n),
            0,
          );
        const [confirmed, falseAlarms] = [judgedSince('confirmed'), judgedSince('false')];
        const judged = confirmed + falseAlarms;
        return {
          open: cells.get('open') ?? 0,
          unacknowledged: cells.get('unack') ?? 0,
          confirmed,
          falseAlarms,
          falseAlarmRate: judged === 0 ? null : falseAlarms / judged,
        };
      }
      // Until the counts are built (a new or flushed Redis): from the store.
      const scope = { scope: who.jurisdiction };
      const judged = (status: AlarmStatus) =>
        alarms.countDocuments({
          ...scope,
          raisedAt: { $gte: since },
          'steps.action': status === 'confirmed' ? 'confirm' : 'mark_false_alarm',
        });
      const [open, unacknowledged, confirmed, falseAlarms] = await Promise.all([
        alarms.countDocuments({ ...scope, open: true }),
        alarms.countDocuments({ ...scope, open: true, status: 'raised' }),
        judged('confirmed'),
        judged('false_alarm'),
      ]);
      const total = confirmed + falseAlarms;
      return { open, unacknowledged, confirmed, falseAlarms, falseAlarmRate: total === 0 ? null : falseAlarms / total };
    },
  };
}

export type AlarmService = ReturnType<typeof alarmService>;
