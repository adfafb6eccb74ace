import type { Identity } from '@firegov/auth';
import { sensorsAlarmTopic } from '@firegov/contracts';
import { eventually, type TopicCollector } from '@firegov/testing';
import type { AlarmDoc } from '../../src/store/models.ts';
import {
  distinctEvents,
  gridManager,
  otherTownship,
  startSensors,
  testUnit,
  timeline,
  township,
  type IngestGateway,
  type SensorsHarness,
} from './harness.ts';

// The alarm lifecycle through the subgraph: who may take which step from which status, each step
// recorded with who and when and announced; queues, paging and the false-alarm rate; a unit's
// devices and active alarms as the federated Unit entity carries them.

let h: SensorsHarness;
let events: TopicCollector;
let gw: IngestGateway;
let at: (s: number) => string;

beforeAll(async () => {
  h = await startSensors('sensors-lifecycle', { units: [testUnit('u_sensor_1'), testUnit('u_sensor_2')] });
  events = await h.collect([sensorsAlarmTopic]);
  gw = await h.gateway('lifecycle');
  // Three days ago, so alarmStats(sinceDays: 1) counts only the alarms its own test raises.
  at = timeline(h.clock.t - 3 * 86_400_000);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const agency: Identity = { subject: 'a-1', role: 'agency', jurisdiction: '500230000000', agencyId: 'ag-1' };

/** Applies one reading as the evaluator would and returns the open alarm it left at the point. */
async function raise(deviceId: string, point: string | undefined, s: number, values: Record<string, number | boolean>) {
  await h.services.evaluator.apply([{ deviceId, readings: [{ at: at(s), ...(point ? { point } : {}), values }] }]);
  const alarm = await h.models.alarms.findOne({ deviceId, open: true, ...(point ? { point } : {}) }).lean<AlarmDoc>();
  return alarm!;
}

type Action = 'acknowledgeAlarm' | 'confirmAlarm' | 'markFalseAlarm' | 'clearAlarm';
interface StepResult {
  __typename: string;
  code?: string;
  message?: string;
  data?: {
    id: string;
    status: string;
    open: boolean;
    steps: Array<{ action: string; by: string; at: string; note: string | null }>;
  };
}

async function act(action: Action, id: string, who: Identity, note?: string): Promise<StepResult> {
  const success = `Mutation${action[0]!.toUpperCase()}${action.slice(1)}Success`;
  const res = await h.gql(
    `mutation($id: ID!, $note: String) { ${action}(id: $id, note: $note) {
      __typename
      ... on ${success} { data { id status open steps { action by at note } } }
      ... on MutationError { code message }
    } }`,
    { id, note },
    who,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data![action] as StepResult;
}

/** The events of an alarm on Kafka so far, each once. */
const announcedFor = (alarmId: string) => distinctEvents(events.messages.filter((m) => m.envelope?.subject === alarmId));

const conflict = { __typename: 'MutationError', code: 'CONFLICT' };
const advance = (minutes: number) => {
  h.clock.t += minutes * 60_000;
  return h.clock.now().toISOString();
};

test('a residual-current alarm: acknowledged, confirmed, cleared, each step with who and when; steps its status does not allow are CONFLICT', async () => {
  const id = await h.register(gw, 'EFM-LC-1', 'electrical_fire_monitor');
  const alarm = await raise(id, '1', 0, { residualCurrentMa: 500 });

  // Not yet acknowledged: a person may not clear it.
  expect(await act('clearAlarm', alarm._id, township)).toMatchObject(conflict);
  const t1 = advance(1);
  const acked = await act('acknowledgeAlarm', alarm._id, township, '已电话联系单位');
  expect(acked.data).toMatchObject({ status: 'acknowledged', open: true });
  expect(acked.data!.steps.at(-1)).toEqual({ action: 'acknowledge', by: township.subject, at: t1, note: '已电话联系单位' });
  const again = await act('acknowledgeAlarm', alarm._id, township);
  expect(again).toMatchObject(conflict);
  expect(again.message).toContain('acknowledged');

  const t2 = advance(2);
  expect((await act('confirmAlarm', alarm._id, gridManager)).data).toMatchObject({ status: 'confirmed', open: true });
  expect(await act('markFalseAlarm', alarm._id, township)).toMatchObject(conflict);
  const t3 = advance(3);
  const cleared = await act('clearAlarm', alarm._id, township, '已更换漏电断路器');
  expect(cleared.data).toMatchObject({ status: 'cleared', open: false });
  expect(cleared.data!.steps.map((s) => [s.action, s.by, s.at])).toEqual([
    ['raised', 'system', at(0)],
    ['acknowledge', township.subject, t1],
    ['confirm', gridManager.subject, t2],
    ['clear', township.subject, t3],
  ]);
  expect(await act('clearAlarm', alarm._id, township)).toMatchObject(conflict);

  await eventually(() =>
    expect(
      announcedFor(alarm._id).map((m) => [m.envelope!.type, (m.envelope!.data as { step: { by: string } }).step.by]),
    ).toEqual([
      ['sensors.alarm.raised', 'system'],
      ['sensors.alarm.acknowledged', township.subject],
      ['sensors.alarm.confirmed', gridManager.subject],
      ['sensors.alarm.cleared', township.subject],
    ]),
  );
});

test('a smoke alarm cannot be cleared before it is judged, acknowledged or not; marked false, it can', async () => {
  const id = await h.register(gw, 'SMK-LC-1', 'smoke_detector');
  const alarm = await raise(id, undefined, 0, { alarm: true });
  expect(alarm).toMatchObject({ type: 'smoke', severity: 'critical' });
  expect(await act('clearAlarm', alarm._id, township)).toMatchObject(conflict);
  expect((await act('acknowledgeAlarm', alarm._id, gridManager)).data?.status).toBe('acknowledged');
  expect(await act('clearAlarm', alarm._id, township)).toMatchObject(conflict);
  expect((await act('markFalseAlarm', alarm._id, township, '厨房油烟')).data?.status).toBe('false_alarm');
  expect((await act('clearAlarm', alarm._id, township)).data).toMatchObject({ status: 'cleared', open: false });
});

test('a fire signal the device already restored closes when someone judges it', async () => {
  const id = await h.register(gw, 'FAC-LC-1', 'fire_alarm_controller');
  const alarm = await raise(id, '1-1', 0, { fire: true });
  await raise(id, '1-1', 10, { fire: false });
  expect(await h.models.alarms.findById(alarm._id).lean()).toMatchObject({ status: 'raised', open: true, restoredAt: at(10) });

  const t = advance(1);
  const judged = await act('confirmAlarm', alarm._id, township, '现场确认已扑灭');
  expect(judged.data).toMatchObject({ status: 'cleared', open: false });
  expect(judged.data!.steps.map((s) => [s.action, s.by, s.at])).toEqual([
    ['raised', 'system', at(0)],
    ['confirm', township.subject, t],
    ['auto_clear', 'system', t],
  ]);
  await eventually(() =>
    expect(announcedFor(alarm._id).map((m) => m.envelope!.type)).toEqual([
      'sensors.alarm.raised',
      'sensors.alarm.confirmed',
      'sensors.alarm.cleared',
    ]),
  );
});

test('alarms outside the caller’s jurisdiction read as absent; outside parties may not handle alarms', async () => {
  const id = await h.register(gw, 'GAS-LC-1', 'gas_detector');
  const alarm = await raise(id, undefined, 0, { lelPercent: 40 });
  const query = 'query($id: ID!) { alarm(id: $id) { id status } }';
  expect((await h.gql(query, { id: alarm._id }, township)).data?.alarm).toEqual({ id: alarm._id, status: 'raised' });
  expect((await h.gql(query, { id: alarm._id }, otherTownship)).data?.alarm).toBeNull();
  expect(await act('acknowledgeAlarm', alarm._id, otherTownship)).toMatchObject({
    __typename: 'MutationError',
    code: 'NOT_FOUND',
  });
  expect(await act('acknowledgeAlarm', alarm._id, agency)).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  expect(await act('acknowledgeAlarm', 'al_nobody', township)).toMatchObject({ __typename: 'MutationError', code: 'NOT_FOUND' });
  expect((await h.models.alarms.findById(alarm._id).lean())!.status).toBe('raised');
});

const QUEUE = `query($type: AlarmType, $status: AlarmStatus, $open: Boolean, $first: Int, $after: String) {
  alarms(type: $type, status: $status, open: $open, first: $first, after: $after) {
    nodes { id point raisedAt status }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
interface Queue {
  nodes: Array<{ id: string; point: string; raisedAt: string; status: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}
const queue = async (vars: Record<string, unknown>, who: Identity = township) => {
  const res = await h.gql(QUEUE, vars, who);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.alarms as Queue;
};

test('the alarm queue: newest first, paged without gaps or repeats (ties on time too), filtered by type, status and open', async () => {
  const id = await h.register(gw, 'FAC-Q-1', 'fire_alarm_controller');
  const times: Array<[string, number]> = [
    ['2-1', 100],
    ['2-2', 110],
    ['2-3', 110],
    ['2-4', 110],
    ['2-5', 120],
  ];
  for (const [point, s] of times) await raise(id, point, s, { supervisory: true });

  const seen: Queue['nodes'] = [];
  let after: string | null = null;
  for (let page = 0; page < 5; page += 1) {
    const q: Queue = await queue({ type: 'supervisory', first: 2, after });
    expect(q.totalCount).toBe(5);
    seen.push(...q.nodes);
    after = q.pageInfo.endCursor;
    if (!q.pageInfo.hasNextPage) break;
  }
  expect(seen.map((n) => n.point)).toEqual(['2-5', ...['2-2', '2-3', '2-4'].sort(), '2-1']);
  expect(seen.map((n) => n.raisedAt)).toEqual([at(120), at(110), at(110), at(110), at(100)]);

  const byPoint = new Map(seen.map((n) => [n.point, n.id]));
  await act('acknowledgeAlarm', byPoint.get('2-1')!, township);
  await act('acknowledgeAlarm', byPoint.get('2-2')!, township);
  await act('clearAlarm', byPoint.get('2-2')!, township);
  const open = await queue({ type: 'supervisory' });
  expect(open.nodes.map((n) => n.point)).toEqual(['2-5', '2-3', '2-4', '2-1']);
  expect((await queue({ type: 'supervisory', status: 'acknowledged' })).nodes.map((n) => n.point)).toEqual(['2-1']);
  expect((await queue({ type: 'supervisory', open: false })).nodes.map((n) => n.point)).toEqual(['2-2']);
  expect(await queue({ type: 'supervisory' }, otherTownship)).toMatchObject({ nodes: [], totalCount: 0 });
});

const STATS = 'query($d: Int) { alarmStats(sinceDays: $d) { open unacknowledged confirmed falseAlarms falseAlarmRate } }';
const stats = async (who: Identity = township, d = 1) => {
  const res = await h.gql(STATS, { d }, who);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.alarmStats as {
    open: number;
    unacknowledged: number;
    confirmed: number;
    falseAlarms: number;
    falseAlarmRate: number | null;
  };
};

test('alarmStats: open and unacknowledged now, and the false-alarm rate of the alarms judged in the period', async () => {
  const before = await stats();
  expect(before).toMatchObject({ confirmed: 0, falseAlarms: 0, falseAlarmRate: null });
  // Raised within the last day (the others in this file are three days old).
  const recent = timeline(h.clock.t - 3_600_000);
  const ids: string[] = [];
  for (let i = 1; i <= 4; i += 1) {
    const id = await h.register(gw, `SMK-ST-${i}`, 'smoke_detector');
    await h.services.evaluator.apply([{ deviceId: id, readings: [{ at: recent(i), values: { alarm: true } }] }]);
    ids.push((await h.models.alarms.findOne({ deviceId: id }).lean<AlarmDoc>())!._id);
  }
  expect(await stats()).toMatchObject({ open: before.open + 4, unacknowledged: before.unacknowledged + 4 });

  expect((await act('confirmAlarm', ids[0]!, township)).data?.status).toBe('confirmed');
  for (const id of ids.slice(1)) expect((await act('markFalseAlarm', id, gridManager)).data?.status).toBe('false_alarm');
  expect(await stats()).toEqual({
    open: before.open + 4,
    unacknowledged: before.unacknowledged,
    confirmed: 1,
    falseAlarms: 3,
    falseAlarmRate: 0.75,
  });
  expect(await stats(otherTownship)).toEqual({ open: 0, unacknowledged: 0, confirmed: 0, falseAlarms: 0, falseAlarmRate: null });
  // Read from the Redis counts kept on every write, which a full recount from the store confirms.
  expect(await h.services.alarmCounts.cells(township.jurisdiction)).not.toBeNull();
  const kept = await stats();
  await h.services.alarmCounts.rebuild();
  expect(await stats()).toEqual(kept);
  // The open queue's totalCount is read from the same counts.
  expect((await queue({})).totalCount).toBe(kept.open);
  const bad = await h.gql(STATS, { d: 0 }, township);
  expect((bad.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('VALIDATION_FAILED');
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { id devices { id } activeAlarms { id status } } } }`;
const units = async (who: Identity, ids: string[]) => {
  const res = await h.gql(ENTITIES, { r: ids.map((id) => ({ __typename: 'Unit', id })) }, who);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!._entities as Array<{
    id: string;
    devices: Array<{ id: string }>;
    activeAlarms: Array<{ id: string; status: string }>;
  }>;
};

test('a unit’s devices and active alarms through _entities, newest first, cleared ones gone, none outside the jurisdiction', async () => {
  const a = await h.register(gw, 'EFM-U2-1', 'electrical_fire_monitor', 'u_sensor_2');
  const b = await h.register(gw, 'GAS-U2-1', 'gas_detector', 'u_sensor_2');
  const older = await raise(a, '1', 200, { residualCurrentMa: 600 });
  const newer = await raise(b, undefined, 210, { lelPercent: 50 });
  await act('acknowledgeAlarm', older._id, township);

  const [unit, empty] = await units(township, ['u_sensor_2', 'u_no_such_unit']);
  expect(unit).toEqual({
    id: 'u_sensor_2',
    devices: [a, b].sort().map((id) => ({ id })),
    activeAlarms: [
      { id: newer._id, status: 'raised' },
      { id: older._id, status: 'acknowledged' },
    ],
  });
  expect(empty).toEqual({ id: 'u_no_such_unit', devices: [], activeAlarms: [] });

  await act('clearAlarm', older._id, township);
  expect((await units(township, ['u_sensor_2']))[0]!.activeAlarms).toEqual([{ id: newer._id, status: 'raised' }]);
  expect(await units(otherTownship, ['u_sensor_2'])).toEqual([{ id: 'u_sensor_2', devices: [], activeAlarms: [] }]);
});
