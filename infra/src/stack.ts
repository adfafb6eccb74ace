import { setTimeout as sleep } from 'node:timers/promises';
import { allComponents, components, type Component } from './components.ts';
import type { StackEnv } from './env.ts';
import { logFile, runningPid, startDetached, stopByPidFile, tailLog } from './procs.ts';

function log(msg: string): void {
  process.stderr.write(`[stack] ${msg}\n`);
}

async function answers(c: Component, env: StackEnv): Promise<boolean> {
  try {
    await c.probe(env);
    return true;
  } catch {
    return false;
  }
}

async function waitReady(c: Component, env: StackEnv, pid: number): Promise<void> {
  const deadline = Date.now() + env.STACK_READY_TIMEOUT_S * 1000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
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
    await sleep(250);
  }
  throw new Error(
    `${c.name} did not answer within ${env.STACK_READY_TIMEOUT_S}s (last error: ${last}). Log ${logFile(env.dataDir, c.name)}:\n${tailLog(env.dataDir, c.name)}`,
  );
}

/** Idempotent: starts what is not running, waits until every component answers. Returns what it started. */
export async function up(env: StackEnv): Promise<string[]> {
  const t0 = Date.now();
  const startedNames: string[] = [];
  const started: Array<Promise<void>> = [];
  for (const c of components(env)) {
    const pid = runningPid(env.dataDir, c.name);
    if (pid !== undefined) {
      started.push(waitReady(c, env, pid).then(() => log(`${c.name}: already running (pid ${pid})`)));
      continue;
    }
    if (await answers(c, env)) {
      log(`${c.name}: something not started by this stack already answers on its port; using it`);
      continue;
    }
    const spec = c.prepare(env);
    const newPid = startDetached(env.dataDir, spec);
    startedNames.push(c.name);
    const t = Date.now();
    started.push(
      waitReady(c, env, newPid).then(() => log(`${c.name}: ready in ${((Date.now() - t) / 1000).toFixed(1)}s (pid ${newPid})`)),
    );
  }
  const results = await Promise.allSettled(started);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    throw new Error(failed.map((f) => (f.reason as Error).message).join('\n\n'));
  }
  log(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  for (const c of components(env)) log(`  ${c.describe(env)}`);
  return startedNames;
}

/** Stops only what this stack started (by pid file), in reverse dependency order; `only` narrows it further. */
export async function down(env: StackEnv, only?: readonly string[]): Promise<void> {
  for (const c of allComponents) {
    if (only && !only.includes(c.name)) continue;
    const stopped = await stopByPidFile(env.dataDir, c.name);
    if (stopped) log(`${c.name}: stopped`);
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
