import type { Logger } from 'pino';

/**
 * Shutdown runs in this order, each phase after the previous one finished:
 *   intake      stop taking new work (HTTP server closes, readiness turns 503)
 *   drain       consumers finish the batch in hand and commit its offsets
 *   background  timers and relays (outbox relay flushes what is pending)
 *   connections producer, database and Redis connections close
 *   telemetry   last, so spans from the phases above are still exported
 * Within a phase, hooks run concurrently.
 */
export const SHUTDOWN_PHASES = ['intake', 'drain', 'background', 'connections', 'telemetry'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export interface Shutdown {
  register(phase: ShutdownPhase, name: string, hook: () => Promise<void> | void): void;
  /** Runs all hooks once; later calls return the same promise. */
  run(reason: string): Promise<void>;
  readonly started: boolean;
  /** Wires SIGTERM/SIGINT to run() then exit; a second signal exits at once. */
  installSignalHandlers(exit?: (code: number) => void): void;
}

export function createShutdown(logger: Logger, timeoutMs = 15_000): Shutdown {
  const hooks = new Map<ShutdownPhase, Array<{ name: string; hook: () => Promise<void> | void }>>();
  let running: Promise<void> | undefined;

  const run = (reason: string): Promise<void> => {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      for (const phase of SHUTDOWN_PHASES) {
        const list = hooks.get(phase) ?? [];
        await Promise.all(
          list.map(async ({ name, hook }) => {
            try {
              await hook();
            } catch (err) {
              logger.error({ err, phase, hook: name }, 'shutdown hook failed');
            }
          }),
        );
      }
    })();
    return running;
  };

  return {
    register(phase, name, hook) {
      const list = hooks.get(phase) ?? [];
      list.push({ name, hook });
      hooks.set(phase, list);
    },
    run,
    get started() {
      return running !== undefined;
    },
    installSignalHandlers(exit = (code) => process.exit(code)) {
      const onSignal = (signal: NodeJS.Signals) => {
        if (running) {
          logger.warn({ signal }, 'second signal: exiting now');
          exit(130);
          return;
        }
        const timer = setTimeout(() => {
          logger.error({ timeoutMs }, 'shutdown timed out: exiting');
          exit(1);
        }, timeoutMs);
        timer.unref();
        run(signal).then(
          () => exit(0),
          () => exit(1),
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
  };
}
