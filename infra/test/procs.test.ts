import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupAlive, readPid, startDetached, stopByPidFile } from '../src/procs.ts';

// A stack that hung left its FerretDB running after `stack:down`: the supervisor shell died on
// SIGTERM at once, the stop saw the pid file's process gone and never sent SIGKILL to the rest.

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firegov-procs-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a supervised process that ignores SIGTERM is killed when its supervisor is already gone', async () => {
  // The supervised command ignores SIGTERM, and so does the sleep it runs (an ignored signal stays ignored across exec).
  startDetached(dataDir, { name: 'stubborn', command: 'bash', args: ['-c', 'trap "" TERM; sleep 60'], supervise: true });
  const pid = readPid(dataDir, 'stubborn')!;
  await new Promise((r) => setTimeout(r, 300));
  expect(groupAlive(pid)).toBe(true);

  const started = Date.now();
  expect(await stopByPidFile(dataDir, 'stubborn', 500)).toBe(true);
  expect(groupAlive(pid)).toBe(false);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(fs.existsSync(path.join(dataDir, 'run', 'stubborn.pid'))).toBe(false);
});

test('a process that stops on SIGTERM is not waited for beyond its exit', async () => {
  startDetached(dataDir, { name: 'polite', command: 'sleep', args: ['60'] });
  const pid = readPid(dataDir, 'polite')!;
  const started = Date.now();
  expect(await stopByPidFile(dataDir, 'polite', 10_000)).toBe(true);
  expect(groupAlive(pid)).toBe(false);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await stopByPidFile(dataDir, 'polite')).toBe(false);
});

test('what a dead supervisor left running is found by its pid file and stopped (the next `up` does this)', async () => {
  startDetached(dataDir, { name: 'orphan', command: 'sleep', args: ['60'], supervise: true });
  const pid = readPid(dataDir, 'orphan')!;
  await new Promise((r) => setTimeout(r, 300));
  process.kill(pid, 'SIGKILL'); // the supervisor alone
  await new Promise((r) => setTimeout(r, 200));
  expect(groupAlive(pid)).toBe(true);
  expect(await stopByPidFile(dataDir, 'orphan', 2000)).toBe(true);
  expect(groupAlive(pid)).toBe(false);
});
