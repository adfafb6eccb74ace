import { hazardTopic } from '@firegov/contracts';
import { sweepOnce } from '../../src/service/escalation-sweep.ts';
import type { HazardDoc } from '../../src/store/models.ts';
import { testLogger } from '@firegov/testing';
import { countyAdmin, inDays, seedRegistry, startHarness, townshipA, unitSnapshot, type Harness } from '../harness.ts';

let h: Harness;
const unit = unitSnapshot({ name: '逾期测试餐馆' });

beforeAll(async () => {
  h = await startHarness('insp-escalation', { start: '2026-04-01T01:00:00.000Z' });
  await seedRegistry(h, [unit]);
});
afterAll(async () => h.close());

const sweep = () =>
  sweepOnce({ redis: h.redis, index: h.index, hazards: h.services.hazards, now: h.clock.now(), logger: testLogger() });

async function orderedHazard(title: string, deadlineDays: number): Promise<string> {
  const hz = await h.services.hazards.record(townshipA, { unitId: unit.id, title, description: `${title}，需整改` });
  await h.services.hazards.command(townshipA, hz._id, {
    kind: 'issue_order',
    deadline: inDays(h, deadlineDays),
    responsibleParty: '店主',
  });
  return hz._id;
}

const load = async (id: string) => (await h.models.hazards.findById(id).lean<HazardDoc>()) as HazardDoc;
const queueIds = async (queue: string) => {
  const page = await h.services.queues.queue(countyAdmin, { queue: queue as never, first: 100 });
  return page.nodes.map((n) => n._id);
};

test('the ladder climbs by itself as time passes: overdue → township listing → reminders → county listing; acting stops it', async () => {
  const id = await orderedHazard('消防通道堵塞', 10);
  expect(await queueIds('due_soon')).toEqual([]);
  h.clock.advanceDays(5);
  expect(await queueIds('due_soon')).toContain(id);

  // Before the deadline nothing happens.
  expect((await sweep()).escalated).toBe(0);
  expect((await load(id)).escalation.level).toBe('none');

  h.clock.advanceDays(5.5); // deadline + 12 h
  const first = await sweep();
  expect(first.actions).toEqual({ mark_overdue: 1 });
  expect((await load(id)).escalation.level).toBe('overdue');
  expect(await queueIds('overdue')).toContain(id);

  h.clock.advanceDays(3); // a reminder is due every 3 days while nobody acts
  expect((await sweep()).actions).toEqual({ remind: 1 });

  h.clock.advanceDays(4); // deadline + 7.5 days: listed at township level (挂牌督办)
  const listed = await sweep();
  expect(listed.actions.list_supervision).toBe(1);
  const atTownship = await load(id);
  expect(atTownship.escalation.level).toBe('township_supervision');
  expect(await queueIds('listed')).toContain(id);

  // A warning interview is recorded and counts as acting: no reminder right after it.
  await h.services.hazards.interview(countyAdmin, id, { interviewee: '店主张三', level: 'township', notes: '约谈' });
  h.clock.advanceDays(1);
  expect((await sweep()).actions.remind ?? 0).toBe(0);

  h.clock.advanceDays(23); // deadline + 31.5 days: county listing
  const county = await sweep();
  expect(county.actions.list_supervision).toBe(1);
  expect((await load(id)).escalation.level).toBe('county_supervision');

  // Reported rectified: the party has acted, the ladder stops; a passed re-inspection empties the queues.
  await h.services.hazards.command(townshipA, id, { kind: 'report_rectified' });
  h.clock.advanceDays(10);
  expect((await sweep()).escalated).toBe(0);
  await h.services.hazards.command(townshipA, id, { kind: 'reinspect', passed: true });
  expect(await queueIds('listed')).not.toContain(id);
  expect(await queueIds('overdue')).not.toContain(id);
  expect(await h.redis.zscore(h.index.sweepKey(), id)).toBeNull();

  const events = await h.events.waitFor(
    (m) =>
      m.topic === h.topic(hazardTopic.name) &&
      m.envelope?.subject === id &&
      (m.envelope.data as { status: string }).status === 'closed',
  );
  expect(events.length).toBeGreaterThan(0);
  const unique = new Map(h.events.messages.filter((m) => m.envelope?.subject === id).map((m) => [m.envelope?.id, m.envelope]));
  const actions = [...unique.values()]
    .filter((e) => e?.type === 'inspections.hazard.escalated')
    .map((e) => `${(e?.data as { action: string }).action}:${(e?.data as { level: string }).level}`);
  expect(actions).toEqual([
    'mark_overdue:overdue',
    'remind:overdue',
    'list_supervision:township_supervision',
    // The new holder is told in the same pass: 4 days had passed since the last reminder.
    'remind:township_supervision',
    'warning_interview:township_supervision',
    'list_supervision:county_supervision',
    'remind:county_supervision',
  ]);
  // Each event says what the hazard contributed before it, so a consumer's counts never drift.
  const overdueEvent = [...unique.values()].find((e) => (e?.data as { action?: string }).action === 'mark_overdue');
  expect((overdueEvent?.data as { previous: unknown }).previous).toEqual({ open: true, grade: 'general', overdue: false });
});

test('a late sweep catches up in one pass, and a second sweep at the same instant does nothing', async () => {
  const id = await orderedHazard('电气线路老化', 2);
  h.clock.advanceDays(40);
  const catchUp = await sweep();
  expect(catchUp.actions.mark_overdue).toBe(1);
  expect(catchUp.actions.list_supervision).toBe(2);
  expect((await load(id)).escalation.level).toBe('county_supervision');
  const again = await sweep();
  expect(again.escalated).toBe(0);
});

test('the sweep reads only what is due (an index, not a scan), and runs once across concurrent replicas', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 12; i += 1) ids.push(await orderedHazard(`批量隐患${i}`, i < 3 ? 1 : 60));
  h.clock.advanceDays(2);
  const total = await h.models.hazards.countDocuments({});
  const [a, b] = await Promise.all([sweep(), sweep()]);
  const ran = [a, b].filter((r) => r.ran);
  expect(ran).toHaveLength(1);
  // Only the three hazards past their deadline (plus none of the others) were even read.
  expect(ran[0]?.examined).toBe(3);
  expect(ran[0]?.actions.mark_overdue).toBe(3);
  expect(total).toBeGreaterThan(12);
  const levels = await Promise.all(ids.map(async (id) => (await load(id)).escalation.level));
  expect(levels.filter((l) => l === 'overdue')).toHaveLength(3);
});
