import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Pid-file process management: the stack only ever stops what it started itself.

export interface ProcSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Restart the process when it dies unexpectedly (the pid file then names the supervisor). */
  supervise?: boolean;
}

// A shell loop is the whole supervisor: `down` signals the process group, which ends both.
const SUPERVISOR = 'while :; do "$@"; code=$?; echo "[supervisor] $1 exited with $code; restarting in 1 s" >&2; sleep 1; done';

export function pidFile(dataDir: string, name: string): string {
  return path.join(dataDir, 'run', `${name}.pid`);
}

export function logFile(dataDir: string, name: string): string {
  return path.join(dataDir, 'logs', `${name}.log`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(dataDir: string, name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(dataDir, name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function runningPid(dataDir: string, name: string): number | undefined {
  const pid = readPid(dataDir, name);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Starts a detached process whose output goes to its log file; returns its pid. */
export function startDetached(dataDir: string, spec: ProcSpec): number {
  fs.mkdirSync(path.dirname(pidFile(dataDir, spec.name)), { recursive: true });
  fs.mkdirSync(path.dirname(logFile(dataDir, spec.name)), { recursive: true });
  const out = fs.openSync(logFile(dataDir, spec.name), 'a');
  const [command, args] = spec.supervise
    ? ['bash', ['-c', SUPERVISOR, 'supervisor', spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(command, args, {
    cwd: spec.cwd,
    ...(spec.env ? { env: spec.env } : {}),
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  child.unref();
  fs.writeFileSync(pidFile(dataDir, spec.name), `${child.pid}\n`);
  return child.pid;
}

/**
 * Whether any process of the group `pid` leads is alive. A supervisor dies at once on SIGTERM;
 * the process it runs may not (FerretDB waits for its connections), and must not outlive a stop.
 */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' || isAlive(pid);
  }
}

/** SIGTERM to the process group, then SIGKILL to whatever of it is left after the grace period; removes the pid file. */
export async function stopByPidFile(dataDir: string, name: string, graceMs = 20_000): Promise<boolean> {
  const pid = readPid(dataDir, name);
  const file = pidFile(dataDir, name);
  if (pid === undefined || !groupAlive(pid)) {
    fs.rmSync(file, { force: true });
    return false;
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  // Bounded: a process the kernel has not reaped yet still answers signal 0.
  const killDeadline = Date.now() + 5000;
  while (groupAlive(pid) && Date.now() < killDeadline) await sleep(50);
  fs.rmSync(file, { force: true });
  return true;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // Detached children lead their own process group; signal the group so wrappers take their children along.
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function tailLog(dataDir: string, name: string, lines = 15): string {
  return tailFile(logFile(dataDir, name), lines);
}

export function tailFile(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
