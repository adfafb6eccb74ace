import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@firegov/testing';

// The fresh-machine path of `up`, with fake components whose builds are `sleep`s (real processes,
// pid files and signals; its own ports and FIREGOV_DATA): a slow build must not eat the readiness
// clock of anything, progress must show, and a failure or Ctrl-C must leave nothing running.

const fixture = path.join(__dirname, 'fixtures', 'fake-stack.ts');

interface Run {
  child: ChildProcess;
  dataDir: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line starting with `prefix`, parsed. */
  line: <T>(prefix: string, timeoutMs?: number) => Promise<T>;
  exit: Promise<number | null>;
}

const runs: Run[] = [];

function runFake(components: object[], opts: { mode?: 'background' | 'wait'; env?: Record<string, string> } = {}): Run {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-first-run-'));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', fixture], {
    env: {
      ...process.env,
      FIREGOV_DATA: dataDir,
      FIREGOV_CACHE: path.join(dataDir, 'cache'),
      STACK_READY_TIMEOUT_S: '5',
      STACK_HEARTBEAT_S: '1',
      FAKE_COMPONENTS: JSON.stringify(components),
      FAKE_MODE: opts.mode ?? 'background',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const run: Run = {
    child,
    dataDir,
    stdout: () => out,
    stderr: () => err,
    exit,
    line: async <T>(prefix: string, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = out.split('\n').find((l) => l.startsWith(`${prefix} `));
        if (found) return JSON.parse(found.slice(prefix.length + 1)) as T;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`no ${prefix} line (exit ${child.exitCode})\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  runs.push(run);
  return run;
}

/** Pids of the fake stack's processes still alive; pid files of stopped ones are gone. */
function leftovers(dataDir: string): string[] {
  const runDir = path.join(dataDir, 'run');
  if (!fs.existsSync(runDir)) return [];
  return fs.readdirSync(runDir).map((f) => `${f} (${fs.readFileSync(path.join(runDir, f), 'utf8').trim()})`);
}

/** Processes whose command line contains `marker` (a build's unique `sleep` argument). */
function processesWith(marker: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

afterEach(async () => {
  for (const r of runs.splice(0)) {
    if (r.child.exitCode === null) r.child.kill('SIGKILL');
    // Whatever a test left behind must not outlive it.
    for (const f of fs.existsSync(path.join(r.dataDir, 'run')) ? fs.readdirSync(path.join(r.dataDir, 'run')) : []) {
      const pid = Number(fs.readFileSync(path.join(r.dataDir, 'run', f), 'utf8'));
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test('a slow build delays no readiness clock, shows progress, and an optional component follows in the background', async () => {
  const [a, b, c] = [await freePort(), await freePort(), await freePort()];
  const run = runFake([
    { name: 'alpha', port: a, listenAfterMs: 300 },
    // Longer than STACK_READY_TIMEOUT_S: had alpha's clock run during it, alpha would have failed.
    { name: 'beta', port: b, buildS: 6.5 },
    { name: 'gamma', port: c, optional: true, buildS: 9.5 },
  ]);
  const upState = await run.line<{ ready: string[]; started: string[]; ms: number; maxGapMs: number }>('UP');
  expect(upState.ready.sort()).toEqual(['alpha', 'beta']);
  expect(upState.ms).toBeLessThan(9_000); // did not wait for gamma's build
  expect(upState.maxGapMs).toBeLessThan(1_000); // the event loop was never blocked by a build
  const err = run.stderr();
  expect(err).toMatch(/\[stack\] beta: building fake beta \(output in .*provision-beta\.log\)/);
  expect(err).toMatch(/\[stack\] beta: still building \(\d\.\ds\) \.\.\./);
  expect(err).toMatch(/\[stack\] beta: built in \d\.\ds/);
  // Provisioned first, started after: alpha starts only once beta is built.
  expect(err.indexOf('beta: built in')).toBeLessThan(err.indexOf('alpha: ready in'));
  expect(err).not.toMatch(/did not answer/);

  const optional = await run.line<{ ready: string[]; maxGapMs: number }>('OPTIONAL');
  expect(optional.ready.sort()).toEqual(['alpha', 'beta', 'gamma']);
  expect(optional.maxGapMs).toBeLessThan(1_000);
  expect(run.stderr()).toMatch(/\[stack\] gamma: still building \(\d\.\ds\) \.\.\./);
  expect(run.stderr()).toMatch(/\[stack\] gamma: ready in/);
  expect(leftovers(run.dataDir)).toHaveLength(3);

  run.child.kill('SIGINT');
  expect(await run.exit).toBe(0);
  expect(run.stdout()).toContain('STOPPED');
  expect(leftovers(run.dataDir)).toEqual([]);
  for (const port of [a, b, c]) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
}, 45_000);

test('a component that fails to start stops everything started, names itself with its log, and ends builds in progress', async () => {
  const [a, b, c] = [await freePort(), await freePort(), await freePort()];
  const marker = '30.417';
  const run = runFake([
    { name: 'alpha', port: a },
    { name: 'beta', port: b, startError: 'beta: address already in use (fake)' },
    { name: 'gamma', port: c, optional: true, buildS: Number(marker) },
  ]);
  expect(await run.exit).toBe(1);
  expect(run.stderr()).toMatch(
    /\[stack\] beta exited during start-up\. Last log lines .*beta\.log\):\nbeta: address already in use \(fake\)/,
  );
  expect(run.stderr()).toMatch(/\[stack\] alpha: stopped/);
  expect(leftovers(run.dataDir)).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${a}/`)).rejects.toThrow();
  expect(processesWith(`sleep ${marker}`)).toEqual([]);
}, 30_000);

test('a failed build names the component and the tail of its build log; nothing was started', async () => {
  const [a, b] = [await freePort(), await freePort()];
  const run = runFake([
    { name: 'alpha', port: a, buildS: 1 },
    { name: 'beta', port: b, buildError: 'verifying module: checksum mismatch (fake)' },
  ]);
  expect(await run.exit).toBe(1);
  expect(run.stderr()).toMatch(
    /\[stack\] beta: `sh -c .*` exited with 3\. Last lines of .*provision-beta\.log:\n(.*\n)*verifying module: checksum mismatch \(fake\)/,
  );
  expect(leftovers(run.dataDir)).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${a}/`)).rejects.toThrow();
}, 30_000);

test('Ctrl-C during a build ends the build and leaves nothing running', async () => {
  const [a, b] = [await freePort(), await freePort()];
  const marker = '40.713';
  const run = runFake([
    { name: 'alpha', port: a },
    { name: 'beta', port: b, buildS: Number(marker) },
  ]);
  const deadline = Date.now() + 15_000;
  while (!run.stderr().includes('beta: building') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(processesWith(`sleep ${marker}`)).toHaveLength(1);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(130);
  expect(run.stderr()).toContain('[stack] interrupted');
  expect(processesWith(`sleep ${marker}`)).toEqual([]);
  expect(leftovers(run.dataDir)).toEqual([]);
}, 30_000);

test('an optional component that fails to build leaves the others running, and says so', async () => {
  const [a, c] = [await freePort(), await freePort()];
  const run = runFake([
    { name: 'alpha', port: a },
    { name: 'gamma', port: c, optional: true, buildError: 'go: build failed (fake)' },
  ]);
  const optional = await run.line<{ ready: string[]; failed: string[] }>('OPTIONAL');
  expect(optional).toMatchObject({ ready: ['alpha'], failed: ['gamma'] });
  expect(run.stderr()).toMatch(/go: build failed \(fake\)\n\[stack\] gamma is optional: going on without it/);
  expect((await fetch(`http://127.0.0.1:${a}/`)).ok).toBe(true);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(0);
  expect(leftovers(run.dataDir)).toEqual([]);
}, 30_000);

test('`up` in wait mode waits for an optional build, but only as long as STACK_JAEGER_WAIT_S', async () => {
  const [a, c] = [await freePort(), await freePort()];
  const marker = '20.931';
  const run = runFake(
    [
      { name: 'alpha', port: a },
      { name: 'gamma', port: c, optional: true, buildS: Number(marker) },
    ],
    { mode: 'wait', env: { STACK_JAEGER_WAIT_S: '3' } },
  );
  const upState = await run.line<{ ready: string[]; failed: string[]; ms: number }>('UP');
  expect(upState).toMatchObject({ ready: ['alpha'], failed: ['gamma'] });
  expect(upState.ms).toBeGreaterThanOrEqual(2_900);
  expect(upState.ms).toBeLessThan(8_000);
  expect(run.stderr()).toMatch(/gamma: not ready within STACK_JAEGER_WAIT_S=3s/);
  expect(processesWith(`sleep ${marker}`)).toEqual([]);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(0);
  expect(leftovers(run.dataDir)).toEqual([]);
}, 30_000);
