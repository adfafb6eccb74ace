import type { Logger } from '@firegov/kit';
import type { Redis } from 'ioredis';
import type { HazardIndex } from '../store/hazard-index.ts';
import { acquireLease, countEscalations } from '@firegov/kit';
import type { HazardService } from './hazards.ts';

export interface SweepResult {
  /** False when another replica held the lease: this one did nothing. */
  ran: boolean;
  examined: number;
  escalated: number;
  actions: Record<string, number>;
  ms: number;
}

const BATCH = 200;
const CONCURRENCY = 8;

/**
 * One pass of the escalation ladder (逾期 → 挂牌督办 → reminders) over every hazard (then every
 * overdue inspection schedule) whose `nextCheckAt` has come, read from the sweep's sorted set (an index, not a scan). A Redis lease
 * makes it run on one replica at a time; each hazard is re-read and decided from its own document,
 * so a stale index entry costs a read, never a wrong escalation.
 */
/** A queue the ladder walks: a sorted set of ids by next check, and the step for one id. */
export interface Ladder {
  name: string;
  key: string;
  escalateOne(id: string, now: Date): Promise<Array<{ kind: string }>>;
}

export async function sweepOnce(opts: {
  redis: Redis;
  index: HazardIndex;
  hazards: HazardService;
  /** Other ladders walked after the hazards' (overdue inspections: 分级分类监管). */
  ladders?: readonly Ladder[];
  now: Date;
  logger: Logger;
  leaseMs?: number;
}): Promise<SweepResult> {
  const started = Date.now();
  const result: SweepResult = { ran: false, examined: 0, escalated: 0, actions: {}, ms: 0 };
  const lease = await acquireLease(opts.redis, `${opts.index.prefix}sweep:lease`, opts.leaseMs ?? 30_000);
  if (!lease) return { ...result, ms: Date.now() - started };
  result.ran = true;
  const due = opts.now.getTime();

  async function drain(ladder: Ladder): Promise<void> {
    const seen = new Set<string>();
    while (lease!.held()) {
      const ids = (await opts.redis.zrange(ladder.key, '-inf', String(due), 'BYSCORE', 'LIMIT', 0, BATCH + seen.size)).filter(
        (id) => !seen.has(id),
      );
      if (ids.length === 0) break;
      const batch = ids.slice(0, BATCH);
      for (let i = 0; i < batch.length; i += CONCURRENCY) {
        if (!lease!.held()) break;
        await Promise.all(
          batch.slice(i, i + CONCURRENCY).map(async (id) => {
            seen.add(id);
            result.examined += 1;
            try {
              const actions = await ladder.escalateOne(id, opts.now);
              if (actions.length) result.escalated += 1;
              for (const a of actions) {
                result.actions[a.kind] = (result.actions[a.kind] ?? 0) + 1;
                countEscalations(ladder.name, a.kind);
              }
            } catch (err) {
              // One bad record must not stop the ladder for the others; it is retried next sweep.
              opts.logger.error({ err, ladder: ladder.name, id }, 'escalation of one record failed');
            }
          }),
        );
      }
    }
  }

  try {
    await drain({ name: 'hazards', key: opts.index.sweepKey(), escalateOne: (id, now) => opts.hazards.escalateOne(id, now) });
    for (const ladder of opts.ladders ?? []) await drain(ladder);
  } finally {
    await lease.release();
  }
  result.ms = Date.now() - started;
  return result;
}

/** Runs the sweep every `intervalMs` on the injected clock; stop() waits for a running pass. */
export function startEscalationScheduler(opts: {
  redis: Redis;
  index: HazardIndex;
  hazards: HazardService;
  ladders?: readonly Ladder[];
  now: () => Date;
  logger: Logger;
  intervalMs: number;
}): { stop: () => Promise<void>; runNow: () => Promise<SweepResult> } {
  let running: Promise<SweepResult> | null = null;
  const run = (): Promise<SweepResult> => {
    running ??= sweepOnce({ ...opts, now: opts.now() })
      .then((r) => {
        if (r.escalated) opts.logger.info(r, 'escalation sweep');
        return r;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    run().catch((err: unknown) => opts.logger.error({ err }, 'escalation sweep failed'));
  }, opts.intervalMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
