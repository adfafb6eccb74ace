import { supervisionTopic, unitTopic, type UnitSnapshot } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startSupervisionConsumer } from '../../src/events/inbound/supervision.ts';
import { sweepOnce } from '../../src/service/escalation-sweep.ts';
import type { ScheduleDoc } from '../../src/store/models.ts';
import {
  countyAdmin,
  gridA1,
  seedRegistry,
  startHarness,
  townshipA,
  unitSnapshot,
  VILLAGE_A2,
  type Harness,
} from '../harness.ts';

// 分级分类监管 through Kafka: schedules follow the registry's unit events (grade, deregistration)
// and this service's inspection events; the due queue; the ladder for overdue inspections; a
// county's intervals.

let h: Harness;
let consumer: RunningConsumer;
const DAY = 86_400_000;
const major = unitSnapshot({ name: '重大风险商场', category: 'supermarket', riskGrade: 'major', keyUnit: true });
const low = unitSnapshot({ name: '低风险小店', riskGrade: 'low' });
const other = unitSnapshot({ name: '石龙村餐馆', villageCode: VILLAGE_A2, riskGrade: 'general' });

beforeAll(async () => {
  h = await startHarness('insp-supervision', { start: new Date().toISOString() });
  await seedRegistry(h, [major, low, other]);
  await ensureTopics(h.kafka, [h.topic(unitTopic.name), h.topic(supervisionTopic.name)]);
  consumer = await startSupervisionConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger('inspections'),
    supervision: h.services.supervision,
    topicPrefix: h.ns.topicPrefix,
  });
  for (const u of [major, low, other]) await announce(u, 'entities.unit.registered');
}, 90_000);
afterAll(async () => {
  await consumer?.stop();
  await h?.close();
});

async function announce(u: UnitSnapshot, type: 'entities.unit.registered' | 'entities.unit.deregistered') {
  await h.publisher.publish(unitTopic, {
    type,
    key: u.id,
    subject: u.id,
    data: type === 'entities.unit.deregistered' ? { ...u, status: 'deregistered', reason: '停业' } : u,
  } as never);
}

const schedule = async (unitId: string) => (await h.models.schedules.findById(unitId).lean<ScheduleDoc>()) as ScheduleDoc;
const monthsAfter = (iso: string, dueAt: string) => Math.round((Date.parse(dueAt) - Date.parse(iso)) / (30.44 * DAY));

const dueQueue = async (queue: 'overdue' | 'due_soon' | 'all', who = townshipA) => {
  const res = await h.gql<{
    inspectionsDue: { totalCount: number; nodes: Array<{ unitId: string; grade: string; escalation: { level: string } }> };
  }>(
    `query($q: InspectionDueQueue!) { inspectionsDue(queue: $q, withinDays: 60) { totalCount nodes { unitId grade intervalMonths dueAt daysOverdue escalation { level } } } }`,
    { q: queue },
    who,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.inspectionsDue;
};

test('each registered unit is due one interval of its grade after it became known, earliest first', async () => {
  const [m, l, o] = (await eventually(async () => {
    const all = await Promise.all([major, low, other].map((u) => schedule(u.id)));
    if (all.some((s) => !s)) throw new Error('schedules not all made yet');
    return all;
  })) as [ScheduleDoc, ScheduleDoc, ScheduleDoc];
  expect(monthsAfter(m.knownSince, m.dueAt)).toBe(1);
  expect(monthsAfter(l.knownSince, l.dueAt)).toBe(12);
  expect(monthsAfter(o.knownSince, o.dueAt)).toBe(6);
  const all = await dueQueue('all');
  expect(all.nodes.map((n) => n.unitId)).toEqual([major.id, other.id, low.id]);
  expect((await dueQueue('due_soon')).nodes.map((n) => n.unitId)).toEqual([major.id]);
  // A village sees its own units only.
  expect((await dueQueue('all', gridA1)).nodes.map((n) => n.unitId)).toEqual([major.id, low.id]);
  // The registry's Unit carries its schedule (the gateway joins it to entities' Unit); not outside the jurisdiction.
  const entity = (who = townshipA) =>
    h.gql<{ _entities: Array<{ inspectionSchedule: { grade: string; unit: { id: string } } | null }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { inspectionSchedule { grade unit { id } } } } }`,
      { r: [{ __typename: 'Unit', id: major.id }] },
      who,
    );
  expect((await entity()).data?._entities[0]?.inspectionSchedule).toEqual({ grade: 'major', unit: { id: major.id } });
  expect((await entity({ ...townshipA, jurisdiction: '500230214000' })).data?._entities[0]?.inspectionSchedule).toBeNull();
  const scheduledEvents = h.events.messages.filter((m) => m.topic === h.topic(supervisionTopic.name));
  expect(scheduledEvents.length).toBeGreaterThanOrEqual(3);
}, 60_000);

test('an inspection by someone else starts the next interval; a self-check does not', async () => {
  const before = await schedule(major.id);
  const inspect = (kind: string) =>
    h.services.inspections.record(townshipA, {
      unitId: major.id,
      kind,
      inspectedAt: h.clock.now().toISOString(),
      inspectors: ['李检查'],
      results: [{ itemCode: 'fire_lane_occupied', outcome: 'pass' }],
    });
  h.clock.t += 10 * DAY;
  await inspect('self_check');
  h.clock.t += 1 * DAY;
  const { inspection } = await inspect('village_screening');
  const after = await eventually(async () => {
    const s = await schedule(major.id);
    if (s.lastInspectedAt !== inspection.inspectedAt) throw new Error('not rescheduled yet');
    return s;
  });
  expect(after.dueAt > before.dueAt).toBe(true);
  expect(monthsAfter(inspection.inspectedAt, after.dueAt)).toBe(1);
}, 60_000);

test('a higher grade moves the due date nearer, never into the past; a deregistered unit leaves the queue', async () => {
  const before = await schedule(low.id);
  await h.publisher.publish(unitTopic, {
    type: 'entities.unit.risk_graded',
    key: low.id,
    subject: low.id,
    data: { id: low.id, villageCode: low.villageCode, score: 80, grade: 'major', previousGrade: 'low', factors: [] },
  });
  const after = await eventually(async () => {
    const s = await schedule(low.id);
    if (s.grade !== 'major') throw new Error('not regraded yet');
    return s;
  });
  expect(after.intervalMonths).toBe(1);
  expect(after.dueAt < before.dueAt).toBe(true);
  expect(monthsAfter(after.knownSince, after.dueAt)).toBe(1);

  await announce(other, 'entities.unit.deregistered');
  await eventually(async () => expect((await schedule(other.id)).active).toBe(false));
  expect((await dueQueue('all')).nodes.map((n) => n.unitId)).not.toContain(other.id);
}, 60_000);

test('an overdue inspection climbs the ladder: overdue, then township listed supervision, with a reminder', async () => {
  // Day 36 since the units became known: the regraded unit (due about day 30) is overdue, the
  // inspected one (due about day 41) not yet.
  h.clock.t += 25 * DAY;
  const overdue = await dueQueue('overdue');
  expect(overdue.nodes.map((n) => n.unitId)).toEqual([low.id]);
  const sweep = () =>
    sweepOnce({
      redis: h.redis,
      index: h.index,
      hazards: h.services.hazards,
      ladders: [h.services.supervision.ladder],
      now: h.clock.now(),
      logger: testLogger(),
    });
  expect((await sweep()).actions.mark_overdue).toBe(1);
  expect((await schedule(low.id)).escalation.level).toBe('overdue');
  h.clock.t += 8 * DAY;
  expect((await sweep()).actions.list_supervision).toBe(1);
  expect((await schedule(low.id)).escalation.level).toBe('township_supervision');
  expect((await dueQueue('overdue')).nodes[0]?.escalation.level).toBe('township_supervision');
  await eventually(async () => {
    const escalated = h.events.messages.filter(
      (m) =>
        m.topic === h.topic(supervisionTopic.name) &&
        m.envelope?.type === 'inspections.supervision.escalated' &&
        (m.envelope.data as { unitId: string }).unitId === low.id,
    );
    // At least once: a redelivered event has the same envelope id and counts once.
    const once = [...new Map(escalated.map((m) => [m.envelope?.id, m])).values()];
    expect(once.map((m) => (m.envelope?.data as { action: string }).action)).toEqual([
      'mark_overdue',
      'list_supervision',
      'remind',
    ]);
  });
}, 60_000);

test('a county sets its intervals: checked, only by its administrator, and every schedule moves', async () => {
  const set = (input: Record<string, number>, who = countyAdmin) =>
    h.gql<{
      setInspectionIntervals: { __typename: string; data?: { version: number; major: number }; code?: string; details?: unknown };
    }>(
      `mutation($i: InspectionIntervalsInput!) { setInspectionIntervals(input: $i) { __typename
        ... on MutationSetInspectionIntervalsSuccess { data { version major low } }
        ... on MutationError { code details { path reason } } } }`,
      { i: input },
      who,
    );
  const refused = await set({ major: 1, significant: 3, general: 6, low: 12 }, townshipA);
  expect(refused.data?.setInspectionIntervals).toMatchObject({ code: 'FORBIDDEN' });
  const invalid = await set({ major: 6, significant: 3, general: 6, low: 30 });
  expect(invalid.data?.setInspectionIntervals).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: expect.arrayContaining([
      expect.objectContaining({ path: '$.significant' }),
      expect.objectContaining({ path: '$.low' }),
    ]),
  });
  expect((await h.services.supervision.intervals(countyAdmin)).version).toBe(0);

  const before = await schedule(major.id);
  const ok = await set({ major: 2, significant: 3, general: 6, low: 12 });
  expect(ok.data?.setInspectionIntervals).toMatchObject({
    __typename: 'MutationSetInspectionIntervalsSuccess',
    data: { version: 1, major: 2 },
  });
  const after = await eventually(async () => {
    const s = await schedule(major.id);
    if (s.intervalMonths !== 2) throw new Error('not moved yet');
    return s;
  });
  expect(monthsAfter(before.lastInspectedAt!, after.dueAt)).toBe(2);
  // The county is marked finished after its last schedule moved, which may be after this one.
  await eventually(async () => {
    const unfinished = await h.services.supervision.unfinishedCounties();
    if (unfinished.length > 0) throw new Error(`still moving: ${unfinished.join(', ')}`);
  });
}, 60_000);
