import { testLogger } from '@firegov/testing';
import type { Device } from '../../src/domain/device.ts';
import { alarmQueue, type AlarmChange } from '../../src/service/alarm-queue.ts';

// The evaluator's alarm writes behind its batches: written in order, gathered while a write runs,
// kept when the store refuses them, and a checkpoint (drained) waits for exactly what came before it.

const change = (deviceId: string, at: string): AlarmChange => ({
  device: { _id: deviceId } as Device,
  steps: [{ transition: 'raise', alarmType: 'fire', severity: 'critical', at }],
});

/** A writer whose writes finish when the test says, recording each write's changes. */
function controlledWriter() {
  const writes: AlarmChange[][] = [];
  const pending: Array<{ resolve: (n: number) => void; reject: (e: Error) => void }> = [];
  return {
    writes,
    write: (changes: readonly AlarmChange[]) =>
      new Promise<number>((resolve, reject) => {
        writes.push([...changes]);
        pending.push({ resolve, reject });
      }),
    finish: (n = 1) => pending.shift()!.resolve(n),
    fail: (msg: string) => pending.shift()!.reject(new Error(msg)),
  };
}

const turn = () => new Promise((r) => setImmediate(r));
const ats = (w: AlarmChange[]) => w.map((c) => c.steps[0]!.at);

test('writes at once, gathers what comes during a write into the next one, in order', async () => {
  const w = controlledWriter();
  let raised = 0;
  const q = alarmQueue({ write: w.write, logger: testLogger(), onWritten: (n) => (raised += n) });
  q.push([change('d1', 't1')]);
  q.push([change('d2', 't2')]);
  q.push([change('d1', 't3')]);
  expect(w.writes.map(ats)).toEqual([['t1']]);
  w.finish(1);
  await turn();
  expect(w.writes.map(ats)).toEqual([['t1'], ['t2', 't3']]);
  w.finish(2);
  await q.drained();
  expect(raised).toBe(3);
  expect(q.size()).toBe(0);
});

test('drained waits for what was queued before it, not for alarms that keep coming', async () => {
  const w = controlledWriter();
  const q = alarmQueue({ write: w.write, logger: testLogger(), onWritten: () => undefined });
  q.push([change('d1', 't1')]);
  let done = false;
  const drained = q.drained().then(() => (done = true));
  q.push([change('d2', 't2')]);
  w.finish();
  await turn();
  // t1 is stored: the checkpoint may go on while t2 is being written.
  await drained;
  expect(done).toBe(true);
  expect(w.writes.map(ats)).toEqual([['t1'], ['t2']]);
  w.finish();
  await q.drained();
});

test('a refused write keeps its changes ahead of later ones; drained rejects, then stores them once the store answers', async () => {
  const w = controlledWriter();
  let raised = 0;
  const q = alarmQueue({ write: w.write, logger: testLogger(), onWritten: (n) => (raised += n) });
  q.push([change('d1', 't1')]);
  const first = q.drained();
  w.fail('store unavailable');
  await expect(first).rejects.toThrow(/1 alarm changes not yet stored/);
  // While failing, new batches wait for the retry instead of each starting a write.
  q.push([change('d1', 't2')]);
  expect(w.writes).toHaveLength(1);
  expect(q.size()).toBe(2);
  // The next checkpoint tries at once, the kept change first.
  const second = q.drained();
  await turn();
  expect(w.writes.map(ats)).toEqual([['t1'], ['t1', 't2']]);
  w.finish(2);
  await second;
  expect(raised).toBe(2);
  expect(q.size()).toBe(0);
});

test('after a refused write, the backoff timer tries again without a checkpoint asking', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  try {
    const w = controlledWriter();
    const q = alarmQueue({ write: w.write, logger: testLogger(), onWritten: () => undefined });
    q.push([change('d1', 't1')]);
    w.fail('store unavailable');
    await turn();
    expect(w.writes).toHaveLength(1);
    // The first backoff is at most 200 ms.
    jest.advanceTimersByTime(200);
    expect(w.writes.map(ats)).toEqual([['t1'], ['t1']]);
    w.finish();
    await q.drained();
    expect(q.size()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});
