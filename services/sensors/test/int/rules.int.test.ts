import { sensorsAlarmTopic, sensorsProfileTopic } from '@firegov/contracts';
import { eventually, type TopicCollector } from '@firegov/testing';
import type { AlarmDoc } from '../../src/store/models.ts';
import { countyAdmin, startSensors, timeline, township, type IngestGateway, type SensorsHarness } from './harness.ts';

// The default profiles' rules end to end: readings through the REST ingest API onto Kafka, the
// evaluator (batch consumer) applying them, alarms raised and restored with their events; and a
// county changing a profile, which takes effect on the next reading.

let h: SensorsHarness;
let events: TopicCollector;
let gw: IngestGateway;
let at: (s: number) => string;

beforeAll(async () => {
  h = await startSensors('sensors-rules');
  events = await h.collect([sensorsAlarmTopic, sensorsProfileTopic]);
  gw = await h.gateway('rules');
  await h.startEvaluator();
  // An hour ago: inside the ingest window whatever the test takes.
  at = timeline(h.clock.t - 3_600_000);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const alarmsOf = (deviceId: string) =>
  h.models.alarms.find({ deviceId }, { outbox: 0 }).sort({ raisedAt: 1, _id: 1 }).lean<AlarmDoc[]>();

/** Sends readings and waits until the evaluator applied the last one of `point`. */
async function feed(deviceId: string, point: string | undefined, readings: Array<[number, Record<string, number | boolean>]>) {
  const sent = await h.send(
    gw,
    readings.map(([s, values]) => ({ deviceId, at: at(s), ...(point ? { point } : {}), values })),
  );
  expect(sent).toMatchObject({ status: 202, body: { accepted: readings.length, refused: [] } });
  await h.applied(deviceId, at(readings.at(-1)![0]), point);
}

const eventOf = (type: string, alarmId: string) =>
  events.waitFor((m) => m.envelope?.type === `sensors.alarm.${type}` && m.envelope.subject === alarmId);

test('threshold with hysteresis: raised above the limit, kept between clearAt and the limit, restored and auto-cleared at clearAt', async () => {
  const id = await h.register(gw, 'EFM-HYS-1', 'electrical_fire_monitor');
  await feed(id, '1', [
    [0, { residualCurrentMa: 250 }],
    [10, { residualCurrentMa: 350 }],
  ]);
  const [raised] = await alarmsOf(id);
  expect(raised).toMatchObject({ type: 'residual_current', severity: 'major', point: '1', raisedAt: at(10), open: true });
  await eventOf('raised', raised!._id);

  // 280 mA is under the 300 mA limit but above clearAt (270): still the same open alarm.
  await feed(id, '1', [[20, { residualCurrentMa: 280 }]]);
  const between = await alarmsOf(id);
  expect(between).toHaveLength(1);
  expect(between[0]).toMatchObject({ status: 'raised', open: true });
  expect(between[0]!.restoredAt).toBeUndefined();

  // At clearAt: the device restored; a residual-current alarm (not a fire signal) closes by itself.
  await feed(id, '1', [[30, { residualCurrentMa: 270 }]]);
  const [cleared] = await alarmsOf(id);
  expect(cleared).toMatchObject({ status: 'cleared', open: false, restoredAt: at(30) });
  expect(cleared!.steps.at(-1)).toMatchObject({ action: 'auto_clear', by: 'system', at: at(30) });
  const [event] = await eventOf('cleared', raised!._id);
  expect(event!.envelope!.data).toMatchObject({ status: 'cleared', step: { action: 'auto_clear', by: 'system' } });

  // Past the limit again: a new alarm, not the closed one reopened.
  await feed(id, '1', [[40, { residualCurrentMa: 400 }]]);
  const after = await alarmsOf(id);
  expect(after.map((a) => [a.raisedAt, a.open])).toEqual([
    [at(10), false],
    [at(40), true],
  ]);
}, 30_000);

test('a condition that clears and returns within one batch opens a second alarm', async () => {
  const id = await h.register(gw, 'EFM-HYS-2', 'electrical_fire_monitor');
  await feed(id, '2', [
    [0, { residualCurrentMa: 420 }],
    [10, { residualCurrentMa: 100 }],
    [20, { residualCurrentMa: 430 }],
  ]);
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.raisedAt, a.status, a.restoredAt ?? null])).toEqual([
    [at(0), 'cleared', at(10)],
    [at(20), 'raised', null],
  ]);
}, 30_000);

test('duration: cable temperature above 80 °C raises only once it has held 30 s by reading times', async () => {
  const id = await h.register(gw, 'EFM-DUR-1', 'electrical_fire_monitor');
  // 85 at 0 s, a dip under clearAt (75) at 15 s restarts the hold, above again from 20 s: 25 s held at 45 s.
  await feed(id, '1', [
    [0, { cableTemperatureC: 85 }],
    [15, { cableTemperatureC: 74 }],
    [20, { cableTemperatureC: 85 }],
    [45, { cableTemperatureC: 88 }],
  ]);
  expect(await alarmsOf(id)).toEqual([]);
  const state = await h.live(id);
  expect(state.ruleStates['over_temperature@1']).toMatchObject({ active: false, since: Date.parse(at(20)) });

  await feed(id, '1', [[50, { cableTemperatureC: 86 }]]);
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.type, a.raisedAt])).toEqual([['over_temperature', at(50)]]);
}, 30_000);

test('rate of rise: 10 °C a minute over a span of at least a minute raises; a fast step over a few seconds or a slow rise does not', async () => {
  const fast = await h.register(gw, 'EFM-ROR-1', 'electrical_fire_monitor');
  const slow = await h.register(gw, 'EFM-ROR-2', 'electrical_fire_monitor');
  // +10 °C in 10 s is too short a span to judge; 30 → 42 over 60 s is 12 °C a minute.
  await feed(fast, '3', [
    [0, { cableTemperatureC: 30 }],
    [10, { cableTemperatureC: 40 }],
  ]);
  expect(await alarmsOf(fast)).toEqual([]);
  await feed(fast, '3', [[60, { cableTemperatureC: 42 }]]);
  await feed(slow, '3', [
    [0, { cableTemperatureC: 30 }],
    [30, { cableTemperatureC: 32 }],
    [60, { cableTemperatureC: 34 }],
    [90, { cableTemperatureC: 36 }],
  ]);
  expect((await alarmsOf(fast)).map((a) => [a.type, a.point, a.raisedAt])).toEqual([['rapid_temperature_rise', '3', at(60)]]);
  expect(await alarmsOf(slow)).toEqual([]);
}, 30_000);

test('controller state bits: fire, fault, shielded and supervisory per loop-point; a restored fire stays open until judged', async () => {
  const id = await h.register(gw, 'FAC-BITS-1', 'fire_alarm_controller');
  const sent = await h.send(gw, [
    { deviceId: id, at: at(0), point: '1-1', values: { fire: true } },
    { deviceId: id, at: at(0), point: '1-2', values: { fault: true } },
    { deviceId: id, at: at(0), point: '1-3', values: { shielded: true, fire: false } },
    { deviceId: id, at: at(0), point: '2-1', values: { supervisory: true } },
  ]);
  expect(sent.status).toBe(202);
  await eventually(async () => expect(await alarmsOf(id)).toHaveLength(4));
  const raised = await alarmsOf(id);
  expect(raised.map((a) => [a.point, a.type, a.severity]).sort()).toEqual([
    ['1-1', 'fire', 'critical'],
    ['1-2', 'fault', 'major'],
    ['1-3', 'shielded', 'major'],
    ['2-1', 'supervisory', 'major'],
  ]);

  // Restored: the fault closes by itself; the fire alarm records the restoration and waits for a person.
  await feed(id, '1-2', [[10, { fault: false }]]);
  await feed(id, '1-1', [[10, { fire: false }]]);
  const after = new Map((await alarmsOf(id)).map((a) => [a.point, a]));
  expect(after.get('1-2')).toMatchObject({ status: 'cleared', open: false, restoredAt: at(10) });
  expect(after.get('1-1')).toMatchObject({ status: 'raised', open: true, restoredAt: at(10) });
  expect(after.get('1-3')).toMatchObject({ status: 'raised', open: true });
}, 30_000);

test('a loop-point reporting in a later request, at a time another point already reported, is still evaluated', async () => {
  const id = await h.register(gw, 'FAC-BITS-2', 'fire_alarm_controller');
  await feed(id, '1-1', [[30, { fire: false }]]);
  // Transmission devices send one frame per event: point 3-7's fire comes in its own request.
  await feed(id, '3-7', [[30, { fire: true }]]);
  await feed(id, '3-8', [[20, { fault: true }]]);
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.point, a.type, a.raisedAt]).sort()).toEqual([
    ['3-7', 'fire', at(30)],
    ['3-8', 'fault', at(20)],
  ]);
}, 30_000);

test('combination (e-bike charging): overheat held 20 s, or a fast rise while charging; smoke on its own at once', async () => {
  const id = await h.register(gw, 'EBK-ANY-1', 'ebike_charging_monitor');
  // Socket 1 charges (2 A) and heats 8 °C a minute: the all(...) branch holds from 60 s, raised at 80 s.
  await feed(id, '1', [
    [0, { currentA: 2, temperatureC: 30 }],
    [30, { currentA: 2, temperatureC: 34 }],
    [60, { currentA: 2, temperatureC: 38 }],
    [70, { currentA: 2, temperatureC: 39 }],
  ]);
  // Socket 2: over 60 °C (the any(...) branch) for 20 s.
  await feed(id, '2', [
    [0, { currentA: 0, temperatureC: 65 }],
    [20, { currentA: 0, temperatureC: 64 }],
  ]);
  // Socket 3 heats as fast as socket 1 but is not charging (0.1 A): no alarm.
  await feed(id, '3', [
    [0, { currentA: 0.1, temperatureC: 30 }],
    [30, { currentA: 0.1, temperatureC: 34 }],
    [60, { currentA: 0.1, temperatureC: 38 }],
    [90, { currentA: 0.1, temperatureC: 42 }],
  ]);
  expect((await alarmsOf(id)).map((a) => [a.point, a.raisedAt])).toEqual([['2', at(20)]]);

  await feed(id, '1', [[80, { currentA: 2, temperatureC: 40 }]]);
  await feed(id, '4', [[80, { smoke: true }]]);
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.point, a.type, a.severity, a.raisedAt]).sort()).toEqual([
    ['1', 'charging_overheat', 'major', at(80)],
    ['2', 'charging_overheat', 'major', at(20)],
    ['4', 'smoke', 'critical', at(80)],
  ]);
}, 30_000);

const UPDATE_PROFILE = `mutation($input: DeviceProfileInput!) {
  updateDeviceProfile(input: $input) {
    __typename
    ... on MutationUpdateDeviceProfileSuccess { data { kind version rulesJson } }
    ... on MutationError { code }
  }
}`;

test('a county lowers the gas threshold: a township officer may not; the change is announced and the next reading is judged by it', async () => {
  const id = await h.register(gw, 'GAS-PROF-1', 'gas_detector');
  await feed(id, undefined, [[0, { lelPercent: 15 }]]);
  expect(await alarmsOf(id)).toEqual([]);

  const rules = [
    {
      id: 'gas_leak',
      alarmType: 'gas_leak',
      severity: 'critical',
      when: { type: 'threshold', measurement: 'lelPercent', above: 10, clearAt: 8 },
    },
  ];
  const input = {
    kind: 'gas_detector',
    heartbeatSeconds: 3600,
    offlineAfterMissed: 3,
    faultHazardDays: 7,
    rulesJson: JSON.stringify(rules),
  };
  const refused = await h.gql(UPDATE_PROFILE, { input }, township);
  expect(refused.data?.updateDeviceProfile).toEqual({ __typename: 'MutationError', code: 'FORBIDDEN' });

  const changed = await h.gql(UPDATE_PROFILE, { input }, countyAdmin);
  expect(changed.data?.updateDeviceProfile).toMatchObject({ data: { kind: 'gas_detector', version: 2 } });
  const [announced] = await events.waitFor((m) => m.envelope?.type === 'sensors.profile.updated' && m.key === 'gas_detector');
  expect(announced!.envelope!.data).toMatchObject({ kind: 'gas_detector', version: 2, updatedBy: countyAdmin.subject, rules });

  await feed(id, undefined, [[10, { lelPercent: 15 }]]);
  const alarms = await alarmsOf(id);
  expect(alarms.map((a) => [a.type, a.severity, a.raisedAt])).toEqual([['gas_leak', 'critical', at(10)]]);
}, 30_000);

test('a profile change starts rule state afresh: a duration held under the old rules starts again', async () => {
  const id = await h.register(gw, 'GAS-PROF-2', 'gas_detector');
  const held = [
    {
      id: 'gas_held',
      alarmType: 'gas_leak',
      severity: 'critical',
      when: { type: 'threshold', measurement: 'lelPercent', above: 20, clearAt: 15 },
      forSeconds: 30,
    },
  ];
  const profile = (severity: string) => ({
    kind: 'gas_detector',
    heartbeatSeconds: 3600,
    offlineAfterMissed: 3,
    faultHazardDays: 7,
    rulesJson: JSON.stringify(held.map((r) => ({ ...r, severity }))),
  });
  const first = await h.gql(UPDATE_PROFILE, { input: profile('critical') }, countyAdmin);
  const version = (first.data?.updateDeviceProfile as { data: { version: number } }).data.version;
  await feed(id, undefined, [
    [0, { lelPercent: 25 }],
    [20, { lelPercent: 25 }],
  ]);
  expect((await h.live(id)).ruleStatesVersion).toBe(version);

  await h.gql(UPDATE_PROFILE, { input: profile('major') }, countyAdmin);
  // 30 s after the first reading, but the hold restarted under the new version at 30 s.
  await feed(id, undefined, [[30, { lelPercent: 25 }]]);
  expect(await alarmsOf(id)).toEqual([]);
  const after = await h.live(id);
  expect(after.ruleStatesVersion).toBe(version + 1);
  expect(after.ruleStates['gas_held@']).toMatchObject({ since: Date.parse(at(30)) });
  await feed(id, undefined, [[60, { lelPercent: 25 }]]);
  expect((await alarmsOf(id)).map((a) => [a.type, a.raisedAt])).toEqual([['gas_leak', at(60)]]);
}, 30_000);
