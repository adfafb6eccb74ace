import { setTimeout as sleep } from 'node:timers/promises';
import { allComponents, components, type Component } from './components.ts';
import type { StackEnv } from './env.ts';
import { formatDuration, stderrSay } from './progress.ts';
import type { ProvisionContext } from './provision.ts';
import { logFile, runningPid, startDetached, stopByPidFile, tailLog } from './procs.ts';
import { abortError, isAbort } from './run-logged.ts';

const say = stderrSay('stack');

async function answers(c: Component, env: StackEnv): Promise<boolean> {
  try {
    await c.probe(env);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `c` answers; its clock starts now, so call it right after starting the process. */
async function waitReady(c: Component, env: StackEnv, pid: number, signal: AbortSignal): Promise<void> {
  const t0 = Date.now();
  const deadline = t0 + env.STACK_READY_TIMEOUT_S * 1000;
  const heartbeatMs = env.STACK_HEARTBEAT_S * 1000;
  let nextBeat = t0 + heartbeatMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (signal.aborted) throw abortError();
    if (runningPid(env.dataDir, c.name) !== pid) {
      throw new Error(
        `${c.name} exited during start-up. Last log lines (${logFile(env.dataDir, c.name)}):\n${tailLog(env.dataDir, c.name)}`,
      );
    }
    try {
      await c.probe(env);
      return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() >= nextBeat) {
      say(`${c.name}: waiting for it to answer (${formatDuration(Date.now() - t0)}; last: ${last}) ...`);
      nextBeat += heartbeatMs;
    }
    await sleep(250);
  }
  throw new Error(
    `${c.name} did not answer within ${env.STACK_READY_TIMEOUT_S}s (last error: ${last}). Log ${logFile(env.dataDir, c.name)}:\n${tailLog(env.dataDir, c.name)}`,
  );
}

export interface UpOptions {
  /** What to bring up; by default the components this configuration wants. */
  components?: readonly Component[];
  /**
   * Optional components (Jaeger) build at low priority alongside the required ones and start when
   * built. 'wait' (the default): `up` also waits for them, at most STACK_JAEGER_WAIT_S in all, and
   * goes on without them after that or when they fail. 'background': `up` returns as soon as the
   * required components answer; the optional ones follow (see `onOptional`).
   */
  optional?: 'wait' | 'background';
  /** Ctrl-C: aborts builds and start-up; what was started is stopped before `up` rejects. */
  signal?: AbortSignal;
  /** An optional component answered (no error) or gave up (with the reason). */
  onOptional?: (name: string, error?: Error) => void;
}

export interface StackSession {
  /** Components this session started and will stop; optional ones join when they start. */
  readonly started: readonly string[];
  readonly ready: ReadonlySet<string>;
  /** Optional components that failed or were given up on, with the reason. */
  readonly failed: ReadonlyMap<string, Error>;
  /** Settles (never rejects) when every optional component is ready or given up on. */
  optionalSettled(): Promise<void>;
  /** Stops builds in progress and everything this session started, in reverse dependency order. */
  stop(): Promise<void>;
}

/**
 * Idempotent: provisions every required component that is not running, then starts them, and
 * resolves when each answers. Whatever was already running is used and left alone. On failure or
 * interruption it stops what it started and rejects naming the component and why.
 */
export async function up(env: StackEnv, opts: UpOptions = {}): Promise<StackSession> {
  const t0 = Date.now();
  const wanted = opts.components ?? components(env);
  // Aborted by Ctrl-C or stop(): kills builds, ends readiness waits. The optional controller can
  // also be aborted alone, when `up` stops waiting for an optional component.
  const all = new AbortController();
  const optionalOnly = new AbortController();
  all.signal.addEventListener('abort', () => optionalOnly.abort(), { once: true });
  if (opts.signal?.aborted) all.abort();
  opts.signal?.addEventListener('abort', () => all.abort(), { once: true });

  const started: string[] = [];
  const ready = new Set<string>();
  const failed = new Map<string, Error>();
  let optionalRuns: Promise<void> = Promise.resolve();
  let gaveUpWaiting = false;

  const stop = async () => {
    all.abort();
    await optionalRuns;
    await stopStarted(env, wanted, started);
  };
  const session: StackSession = { started, ready, failed, optionalSettled: () => optionalRuns, stop };
  const ctx = (background: boolean, signal: AbortSignal): ProvisionContext => ({ env, say, signal, background });
  const launch = async (c: Component, spec: Awaited<ReturnType<Component['prepare']>>, signal: AbortSignal) => {
    if (signal.aborted) throw abortError();
    const pid = startDetached(env.dataDir, spec);
    started.push(c.name);
    const t = Date.now();
    await waitReady(c, env, pid, signal);
    ready.add(c.name);
    say(`${c.name}: ready in ${formatDuration(Date.now() - t)} (pid ${pid})`);
  };
  const optionalGaveUp = async (c: Component, err: unknown) => {
    if (isAbort(err) && !gaveUpWaiting) return; // stopped with the session: nothing to report
    const reason = isAbort(err)
      ? new Error(
          `${c.name}: not ready within STACK_JAEGER_WAIT_S=${env.STACK_JAEGER_WAIT_S}s (run this again to go on: the Go build cache keeps the work done)`,
        )
      : named(c, err);
    if (started.includes(c.name)) {
      await stopByPidFile(env.dataDir, c.name);
      started.splice(started.indexOf(c.name), 1);
    }
    failed.set(c.name, reason);
    say(reason.message);
    say(`${c.name} is optional: going on without it`);
    opts.onOptional?.(c.name, reason);
  };

  try {
    const toStart: Component[] = [];
    const waits: Array<Promise<void>> = [];
    for (const c of wanted) {
      const pid = runningPid(env.dataDir, c.name);
      if (pid !== undefined) {
        const wait = waitReady(c, env, pid, all.signal).then(() => {
          ready.add(c.name);
          say(`${c.name}: already running (pid ${pid})`);
        });
        waits.push(c.optional ? wait.catch((err: unknown) => optionalGaveUp(c, err)) : wait);
        continue;
      }
      // Its supervisor is gone but what it ran may not be (a process that hung on SIGTERM): two
      // FerretDBs on one set of database files would share them.
      if (await stopByPidFile(env.dataDir, c.name, 5000)) say(`${c.name}: stopped what an earlier stack left of it`);
      if (await answers(c, env)) {
        ready.add(c.name);
        say(`${c.name}: something not started by this stack already answers on its port; using it`);
        continue;
      }
      toStart.push(c);
    }

    optionalRuns = Promise.all(
      toStart
        .filter((c) => c.optional)
        .map(async (c) => {
          try {
            await launch(c, await c.prepare(ctx(true, optionalOnly.signal)), optionalOnly.signal);
            say(`  ${c.describe(env)}`);
            opts.onOptional?.(c.name);
          } catch (err) {
            await optionalGaveUp(c, err);
          }
        }),
    ).then(() => undefined);

    // Every required component is provisioned before any starts, so no readiness clock runs
    // during a build; a failed build stops the others at once.
    const required = toStart.filter((c) => !c.optional);
    const prepared = await Promise.allSettled(
      required.map((c) =>
        c.prepare(ctx(false, all.signal)).catch((err: unknown) => {
          all.abort();
          throw named(c, err);
        }),
      ),
    );
    throwFirstFailure(prepared, all.signal);
    for (const [i, c] of required.entries()) {
      const spec = (prepared[i] as PromiseFulfilledResult<Awaited<ReturnType<Component['prepare']>>>).value;
      waits.push(launch(c, spec, all.signal));
    }
    throwFirstFailure(await Promise.allSettled(waits), all.signal);
    say(`up in ${formatDuration(Date.now() - t0)}`);
    for (const c of wanted) if (ready.has(c.name)) say(`  ${c.describe(env)}`);

    if ((opts.optional ?? 'wait') === 'wait' && toStart.some((c) => c.optional)) {
      const limitMs = Math.max(0, env.STACK_JAEGER_WAIT_S * 1000 - (Date.now() - t0));
      say(`waiting for optional components (at most ${formatDuration(limitMs)} more; STACK_JAEGER_WAIT_S) ...`);
      const timer = new AbortController();
      const timedOut = sleep(limitMs, true, { signal: timer.signal }).catch(() => false);
      const done = await Promise.race([optionalRuns.then(() => false), timedOut]);
      timer.abort();
      if (done) {
        gaveUpWaiting = true;
        optionalOnly.abort();
        await optionalRuns;
      }
      if (all.signal.aborted) throw abortError();
    }
    return session;
  } catch (err) {
    await stop();
    throw err;
  }
}

function named(c: Component, err: unknown): Error {
  if (isAbort(err)) return err as Error;
  const msg = err instanceof Error ? err.message : String(err);
  return new Error(msg.startsWith(`${c.name} `) || msg.startsWith(`${c.name}:`) ? msg : `${c.name}: ${msg}`);
}

/** Rejects with every real failure (interruptions of the others are noise), or with the interruption. */
function throwFirstFailure(results: Array<PromiseSettledResult<unknown>>, signal: AbortSignal): void {
  const errors = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as Error)
    .filter((e) => !isAbort(e));
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n\n'));
  if (signal.aborted) throw abortError();
}

async function stopStarted(env: StackEnv, wanted: readonly Component[], started: readonly string[]): Promise<void> {
  for (const c of [...wanted].reverse()) {
    if (!started.includes(c.name)) continue;
    if (await stopByPidFile(env.dataDir, c.name)) say(`${c.name}: stopped`);
  }
}

/** Stops only what this stack started (by pid file), in reverse dependency order; `only` narrows it further. */
export async function down(env: StackEnv, only?: readonly string[]): Promise<void> {
  for (const c of allComponents) {
    if (only && !only.includes(c.name)) continue;
    const stopped = await stopByPidFile(env.dataDir, c.name);
    if (stopped) say(`${c.name}: stopped`);
  }
}

/** True when every component this configuration wants answers (whoever started it). */
export async function isUp(env: StackEnv): Promise<boolean> {
  const results = await Promise.all(components(env).map((c) => answers(c, env)));
  return results.every(Boolean);
}

export async function status(env: StackEnv): Promise<boolean> {
  let allUp = true;
  for (const c of allComponents) {
    const pid = runningPid(env.dataDir, c.name);
    const ok = await answers(c, env);
    const wanted = components(env).includes(c);
    if (wanted && !ok) allUp = false;
    const state = ok ? 'answering' : 'not answering';
    process.stdout.write(
      `${c.name.padEnd(9)} ${state.padEnd(14)} ${pid !== undefined ? `pid ${pid}` : 'not started by this stack'}\n`,
    );
  }
  return allUp;
}
