import type { Identity } from '@firegov/auth';
import { hazardTopic, type HazardSnapshot } from '@firegov/contracts';
import { createPublisher, type Publisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, metricValue, scrapeMetrics, testLogger } from '@firegov/testing';
import { startDutyHazardConsumer } from '../../src/events/inbound/duty-hazards.ts';
import {
  COUNTY,
  countyAdmin,
  seedTree,
  startHarness,
  TOWNSHIP_A,
  TOWNSHIP_B,
  townshipA,
  townshipB,
  validUnit,
  VILLAGE_A1,
  type Harness,
} from '../harness.ts';

// 年度考核 (seed tasks 3, 4, G3): a department, a township leader and a village scored for 2026 from
// their list items, the hazards found that year (through the real hazard topic, with a redelivered
// older version and a hazard of another year), and their units' training, less a 通报.

let h: Harness;
let consumer: RunningConsumer | undefined;
let inspections: Publisher;
let now = new Date('2026-03-01T02:00:00.000Z');
const unitIds: string[] = [];

const snapshot = (o: Partial<HazardSnapshot> & Pick<HazardSnapshot, 'id' | 'unitId'>): HazardSnapshot => ({
  version: 1,
  unitName: '考核测试单位',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP_A,
  villageCode: VILLAGE_A1,
  source: 'inspection',
  title: '疏散通道堵塞',
  grade: 'general',
  status: 'open',
  round: 0,
  escalationLevel: 'none',
  foundAt: '2026-02-01T02:00:00.000Z',
  demo: false,
  ...o,
});
const recorded = (s: HazardSnapshot) =>
  inspections.publish(hazardTopic, { type: 'inspections.hazard.recorded', key: s.unitId, data: s });
const closed = (s: HazardSnapshot) =>
  inspections.publish(hazardTopic, {
    type: 'inspections.hazard.transitioned',
    key: s.unitId,
    data: {
      ...s,
      previous: { open: true, grade: s.grade, overdue: false },
      command: 'reinspect',
      from: 'awaiting_reinspection',
      passed: true,
    },
  });

beforeAll(async () => {
  h = await startHarness('entities-duty', () => now);
  await seedTree(h);
  await ensureTopics(h.kafka, [h.topic(hazardTopic.name)]);
  consumer = await startDutyHazardConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    duty: h.duty,
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('duty'),
  });
  inspections = await createPublisher({ kafka: h.kafka, source: 'inspections', topicPrefix: h.ns.topicPrefix });
  const lists = (code: string, place: string, tasks: unknown[], leaderTitle?: string) =>
    h.services.registry.registerDepartment(countyAdmin, {
      code,
      name: code,
      jurisdictionCode: place,
      responsibilities: [],
      tasks,
      ...(leaderTitle ? { holder: 'leader', leaderTitle } : {}),
    });
  await lists('qinglong-police', TOWNSHIP_A, [
    { id: 't1', title: '电动自行车整治', owner: '所长', deadline: '2026-02-01', status: 'done' },
    { id: 't2', title: '电焊作业检查', owner: '所长', deadline: '2026-02-10' },
    { id: 't3', title: '年终总结', owner: '所长', deadline: '2026-12-31' },
  ]);
  await lists(
    'qinglong-head',
    TOWNSHIP_A,
    [{ id: 't1', title: '召开消安委会议', owner: '乡长', deadline: '2026-02-15', status: 'done' }],
    '乡镇长',
  );
  await lists(
    'qinglong-v1-head',
    VILLAGE_A1,
    [{ id: 't1', title: '组建村消防队', owner: '村主任', deadline: '2026-02-25' }],
    '村主任',
  );
  await lists('linxiang-office', TOWNSHIP_B, [
    { id: 't1', title: '邻乡任务', owner: '主任', deadline: '2026-01-10', status: 'done' },
  ]);
  for (const name of ['考核测试一', '考核测试二']) {
    const unit = await h.services.units.register(townshipA, validUnit({ name, supervisingDepartment: 'qinglong-police' }));
    unitIds.push(unit._id);
  }
}, 60_000);
afterAll(async () => {
  await consumer?.stop();
  await inspections?.disconnect();
  await h?.close();
});

const query = `query DutyAssessments($year: Int!, $under: String) { dutyAssessments(year: $year, jurisdictionCode: $under) {
  kind code score grade factors { code points maxPoints detail } } }`;
type Row = {
  kind: string;
  code: string;
  score: number | null;
  grade: string | null;
  factors: Array<{ code: string; points: number }>;
};
const assessments = async (who: Identity, variables: Record<string, unknown> = { year: 2026 }) => {
  const res = await h.gql<{ dutyAssessments: Row[] }>(query, variables, await h.token(who));
  expect(res.errors).toBeUndefined();
  return res.data!.dutyAssessments;
};

test('hazards of the year count where their unit belongs; an older version delivered late moves nothing', async () => {
  const [u1, u2] = unitIds as [string, string];
  const h1 = snapshot({ id: 'H1', unitId: u1 });
  await recorded(h1);
  await closed({ ...h1, version: 2, status: 'closed', closedAt: '2026-02-20T02:00:00.000Z' });
  await recorded(h1); // redelivered: version 1 after version 2
  await recorded(snapshot({ id: 'H2', unitId: u2, foundAt: '2026-02-05T02:00:00.000Z' }));
  await inspections.publish(hazardTopic, {
    type: 'inspections.hazard.escalated',
    key: u2,
    data: {
      ...snapshot({ id: 'H2', unitId: u2, version: 2, escalationLevel: 'overdue', foundAt: '2026-02-05T02:00:00.000Z' }),
      previous: { open: true, grade: 'general', overdue: false },
      action: 'mark_overdue',
      level: 'overdue',
    },
  });
  await recorded(snapshot({ id: 'H3', unitId: u1, foundAt: '2025-12-01T02:00:00.000Z', status: 'closed', version: 3 }));
  await recorded(snapshot({ id: 'H4', unitId: u1, status: 'dismissed', version: 2 }));
  await eventually(async () => expect(consumer!.stats.processed).toBeGreaterThanOrEqual(7), { timeoutMs: 20_000 });
  const cells = Object.fromEntries((await h.duty.hazards('d:qinglong-police'))!);
  expect(cells).toEqual({
    '2026|found': 2,
    '2026|closed': 1,
    '2026|open': 1,
    '2026|overdue': 1,
    '2025|found': 1,
    '2025|closed': 1,
  });
  expect(Object.fromEntries((await h.duty.hazards(`j:${TOWNSHIP_B}`))!)).toEqual({});
});

test('each is scored from lists, hazards and training, less its 通报, lowest first; the other township is not shown', async () => {
  const [u1, u2] = unitIds as [string, string];
  await h.services.units.applyRiskSignal('duty-train-1', { unitId: u1, set: { trainingCoverage: 1 } });
  await h.services.units.applyRiskSignal('duty-train-2', { unitId: u2, set: { trainingCoverage: 0.5 } });
  // t2 of the police is 19 days overdue on 2026-03-01: its 通报 has gone out.
  await h.services.registry.escalateOverdueLists();

  const rows = await assessments(townshipA);
  const by = Object.fromEntries(rows.map((r) => [r.code, r]));
  expect(rows.map((r) => r.code)).not.toContain('linxiang-office');
  // Lists 1 of 2 → 20/40, hazards 1 of 2 → 20/40, training 1 of 2 → 10/20, 通报 −2.
  expect(by['qinglong-police']).toMatchObject({ kind: 'department', score: 48, grade: 'fail' });
  expect(by['qinglong-police']!.factors.map((f) => [f.code, f.points])).toEqual([
    ['lists', 20],
    ['hazards', 20],
    ['training', 10],
    ['notices', -2],
  ]);
  // The township head answers for the township: lists 40/40, hazards 20/40, training 10/20.
  expect(by['qinglong-head']).toMatchObject({ kind: 'leader', score: 70, grade: 'pass' });
  // The village: its head's item is overdue (0/40) — 30 of 100.
  expect(by[VILLAGE_A1]).toMatchObject({ kind: 'village', score: 30, grade: 'fail' });
  // A village with nothing to assess has no score.
  expect(rows.find((r) => r.kind === 'village' && r.code !== VILLAGE_A1)).toMatchObject({ score: null, grade: null });
  expect(rows.map((r) => r.kind)).toEqual(['leader', 'leader', 'department', 'village', 'village']);

  // The next year starts afresh: nothing found, nothing due.
  now = new Date('2027-01-02T02:00:00.000Z');
  expect((await assessments(townshipA, { year: 2027 })).find((r) => r.code === 'qinglong-police')!.factors[0]).toMatchObject({
    maxPoints: 0,
  });
  now = new Date('2026-03-01T02:00:00.000Z');
  expect((await assessments(townshipB)).map((r) => r.code)).toEqual(['linxiang-office', expect.any(String)]);
});

test('a bad year is refused with the field named; operators see the operation and its errors on /metrics', async () => {
  const res = await h.gql(query, { year: 1999 }, await h.token(townshipA));
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.year' }] });
  const metrics = await scrapeMetrics();
  const count = (errors: string) =>
    metricValue(metrics, 'graphql_server_operation_duration_count', {
      graphql_operation_name: 'DutyAssessments',
      firegov_graphql_errors: errors,
    });
  expect(count('true')).toBe(1);
  expect(count('false')).toBeGreaterThanOrEqual(3);
});
