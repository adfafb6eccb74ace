import { defineTopic } from '@firegov/contracts';
import { createPublisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { z } from 'zod';
import { signalSource, startRiskSignalConsumer } from '../../src/events/inbound/risk-signals.ts';
import { seedTree, startHarness, townshipA, validUnit, VILLAGE_A1, type Harness } from '../harness.ts';

// Stands in for the inspections service's hazard topic (next issue): the mechanism by which other
// services' events move a unit's grade, tested end to end through Kafka.
const hazardTopic = defineTopic({
  name: 'firegov.test.hazards.v1',
  owner: 'test',
  description: 'test hazards',
  keyedBy: 'unit id',
  events: {
    'test.hazard.raised': z.object({ unitId: z.string(), grade: z.enum(['general', 'major']) }),
    'test.hazard.closed': z.object({ unitId: z.string(), grade: z.enum(['general', 'major']) }),
  },
});

const source = signalSource({
  topic: hazardTopic,
  toChange: (e) => {
    const key = e.data.grade === 'major' ? 'openMajorHazards' : 'openGeneralHazards';
    return { unitId: e.data.unitId, deltas: { [key]: e.type === 'test.hazard.raised' ? 1 : -1 } };
  },
});

let h: Harness;
let consumer: RunningConsumer | undefined;

beforeAll(async () => {
  h = await startHarness('entities-risk');
  await seedTree(h);
  await ensureTopics(h.kafka, [h.topic(hazardTopic.name)]);
  consumer = await startRiskSignalConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    units: h.services.units,
    sources: [source],
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('risk'),
  });
});
afterAll(async () => {
  await consumer?.stop();
  await h.close();
});

test('a major hazard raises the unit’s grade, a duplicate changes nothing, and closing it lowers the grade back', async () => {
  const unit = await h.services.units.register(townshipA, validUnit({ name: '风险信号测试' }));
  const before = unit.risk;
  const hazards = await createPublisher({ kafka: h.kafka, source: 'inspections', topicPrefix: h.ns.topicPrefix });
  try {
    const raised = await hazards.publish(hazardTopic, {
      type: 'test.hazard.raised',
      key: unit._id,
      data: { unitId: unit._id, grade: 'major' },
    });
    await eventually(async () =>
      expect((await h.models.units.findById(unit._id).lean())!.risk.score).toBeGreaterThan(before.score),
    );
    const raisedDoc = (await h.models.units.findById(unit._id).lean())!;
    expect(raisedDoc.risk.factors.map((f) => f.code)).toEqual(expect.arrayContaining([expect.stringMatching(/major/i)]));
    // The village counts follow the new grade (the unit is its village's only one).
    await eventually(async () =>
      expect((await h.services.units.villageSummaries(townshipA, VILLAGE_A1))[0]?.byGrade[raisedDoc.risk.grade]).toBe(1),
    );
    const [graded] = await h.events.waitFor(
      (m) =>
        m.envelope?.type === 'entities.unit.risk_graded' &&
        m.key === unit._id &&
        (m.envelope.data as { score: number }).score > before.score,
    );
    expect((graded!.envelope!.data as { previousGrade?: string }).previousGrade).toBe(before.grade);

    // The same event delivered again (at least once) is not counted twice.
    await hazards.sendStored([{ topic: hazardTopic.name, key: unit._id, envelope: raised }]);
    await hazards.publish(hazardTopic, { type: 'test.hazard.closed', key: unit._id, data: { unitId: unit._id, grade: 'major' } });
    await eventually(async () => {
      const doc = (await h.models.units.findById(unit._id).lean())!;
      expect(doc.risk.score).toBe(before.score);
      expect(doc.risk.grade).toBe(before.grade);
      expect((doc.signals as { openMajorHazards?: number }).openMajorHazards).toBe(0);
    });
  } finally {
    await hazards.disconnect();
  }
});

test('a signal for a unit that is not in the registry is dead-lettered, not retried forever', async () => {
  const hazards = await createPublisher({ kafka: h.kafka, source: 'inspections', topicPrefix: h.ns.topicPrefix });
  try {
    await hazards.publish(hazardTopic, {
      type: 'test.hazard.raised',
      key: 'u_nope',
      data: { unitId: 'u_nope', grade: 'general' },
    });
    await eventually(() => expect(consumer!.stats.deadLettered).toBe(1));
  } finally {
    await hazards.disconnect();
  }
});
