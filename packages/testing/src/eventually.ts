import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `check` until it stops throwing; rethrows its last error after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await sleep(opts.intervalMs ?? 100);
    }
  }
}
