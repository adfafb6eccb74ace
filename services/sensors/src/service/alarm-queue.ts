import { backoffDelay } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Device } from '../domain/device.ts';
import type { RaiseOrClear } from './alarm-writer.ts';

export type AlarmChange = { device: Device; steps: RaiseOrClear[] };

/**
 * The evaluator's alarm writes, behind it (write-behind mode). Writing a batch's alarms in the
 * batch held up every partition of the consumer's fetch (kafkajs fetches again only when all
 * partitions' batches are done): one alarm insert under a busy store stopped the readings of every
 * device for 100–250 ms, which is most of what an alarm waited before it reached Kafka. Now the
 * batch hands its rule outcomes here and returns; the queue writes whatever has gathered in one go
 * (one read of open alarms, one insert), in the order the batches produced it.
 *
 * Nothing is lost: a checkpoint waits for `drained()` before it writes the live state, and the
 * consumer commits offsets only after the checkpoint, so a crash replays readings whose alarms may
 * not have been stored (alarm ids derive from device, type, point and time: a replay inserts
 * nothing twice). A failed write keeps its changes, ahead of later ones, and is tried again after
 * a backoff or at the next `drained()`.
 */
export function alarmQueue(deps: {
  write: (changes: readonly AlarmChange[]) => Promise<number>;
  logger: Logger;
  /** Alarms newly raised by a completed write. */
  onWritten: (raised: number) => void;
}) {
  let queued: AlarmChange[] = [];
  let running: Promise<void> | undefined;
  let failures = 0;
  let lastError: unknown;
  let retry: NodeJS.Timeout | undefined;
  // Changes ever queued and ever stored: `drained()` waits for what was queued when it was called,
  // not for a queue that a steady stream of alarms may never leave empty.
  let queuedTotal = 0;
  let storedTotal = 0;

  /** One write of everything queued now. */
  async function writeQueued(): Promise<void> {
    const batch = queued;
    queued = [];
    try {
      deps.onWritten(await deps.write(batch));
      storedTotal += batch.length;
      failures = 0;
      lastError = undefined;
    } catch (err) {
      // Ahead of what came meanwhile: a device's raise is written before its later repeat or clear.
      queued = [...batch, ...queued];
      failures += 1;
      lastError = err;
      const delay = backoffDelay(failures, 200, 10_000);
      deps.logger.error({ err, changes: queued.length, retryInMs: delay }, 'alarm write failed; kept and tried again');
      clearTimeout(retry);
      retry = setTimeout(start, delay);
      retry.unref();
    }
  }

  function start(): void {
    if (running || queued.length === 0) return;
    running = writeQueued().finally(() => {
      running = undefined;
      // What came during the write goes next; after a failure the backoff timer starts it.
      if (failures === 0) start();
    });
  }

  return {
    /** Queues a batch's outcomes; written at once if nothing is being written, else with the next write. */
    push(changes: readonly AlarmChange[]): void {
      if (changes.length === 0) return;
      queued.push(...changes);
      queuedTotal += changes.length;
      if (failures === 0) start();
    },
    /** Resolves once everything queued before the call is stored; rejects (keeping it queued) when the store refuses. */
    async drained(): Promise<void> {
      const target = queuedTotal;
      while (storedTotal < target) {
        if (!running) {
          // Now, rather than when the backoff timer fires.
          clearTimeout(retry);
          start();
        }
        await running;
        if (failures > 0) throw new Error(`${queued.length} alarm changes not yet stored`, { cause: lastError });
      }
    },
    /** Changes waiting to be written (for tests and metrics). */
    size: (): number => queued.length,
  };
}
