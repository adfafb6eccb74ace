import { sensorsAlarmTopic } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { eventually, testLogger, type TopicCollector } from '@firegov/testing';
import { readingEvaluator } from '../../src/service/evaluator.ts';
import { profileBook } from '../../src/service/profiles.ts';
import { readingHistory } from '../../src/service/reading-hours.ts';
import { sensorsModels, type AlarmDoc, type DeviceDoc } from '../../src/store/models.ts';
import { startSensors, timeline, type IngestGateway, type SensorsHarness } from './harness.ts';

// A rule's half-elapsed duration lives in the device document once a checkpoint wrote it, so a new
// process resumes it; readings after the last checkpoint are replayed from Kafka; a redelivered
// batch changes nothing.

let h: SensorsHarness;
let events: TopicCollector;
let gw: IngestGateway;
let at: (s: number) => string;

beforeAll(async () => {
  h = await startSensors('sensors-restart');
  events = await h.collect([sensorsAlarmTopic]);
  gw = await h.gateway('restart');
  at = timeline(h.clock.t - 3_600_000);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const alarmsOf = (deviceId: string) => h.models.alarms.find({ deviceId }, { outbox: 0 }).lean<AlarmDoc[]>();
const deviceOf = async (id: string) => (await h.models.devices.findById(id, { outbox: 0 }).lean<DeviceDoc>())!;

/** An evaluator as a new process builds it: its own models and profile cache, nothing shared in memory. */
function freshEvaluator(checkpointMs = 0) {
  const models = sensorsModels(h.conn);
  const now = h.clock.now;
  const profiles = profileBook({ models, relay: h.relay, now, ttlMs: 5_000 });
  return readingEvaluator({
    models,
    profiles,
    relay: h.relay,
    logger: testLogger(),
    checkpointMs,
    counted: (ids) => h.services.healthCounts.record(ids),
  });
}

/** The alarms announced as raised for a device, each once however often the relay delivered it. */
const raisedAlarms = (deviceId: string) => [
  ...new Set(
    events.messages
      .filter((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === deviceId)
      .map((m) => m.envelope!.subject),
  ),
];

const cable = (deviceId: string, s: number, c: number) => ({ deviceId, at: at(s), point: '1', values: { cableTemperatureC: c } });

test('a new evaluator completes a duration the stopped one started: exactly one alarm; a redelivered batch changes nothing', async () => {
  const first: RunningConsumer = await h.startEvaluator();
  const id = await h.register(gw, 'EFM-RST-1', 'electrical_fire_monitor');

  // Over 80 °C from 0 s: 20 s held of the 30 s the rule wants.
  expect((await h.send(gw, [cable(id, 0, 85), cable(id, 10, 86), cable(id, 20, 87)])).status).toBe(202);
  await h.applied(id, at(20), '1');
  expect((await h.live(id)).ruleStates['over_temperature@1']).toMatchObject({ active: false, since: Date.parse(at(0)) });
  expect(await alarmsOf(id)).toEqual([]);
  await first.stop();

  const second = await h.startEvaluator(freshEvaluator());
  expect((await h.send(gw, [cable(id, 30, 88)])).status).toBe(202);
  const [raised] = await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id);
  expect(raised!.envelope!.data).toMatchObject({ type: 'over_temperature', point: '1', raisedAt: at(30) });
  // Still over the limit afterwards: the same alarm, nothing new.
  expect((await h.send(gw, [cable(id, 40, 89)])).status).toBe(202);
  await h.applied(id, at(40), '1');
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.type, a.raisedAt, a.repeats])).toEqual([['over_temperature', at(30), 0]]);
  const before = await h.live(id);

  // The whole history again, as a consumer that lost its commits would see it.
  const processed = second.stats.processed;
  await h.services.ingest.publish(
    [0, 10, 20, 30, 40].map((s) => cable(id, s, 85 + s / 10)),
    gw.gatewayId,
  );
  await eventually(() => expect(second.stats.processed).toBeGreaterThan(processed));
  const after = await h.live(id);
  expect(after.ruleStates).toEqual(before.ruleStates);
  expect(after.latest).toEqual(before.latest);
  expect(after.lastSeenAt).toBe(at(40));
  const again = await alarmsOf(id);
  expect(again.map((a) => [a._id, a.repeats, a.lastAt, a.steps.length])).toEqual(
    alarms.map((a) => [a._id, a.repeats, a.lastAt, a.steps.length]),
  );
  expect(raisedAlarms(id)).toEqual([raised!.envelope!.subject]);
  // Leaves the group, so the last test's evaluators own every partition.
  await second.stop();
}, 50_000);

test('a crash between the alarm write and the device write: the replayed batch raises nothing new', async () => {
  const id = await h.register(gw, 'FAC-RST-1', 'fire_alarm_controller');
  const batch = [{ deviceId: id, readings: [{ at: at(0), point: '1-1', values: { fire: true } }] }];
  const evaluator = freshEvaluator();
  const untouched = (await h.models.devices.findById(id).lean<DeviceDoc>())!;
  expect(await evaluator.apply(batch)).toMatchObject({ applied: 1, raised: 1 });
  // As if the process died before its checkpoint: the stored device is as it was before the batch.
  await h.models.devices.replaceOne({ _id: id }, untouched);
  await h.models.deviceLive.deleteOne({ _id: id });

  expect(await freshEvaluator().apply(batch)).toMatchObject({ applied: 1 });
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.type, a.point, a.repeats])).toEqual([['fire', '1-1', 0]]);
  expect((await h.live(id)).ruleStates['fire@1-1']).toMatchObject({ active: true });
  // And once the device write has happened, the same batch is skipped outright.
  expect(await freshEvaluator().apply(batch)).toMatchObject({ applied: 0, skipped: 1, raised: 0 });
  await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id);
  expect(raisedAlarms(id)).toEqual([alarms[0]!._id]);
}, 30_000);

test('write-behind: a process that dies before its checkpoint loses nothing; the next one replays from the last commit', async () => {
  const id = await h.register(gw, 'EFM-RST-2', 'electrical_fire_monitor');
  // A checkpoint period longer than the test: only a stop writes, and this one "dies" instead.
  const doomed = freshEvaluator(60_000);
  const first = await h.startEvaluator(
    { ...doomed, checkpoint: () => Promise.reject(new Error('the process died before its checkpoint')) },
    60_000,
  );
  expect((await h.send(gw, [cable(id, 0, 85), cable(id, 10, 86), cable(id, 20, 87)])).status).toBe(202);
  await eventually(() => expect(doomed.counts().applied).toBe(3));
  // Evaluated in memory, not yet in the store.
  expect((await h.live(id)).latest).toEqual({});
  await first.stop();
  expect((await h.live(id)).latest).toEqual({});

  const survivor = freshEvaluator(60_000);
  const second = await h.startEvaluator(survivor, 60_000);
  // The three uncommitted readings come again, then the one that completes the 30 s duration.
  await eventually(() => expect(survivor.counts().applied).toBe(3), { timeoutMs: 30_000 });
  expect((await h.send(gw, [cable(id, 30, 88)])).status).toBe(202);
  const [raised] = await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id);
  expect(raised!.envelope!.data).toMatchObject({ type: 'over_temperature', point: '1', raisedAt: at(30) });
  // The alarm is out before any checkpoint; stopping writes the live state and commits.
  expect((await h.live(id)).latest).toEqual({});
  await second.stop();
  const stored = await h.live(id);
  expect((await deviceOf(id)).online).toBe(true);
  expect(stored.latest['1']).toMatchObject({ at: at(30), values: { cableTemperatureC: 88 } });
  expect(stored.ruleStates['over_temperature@1']).toMatchObject({ active: true });
  // Each reading counted once in the hourly history (finished hours and the one in progress).
  const hours = await readingHistory(h.models).hours(id, '2000-01-01T00:00:00.000Z');
  expect(hours.reduce((n, b) => n + b.count, 0)).toBe(4);

  // Committed: a third evaluator finds nothing of this device to replay.
  const third = freshEvaluator(60_000);
  const last = await h.startEvaluator(third, 60_000);
  // Still over the limit: the rule stays active, the open alarm is the one alarm.
  expect((await h.send(gw, [cable(id, 40, 89)])).status).toBe(202);
  await eventually(() => expect(third.counts().applied).toBe(1), { timeoutMs: 30_000 });
  expect(third.counts().skipped).toBe(0);
  await last.stop();
  expect((await alarmsOf(id)).map((a) => [a.type, a.raisedAt, a.repeats, a.lastAt])).toEqual([
    ['over_temperature', at(30), 0, at(30)],
  ]);
  expect(raisedAlarms(id)).toEqual([raised!.envelope!.subject]);
}, 120_000);

test('write-behind: alarms the store refuses are kept, a checkpoint waits for them, and a full queue holds batches back', async () => {
  const id = await h.register(gw, 'FAC-RST-2', 'fire_alarm_controller');
  let refusing = true;
  const models = sensorsModels(h.conn);
  const evaluator = readingEvaluator({
    models,
    profiles: profileBook({ models, relay: h.relay, now: h.clock.now, ttlMs: 5_000 }),
    relay: h.relay,
    logger: testLogger(),
    checkpointMs: 60_000,
    maxQueuedAlarms: 1,
    counted: (ids) => h.services.healthCounts.record(ids),
    // The last step of an alarm write: refusing it fails the whole write, as a store error would.
    alarmsCounted: async () => {
      if (refusing) throw new Error('the store refused the write');
    },
  });
  const fire = (s: number, point: string) => [{ deviceId: id, readings: [{ at: at(s), point, values: { fire: true } }] }];

  // The batch returns without waiting for its alarm's write.
  expect(await evaluator.apply(fire(0, '1-1'))).toMatchObject({ applied: 1, raised: 0 });
  // The checkpoint waits for the queued alarm and fails while it is refused: no live state is written.
  await expect(evaluator.checkpoint()).rejects.toThrow(/alarm changes not yet stored/);
  expect((await h.live(id)).latest).toEqual({});
  // The queue is full (1 here): the next batch waits for it, fails, and changes nothing.
  await expect(evaluator.apply(fire(10, '1-2'))).rejects.toThrow(/alarm changes not yet stored/);
  expect(evaluator.counts().applied).toBe(1);

  refusing = false;
  // The consumer's retry of that batch now goes through; the checkpoint stores both alarms, then the live state.
  expect(await evaluator.apply(fire(10, '1-2'))).toMatchObject({ applied: 1 });
  await evaluator.checkpoint();
  // One alarm per point, each raised once (the refused write's insert had landed; its retry found it open).
  expect((await alarmsOf(id)).map((a) => [a.type, a.point, a.repeats]).sort()).toEqual([
    ['fire', '1-1', 0],
    ['fire', '1-2', 0],
  ]);
  expect((await h.live(id)).latest['1-2']).toMatchObject({ at: at(10) });
  await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id, 2);
  expect(raisedAlarms(id)).toHaveLength(2);
}, 30_000);
