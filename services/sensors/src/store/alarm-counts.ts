import { placementCounts, startLeasedInterval, type Logger, type Placement, type Redis } from '@firegov/kit';
import type { Alarm } from '../domain/alarm.ts';
import type { SensorsModels } from './models.ts';

/**
 * The alarm queue's counts (`alarmStats`), kept in Redis so the dashboard reads one hash per
 * jurisdiction instead of counting alarms in the store (which reads every alarm on the local
 * store, and alarms only grow). Each alarm counts under every code of its scope: `open`, `unack`
 * (open and still raised), and, by the Beijing day it was raised, `confirmed|<day>` or
 * `false|<day>` once judged.
 */
export interface AlarmCounts {
  /** Recounts these alarms as stored now (after any write). Never throws. */
  record(ids: readonly string[]): Promise<void>;
  /** Cell → count under one code; null until the counts are built (answer from the store). */
  cells(code: string): Promise<Map<string, number> | null>;
  rebuild(): Promise<number>;
  rebuildIfMissing(): Promise<void>;
}

type Counted = Pick<Alarm, '_id' | 'scope' | 'open' | 'status' | 'raisedAt'> & { steps: Array<{ action: string }> };
const COUNTED_FIELDS = { _id: 1, scope: 1, open: 1, status: 1, raisedAt: 1, 'steps.action': 1 } as const;
const BEIJING_MS = 8 * 3_600_000;

export const beijingDay = (iso: string): string => new Date(Date.parse(iso) + BEIJING_MS).toISOString().slice(0, 10);

export function alarmPlacement(a: Counted): Placement | null {
  const cells: string[] = [];
  if (a.open) cells.push('open');
  if (a.open && a.status === 'raised') cells.push('unack');
  const actions = new Set(a.steps.map((s) => s.action));
  if (actions.has('confirm')) cells.push(`confirmed|${beijingDay(a.raisedAt)}`);
  if (actions.has('mark_false_alarm')) cells.push(`false|${beijingDay(a.raisedAt)}`);
  return cells.length > 0 ? { codes: a.scope, cells } : null;
}

export function alarmCounts(deps: { models: SensorsModels; redis: Redis; keyPrefix: string; logger: Logger }): AlarmCounts {
  const counts = placementCounts(deps.redis, { key: `${deps.keyPrefix}alarms:counts`, logger: deps.logger });
  const alarms = deps.models.alarms;
  return {
    async record(ids) {
      if (ids.length === 0) return;
      try {
        const docs = await alarms.find({ _id: { $in: [...ids] } }, COUNTED_FIELDS).lean<Counted[]>();
        await Promise.all(docs.map((a) => counts.record(a._id, alarmPlacement(a))));
      } catch (err) {
        deps.logger.error({ err, alarms: ids.length }, 'alarm counts not updated; the next recount repairs them');
      }
    },
    async cells(code) {
      return (await counts.ready()) ? counts.cells(code) : null;
    },
    rebuild() {
      async function* all() {
        for await (const a of alarms.find({}, COUNTED_FIELDS).lean<Counted[]>().cursor())
          yield { id: a._id, placement: alarmPlacement(a) };
      }
      return counts.rebuild(all());
    },
    async rebuildIfMissing() {
      if (!(await counts.ready())) await this.rebuild();
    },
  };
}

/** Builds the counts if Redis has none, then recounts on one replica every `intervalMs`. */
export function startAlarmCounts(o: {
  counts: AlarmCounts;
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
  intervalMs: number;
}) {
  const building = o.counts
    .rebuildIfMissing()
    .catch((err: unknown) => o.logger.error({ err }, 'alarm counts could not be built; the recount will retry'));
  const recount = startLeasedInterval({
    redis: o.redis,
    leaseKey: `${o.keyPrefix}alarms:recount:lease`,
    leaseTtlMs: 10 * 60_000,
    intervalMs: o.intervalMs,
    work: () => o.counts.rebuild(),
    onError: (err) => o.logger.error({ err }, 'alarm recount failed'),
  });
  return {
    async stop() {
      await Promise.all([recount.stop(), building]);
    },
  };
}
