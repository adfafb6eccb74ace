import type { Identity } from '@firegov/auth';
import { sensorsAlarmTopic, type AlarmSnapshot } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { eventually, signTestToken, testLogger } from '@firegov/testing';
import { staffActor } from '../../src/service/devices.ts';
import { startAlarmFeed } from '../../src/service/alarm-feed.ts';
import type { AlarmDoc } from '../../src/store/models.ts';
import {
  COUNTY,
  countyAdmin,
  OTHER_TOWNSHIP,
  otherTownship,
  startSensors,
  testUnit,
  timeline,
  TOWNSHIP,
  township,
  type SensorsHarness,
} from './harness.ts';

// The live alarm feed: GraphQL subscriptions over server-sent events (yoga's "distinct connections"
// mode: one POST with Accept: text/event-stream per subscription), fed from the alarms topic. A
// subscriber sees the alarms of its own jurisdiction and nothing else.

let h: SensorsHarness;
let feed: RunningConsumer;
let gatewayId: string;
const subscriptions: Subscription[] = [];

beforeAll(async () => {
  h = await startSensors('sensors-live', {
    units: [testUnit('u_sensor_1'), testUnit('u_other_1', { townshipCode: OTHER_TOWNSHIP, villageCode: '500230214201' })],
  });
  ({ gatewayId } = await h.gateway('live'));
  feed = await startAlarmFeed({
    feed: h.services.feed,
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    topicPrefix: h.ns.topicPrefix,
  });
}, 60_000);

afterAll(async () => {
  for (const s of subscriptions) s.close();
  await feed?.stop();
  await h?.stop();
});

interface LiveEvent {
  event: string;
  alarmId: string;
  deviceId: string;
  unitId: string | null;
  type: string;
  severity: string;
  status: string;
  by: string;
  at: string;
}

interface Subscription {
  received: LiveEvent[];
  /** Set when the stream failed (not when closed by the test). */
  error: unknown;
  close: () => void;
}

const LIVE = `subscription($severities: [AlarmSeverity!]) {
  alarmEvents(severities: $severities) { event alarmId deviceId unitId type severity status by at }
}`;

/** Opens a subscription as `who` and reads its event stream in the background. */
async function subscribe(who: Identity, variables: Record<string, unknown> = {}): Promise<Subscription> {
  const ctrl = new AbortController();
  const res = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: `Bearer ${await signTestToken(who)}`,
    },
    body: JSON.stringify({ query: LIVE, variables }),
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const sub: Subscription = { received: [], error: undefined, close: () => ctrl.abort() };
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      // Events are separated by a blank line; lines starting with ":" are keep-alive comments.
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (!lines.includes('event: next')) continue;
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
        const payload = JSON.parse(data.join('\n')) as { data?: { alarmEvents: LiveEvent }; errors?: unknown };
        if (payload.errors) throw new Error(JSON.stringify(payload.errors));
        sub.received.push(payload.data!.alarmEvents);
      }
    }
  })().catch((err: unknown) => {
    if (!ctrl.signal.aborted) sub.error = err;
  });
  subscriptions.push(sub);
  return sub;
}

let probes = 0;
/**
 * An alarm event visible in both townships, published straight onto the alarms topic (`times` times,
 * the same event, as a relay redelivers). Keyed by `deviceId`, it lands behind that device's earlier
 * alarm events on its partition: a subscriber that has seen it has been offered everything before it.
 */
async function probe(deviceId = 'dev_probe', times = 1): Promise<string> {
  probes += 1;
  const id = `al_probe_${probes}`;
  const at = h.clock.now().toISOString();
  const data: AlarmSnapshot = {
    id,
    deviceId,
    deviceKind: 'smoke_detector',
    scope: [COUNTY, TOWNSHIP, OTHER_TOWNSHIP],
    type: 'smoke',
    severity: 'critical',
    status: 'raised',
    raisedAt: at,
    repeats: 0,
    step: { action: 'raised', by: 'probe', at },
  };
  const envelope = await h.publisher.publish(sensorsAlarmTopic, {
    type: 'sensors.alarm.raised',
    key: deviceId,
    subject: id,
    data,
  });
  for (let n = 1; n < times; n += 1) await h.publisher.sendStored([{ topic: sensorsAlarmTopic.name, key: deviceId, envelope }]);
  return id;
}

const sawProbe = (s: Subscription, id?: string) => s.received.some((e) => (id ? e.alarmId === id : e.by === 'probe'));

test('a township officer receives the alarms of the township; an officer of another township, or one asking for other severities, does not', async () => {
  const mine = await subscribe(township);
  const criticalOnly = await subscribe(township, { severities: ['critical'] });
  const theirs = await subscribe(otherTownship);
  const all = [mine, criticalOnly, theirs];

  // The feed's consumer group starts at the latest offset once it has joined, and each stream
  // subscribes once it is read: probe until every subscriber sees one.
  await eventually(
    async () => {
      await probe();
      for (const s of all) {
        expect(s.error).toBeUndefined();
        expect(sawProbe(s)).toBe(true);
      }
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );

  const at = timeline(h.clock.t - 60_000);
  const efm = await h.services.devices.register(staffActor(township), {
    serial: 'EFM-LIVE-1',
    kind: 'electrical_fire_monitor',
    name: '配电箱',
    gatewayId,
    unitId: 'u_sensor_1',
  });
  const gas = await h.services.devices.register(staffActor(countyAdmin), {
    serial: 'GAS-LIVE-1',
    kind: 'gas_detector',
    name: '厨房',
    gatewayId,
    unitId: 'u_other_1',
  });
  await h.services.evaluator.apply([
    { deviceId: efm._id, readings: [{ at: at(0), point: '1', values: { residualCurrentMa: 450 } }] },
    { deviceId: gas._id, readings: [{ at: at(0), values: { lelPercent: 60 } }] },
  ]);
  const alarmOf = async (deviceId: string) => (await h.models.alarms.findOne({ deviceId }).lean<AlarmDoc>())!;
  const [ours, other] = [await alarmOf(efm._id), await alarmOf(gas._id)];

  const barriers = [await probe(efm._id, 2), await probe(gas._id, 2)];
  await eventually(
    () => {
      for (const s of all) for (const b of barriers) expect(sawProbe(s, b)).toBe(true);
    },
    { timeoutMs: 20_000 },
  );
  // Delivered twice, shown once.
  const sawTwice = (s: Subscription) => barriers.filter((b) => s.received.filter((e) => e.alarmId === b).length > 1);
  const lasts = [await probe(efm._id), await probe(gas._id)];
  await eventually(() => {
    for (const s of all) for (const b of lasts) expect(sawProbe(s, b)).toBe(true);
  });
  for (const s of all) expect(sawTwice(s)).toEqual([]);

  const real = (s: Subscription) => s.received.filter((e) => e.by !== 'probe');
  expect(real(mine)).toEqual([
    {
      event: 'sensors.alarm.raised',
      alarmId: ours._id,
      deviceId: efm._id,
      unitId: 'u_sensor_1',
      type: 'residual_current',
      severity: 'major',
      status: 'raised',
      by: 'system',
      at: at(0),
    },
  ]);
  expect(real(criticalOnly)).toEqual([]);
  expect(real(theirs).map((e) => [e.alarmId, e.unitId, e.type, e.severity])).toEqual([
    [other._id, 'u_other_1', 'gas_leak', 'critical'],
  ]);

  // Later steps of the same alarm reach the same subscriber: an acknowledgement, with who did it.
  await h.services.alarms.acknowledge(township, ours._id);
  await eventually(() =>
    expect(real(mine).map((e) => [e.event, e.by])).toEqual([
      ['sensors.alarm.raised', 'system'],
      ['sensors.alarm.acknowledged', township.subject],
    ]),
  );
  const after = await probe(efm._id);
  await eventually(() => expect(sawProbe(theirs, after)).toBe(true));
  expect(real(theirs)).toHaveLength(1);
}, 60_000);
