import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';

/**
 * Waits until `count()` reaches `target`, logging progress whenever it grows, and gives up only
 * when it has not grown for `stallMs`: a county-sized projection arriving over Kafka takes
 * minutes, but one that stopped growing will not finish. (Demo loaders wait for the registry.)
 */
export async function waitForCount(opts: {
  count: () => Promise<number>;
  target: number;
  what: string;
  logger: Logger;
  stallMs?: number;
  intervalMs?: number;
}): Promise<number> {
  const stallMs = opts.stallMs ?? 120_000;
  let seen = -1;
  let deadline = Date.now() + stallMs;
  for (let n = await opts.count(); ; n = await opts.count()) {
    if (n >= opts.target) return n;
    if (n > seen) {
      opts.logger.info({ done: n, total: opts.target }, `waiting for ${opts.what}`);
      seen = n;
      deadline = Date.now() + stallMs;
    }
    if (Date.now() > deadline)
      throw new Error(`${opts.what} stopped at ${n} of ${opts.target} (none new for ${Math.round(stallMs / 1000)} s)`);
    await sleep(opts.intervalMs ?? 1000);
  }
}
