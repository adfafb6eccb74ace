import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@firegov/kit';

// The gateway is stateless and bound by one core per process (HTTP in and out, validation, tracing);
// GATEWAY_WORKERS > 1 runs that many processes on one port (node's cluster: the primary accepts
// and hands connections round-robin), as a host with spare cores would be used. The primary only
// supervises: a worker that dies is replaced, a signal is passed on and the primary exits once
// every worker has drained.

const RESTART_DELAY_MS = 1000;

export async function superviseWorkers(o: { count: number; logger: Logger; shutdownTimeoutMs: number }): Promise<void> {
  const { logger } = o;
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.process.pid, code, signal }, 'gateway worker died: starting another');
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  const online = Array.from({ length: o.count }, () => fork());
  await Promise.all(online.map((w) => new Promise<void>((resolve) => w.once('listening', () => resolve()))));
  logger.info({ workers: o.count }, 'gateway workers listening');

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    // Each worker drains its requests (its own shutdown); the primary waits for all of them.
    for (const w of workers) w.process.kill(signal);
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: o.shutdownTimeoutMs }, 'gateway workers did not stop in time: exiting');
      process.exit(1);
    }, o.shutdownTimeoutMs + 2000);
    timer.unref();
    void Promise.all(workers.map((w) => (w.isDead() ? Promise.resolve() : new Promise((r) => w.once('exit', r))))).then(() =>
      process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
