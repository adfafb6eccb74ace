import { sensorsAlarmTopic, sensorsReadingTopic } from '@firegov/contracts';
import { collectTopics, ensureTopics, eventually, type TopicCollector } from '@firegov/testing';
import { DEFAULT_PROFILES } from '../../src/domain/profiles.ts';
import { countyAdmin, startSensors, township, VILLAGE, type SensorsHarness } from './harness.ts';

// Readings from a gateway to an alarm: REST ingest (202 once on Kafka) → evaluator (batch consumer)
// → latest values, hourly buckets, rule state → alarm with its event.

let h: SensorsHarness;
let events: TopicCollector;
let gw: Awaited<ReturnType<SensorsHarness['gateway']>>;

beforeAll(async () => {
  h = await startSensors('sensors-pipeline');
  const topics = [sensorsReadingTopic.name, sensorsAlarmTopic.name].map((t) => `${h.ns.topicPrefix}${t}`);
  await ensureTopics(h.kafka, topics);
  events = await collectTopics(h.kafka, topics);
  gw = await h.gateway('acme');
  await h.startEvaluator();
}, 90_000);

afterAll(async () => {
  await events?.stop();
  await h?.stop();
});

async function register(serial: string, kind: string) {
  const res = await fetch(`${h.url}/v1/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
    body: JSON.stringify({ serial, kind, name: `${kind} ${serial}`, unitId: 'u_sensor_1', place: '一楼配电箱' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { _id: string })._id;
}

const send = (readings: unknown[]) =>
  fetch(`${h.url}/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
    body: JSON.stringify({ readings }),
  });

test('a residual-current reading over the limit raises one alarm, held over the limit it stays one; bad readings are refused one by one', async () => {
  const id = await register('EFM-0001', 'electrical_fire_monitor');
  const t0 = Date.now() - 60_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const res = await send([
    { deviceId: id, at: at(0), point: '1', values: { residualCurrentMa: 120, cableTemperatureC: 35 } },
    { deviceId: id, at: at(10), point: '1', values: { residualCurrentMa: 420 } },
    { deviceId: id, at: at(10), point: '1', values: { residualCurrentMa: 420 } },
    { deviceId: id, at: at(20), point: '1', values: { residualCurrentMa: 'high' } },
    { deviceId: 'dev_nobody_1', at: at(20), values: {} },
  ]);
  expect(res.status).toBe(202);
  const body = (await res.json()) as {
    accepted: number;
    refused: Array<{ index: number; code: string; details: Array<{ path: string }> }>;
  };
  expect(body.accepted).toBe(2);
  expect(body.refused.map((r) => [r.index, r.code])).toEqual([
    [2, 'DUPLICATE_READING'],
    [3, 'INVALID_READING'],
    [4, 'UNKNOWN_DEVICE'],
  ]);
  expect(body.refused[1]?.details[0]?.path).toBe('$.readings[3].values.residualCurrentMa');

  const [raised] = await events.waitFor((m) => m.envelope?.type === 'sensors.alarm.raised' && m.key === id);
  expect(raised!.envelope!.data).toMatchObject({ type: 'residual_current', point: '1', unitId: 'u_sensor_1', status: 'raised' });

  // Still over the limit: the condition holds, so the same alarm stays open (a repeat is a new onset while it is open).
  expect((await send([{ deviceId: id, at: at(30), point: '1', values: { residualCurrentMa: 500 } }])).status).toBe(202);
  await eventually(async () => {
    const open = await h.models.alarms.find({ deviceId: id, open: true }).lean();
    expect(open).toHaveLength(1);
    expect(open[0]!.repeats).toBe(0);
  });
  const device = await h.gql(
    'query($id: ID!) { device(id: $id) { online latest { point values { name number } } } }',
    { id },
    township,
  );
  expect(device.data?.device).toMatchObject({ online: true });

  // 在线率: counted by the store per village, township and unit.
  const rate = await h.gql(
    '{ village: deviceOnlineRate(level: village) { key total online rate } unit: deviceOnlineRate(level: unit) { key total online } }',
    {},
    township,
  );
  expect(rate.data).toEqual({
    village: [{ key: VILLAGE, total: 1, online: 1, rate: 1 }],
    unit: [{ key: 'u_sensor_1', total: 1, online: 1 }],
  });
}, 60_000);

test('low batteries are counted by each kind’s profile level, which a county may change', async () => {
  const id = await register('SMK-BAT-1', 'smoke_detector');
  const at = (s: number) => new Date(h.clock.t - 600_000 + s * 1000).toISOString();
  const lowAtUnit = async () => {
    const res = await h.gql('{ deviceOnlineRate(level: unit) { key lowBattery } }', {}, township);
    return (res.data?.deviceOnlineRate as Array<{ key: string; lowBattery: number }>).find((r) => r.key === 'u_sensor_1')
      ?.lowBattery;
  };
  expect((await send([{ deviceId: id, at: at(0), values: { alarm: false, batteryPercent: 50 } }])).status).toBe(202);
  await h.applied(id, at(0));
  await eventually(async () => expect(await lowAtUnit()).toBe(0));
  // Under the default level (20 %): counted at once, not at the next refresh of the device.
  expect((await send([{ deviceId: id, at: at(10), values: { alarm: false, batteryPercent: 15 } }])).status).toBe(202);
  await h.applied(id, at(10));
  await eventually(async () => expect(await lowAtUnit()).toBe(1));
  const smoke = DEFAULT_PROFILES.smoke_detector;
  await h.services.profiles.update(countyAdmin, {
    kind: smoke.kind,
    heartbeatSeconds: smoke.heartbeatSeconds,
    offlineAfterMissed: smoke.offlineAfterMissed,
    faultHazardDays: smoke.faultHazardDays,
    rules: smoke.rules,
    lowBatteryPercent: 10,
  });
  expect(await lowAtUnit()).toBe(0);
}, 60_000);
