import { stderrSay } from './progress.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM aborts the returned signal, so whatever is running (a build, a
 * readiness wait, the foreground platform) unwinds and stops what it started. A second Ctrl-C
 * exits at once, for a person who does not want to wait for that.
 */
export function interruptSignal(prefix: string): AbortSignal {
  const controller = new AbortController();
  const say = stderrSay(prefix);
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say(`${sig} again: exiting without stopping the rest`);
      process.exit(130);
    }
    say(`${sig}: stopping what was started (Ctrl-C again to exit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/** Resolves on Ctrl-C; keeps the process alive until then, even when nothing else would. */
export function untilInterrupted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const keepAlive = setInterval(() => undefined, 60_000);
  return new Promise<void>((resolve) =>
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    ),
  );
}
