import { sensorsAlarmTopic } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { eventually, testLogger, type TopicCollector } from '@firegov/testing';
import { readingEvaluator } from '../../src/service/evaluator.ts';
import { profileBook } from '../../src/service/profiles.ts';
import { sensorsModels, type AlarmDoc, type DeviceDoc } from '../../src/store/models.ts';
import { startSensors, timeline, type IngestGateway, type SensorsHarness } from './harness.ts';

// The evaluator keeps nothing in memory between batches: a rule's half-elapsed duration lives in the
// device document, so a new process resumes it; a redelivered batch changes nothing.

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
function freshEvaluator() {
  const models = sensorsModels(h.conn);
  const now = h.clock.now;
  const profiles = profileBook({ models, relay: h.relay, now, ttlMs: 5_000 });
  return readingEvaluator({ models, profiles, relay: h.relay, logger: testLogger() });
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
  expect((await deviceOf(id)).ruleStates['over_temperature@1']).toMatchObject({ active: false, since: Date.parse(at(0)) });
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
  const before = await deviceOf(id);

  // The whole history again, as a consumer that lost its commits would see it.
  const processed = second.stats.processed;
  await h.services.ingest.publish(
    [0, 10, 20, 30, 40].map((s) => cable(id, s, 85 + s / 10)),
    gw.gatewayId,
  );
  await eventually(() => expect(second.stats.processed).toBeGreaterThan(processed));
  const after = await deviceOf(id);
  expect(after.ruleStates).toEqual(before.ruleStates);
  expect(after.latest).toEqual(before.latest);
  expect(after.lastSeenAt).toBe(at(40));
  const again = await alarmsOf(id);
  expect(again.map((a) => [a._id, a.repeats, a.lastAt, a.steps.length])).toEqual(
    alarms.map((a) => [a._id, a.repeats, a.lastAt, a.steps.length]),
  );
  expect(raisedAlarms(id)).toEqual([raised!.envelope!.subject]);
}, 50_000);

test('a crash between the alarm write and the device write: the replayed batch raises nothing new', async () => {
  const id = await h.register(gw, 'FAC-RST-1', 'fire_alarm_controller');
  const batch = [{ deviceId: id, readings: [{ at: at(0), point: '1-1', values: { fire: true } }] }];
  const evaluator = freshEvaluator();
  const untouched = (await h.models.devices.findById(id).lean<DeviceDoc>())!;
  expect(await evaluator.apply(batch)).toMatchObject({ applied: 1, raised: 1 });
  // As if the process died before its device write: the stored device is as it was before the batch.
  await h.models.devices.replaceOne({ _id: id }, untouched);

  expect(await freshEvaluator().apply(batch)).toMatchObject({ applied: 1 });
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.type, a.point, a.repeats])).toEqual([['fire', '1-1', 0]]);
  expect((await deviceOf(id)).ruleStates['fire@1-1']).toMatchObject({ active: true });
  // And once the device write has happened, the same batch is skipped outright.
  expect(await freshEvaluator().apply(batch)).toMatchObject({ applied: 0, skipped: 1, raised: 0 });
  await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id);
  expect(raisedAlarms(id)).toEqual([alarms[0]!._id]);
}, 30_000);
