const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs `create` and removes the SIGTERM/SIGINT listeners it added. The gateway runtime (through
 * @whatwg-node/server's `disposeOnProcessTerminate`, which it hard-codes) disposes itself the
 * moment a signal arrives, aborting queries still in flight with SHUTTING_DOWN. The process's own
 * shutdown (kit's createShutdown) owns the signals instead: it closes intake, lets in-flight
 * queries finish, then disposes the runtime.
 */
export function withoutAddedSignalListeners<T>(create: () => T): T {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const created = create();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return created;
}
