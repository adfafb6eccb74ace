import { trainingOutreachTopic, type DrillRecorded } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { handleHazardSource, startInboundHazards, type HazardSourceEvent } from '../../src/events/inbound/hazard-sources.ts';
import { seedRegistry, startHarness, unitSnapshot, VILLAGE_A1, type Harness } from '../harness.ts';

// Drill findings from training (firegov.training.outreach.v1) become hazards through the inbound
// consumer on real Kafka: each finding once, however often the drill event arrives.

let h: Harness;
let consumer: RunningConsumer;
const unit = unitSnapshot({ name: '演练测试商场', category: 'supermarket', keyUnit: true });

const drill = (id: string, over: Partial<DrillRecorded> = {}): DrillRecorded => ({
  id,
  unitId: unit.id,
  villageCode: VILLAGE_A1,
  scenario: '商场二层火灾疏散',
  date: '2026-03-01',
  participants: 40,
  evacuationSeconds: 210,
  findings: [
    { id: 'f1', description: '东侧安全出口被货架遮挡', severity: 'major', location: '2F 东侧' },
    { id: 'f2', description: '应急照明灯不亮', severity: 'general' },
  ],
  recordedBy: 'u-township',
  ...over,
});

beforeAll(async () => {
  h = await startHarness('insp-drills');
  await seedRegistry(h, [unit]);
  await ensureTopics(h.kafka, [h.topic(trainingOutreachTopic.name)]);
  consumer = await startInboundHazards({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger('inspections'),
    hazards: h.services.hazards,
    topicPrefix: h.ns.topicPrefix,
  });
}, 60_000);
afterAll(async () => {
  await consumer?.stop();
  await h?.close();
});

test('each finding of a unit drill becomes one hazard through Kafka, however often the drill is delivered', async () => {
  const publish = () =>
    h.publisher.publish(trainingOutreachTopic, {
      type: 'training.drill.recorded',
      key: unit.id,
      subject: 'drl_1',
      data: drill('drl_1'),
    });
  await publish();
  await publish();
  const found = await eventually(async () => {
    const docs = await h.models.hazards.find({ unitId: unit.id, source: 'drill' }).lean();
    if (docs.length < 2) throw new Error(`only ${docs.length} drill hazards so far`);
    return docs;
  });
  expect(found.map((x) => [x._id, x.sourceRef?.id, x.state.grade, x.foundBy]).sort()).toEqual([
    ['hz_d_drl_1_f1', 'drl_1#f1', 'major', 'training:u-township'],
    ['hz_d_drl_1_f2', 'drl_1#f2', 'general', 'training:u-township'],
  ]);
  // The second delivery is consumed too and creates nothing more.
  await eventually(async () => {
    if (consumer.stats.processed < 2) throw new Error('second delivery not consumed yet');
  });
  expect(await h.models.hazards.countDocuments({ unitId: unit.id, source: 'drill' })).toBe(2);
});

test('a village drill, a drill without findings and a team session propose no hazard', async () => {
  let seq = 0;
  const meta = () => {
    seq += 1;
    return {
      id: `ev_d${seq}`,
      source: 'test',
      time: new Date().toISOString(),
      subject: undefined,
      topic: trainingOutreachTopic.name,
      partition: 0,
      offset: String(seq),
      key: unit.id,
    };
  };
  const village: HazardSourceEvent = { ...meta(), type: 'training.drill.recorded', data: drill('drl_v', { unitId: undefined }) };
  const clean: HazardSourceEvent = { ...meta(), type: 'training.drill.recorded', data: drill('drl_c', { findings: [] }) };
  const session: HazardSourceEvent = {
    ...meta(),
    type: 'training.team_session.recorded',
    data: {
      id: 'tss_1',
      teamId: 't_1',
      villageCode: VILLAGE_A1,
      date: '2026-03-01',
      hours: 2,
      participants: 12,
      content: '水带连接',
    },
  };
  for (const e of [village, clean, session]) expect(await handleHazardSource(h.services.hazards, e)).toBe(0);
});
