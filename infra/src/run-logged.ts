import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tailFile } from './procs.ts';

// Runs the tools that fetch and build the stack (mvn, go, apt-get, java) as child processes that
// never block the event loop, so readiness clocks and progress lines keep running meanwhile.
// Their output goes to a log file; on failure the error carries its tail.

export interface RunOptions {
  logPath: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Lower CPU priority, for builds that must not slow down what the user is waiting for. */
  nice?: boolean;
  /** Return stdout instead of writing it to the log. */
  captureStdout?: boolean;
}

// Each tool runs in its own process group (go and mvn start children of their own), so an
// interrupted run can stop the whole tree; these groups are also ended if this process exits.
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export function abortError(): Error {
  const err = new Error('interrupted');
  err.name = 'AbortError';
  return err;
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export async function runLogged(cmd: string, args: string[], o: RunOptions): Promise<string> {
  o.signal?.throwIfAborted();
  fs.mkdirSync(path.dirname(o.logPath), { recursive: true });
  fs.appendFileSync(
    o.logPath,
    `\n$ ${[cmd, ...args].join(' ')}   (${new Date().toISOString()}${o.cwd ? `, in ${o.cwd}` : ''})\n`,
  );
  const out = fs.openSync(o.logPath, 'a');
  const [command, argv] = o.nice ? ['nice', ['-n', '10', cmd, ...args]] : [cmd, args];
  const child = spawn(command, argv, {
    cwd: o.cwd,
    ...(o.env ? { env: o.env } : {}),
    detached: true,
    stdio: ['ignore', o.captureStdout ? 'pipe' : out, out],
  });
  fs.closeSync(out);
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b));
  if (child.pid !== undefined) liveGroups.add(child.pid);
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (child.pid === undefined) return;
    killGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 5000);
    killTimer.unref();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`${cmd} could not run: ${err.message}`)));
      child.once('close', (c, sig) => resolve(c ?? sig ?? 'unknown'));
    });
    if (o.signal?.aborted) throw abortError();
    if (code !== 0) {
      throw new Error(
        `\`${[cmd, ...args].join(' ')}\` exited with ${code}. Last lines of ${o.logPath}:\n${tailFile(o.logPath, 20)}`,
      );
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    // The group may outlive its leader (a child the tool left behind); it ends with it.
    if (child.pid !== undefined) {
      killGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
    }
  }
}
