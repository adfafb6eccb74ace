import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Compare-and-act scripts: only the holder's token may extend or release, so a replica whose lease
// expired (a long GC pause) cannot release the lease another replica has taken since.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface Lease {
  /** False once the lease could not be extended: stop working, another replica may have it. */
  readonly held: () => boolean;
  release(): Promise<void>;
}

/**
 * A single-runner lease in Redis (SET NX PX), renewed while held. Work that must run once across
 * replicas — the escalation sweep — runs only while `held()`. Returns null when another holds it.
 */
export async function acquireLease(redis: Redis, key: string, ttlMs: number): Promise<Lease | null> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  let held = true;
  const timer = setInterval(
    () => {
      redis.eval(EXTEND, 1, key, token, String(ttlMs)).then(
        (r) => {
          if (Number(r) !== 1) held = false;
        },
        () => {
          held = false;
        },
      );
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    held: () => held,
    async release() {
      clearInterval(timer);
      held = false;
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

/**
 * Runs `work` every `intervalMs` on one replica at a time (a lease under `leaseKey`): periodic
 * repairs such as recomputing a read model from the store. A run still going when the next tick
 * comes is not started twice; `stop` waits for the current run.
 */
export function startLeasedInterval(opts: {
  redis: Redis;
  leaseKey: string;
  leaseTtlMs: number;
  intervalMs: number;
  work: () => Promise<unknown>;
  onError: (err: unknown) => void;
}): { stop: () => Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= (async () => {
      const lease = await acquireLease(opts.redis, opts.leaseKey, opts.leaseTtlMs);
      if (!lease) return;
      try {
        await opts.work();
      } finally {
        await lease.release();
      }
    })()
      .catch(opts.onError)
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
