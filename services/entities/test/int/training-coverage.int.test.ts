import { trainingComplianceTopic } from '@firegov/contracts';
import { createPublisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startRiskSignalConsumer } from '../../src/events/inbound/risk-signals.ts';
import { trainingSignals } from '../../src/events/inbound/training.ts';
import { seedTree, startHarness, townshipA, validUnit, type Harness } from '../harness.ts';

// Training coverage (firegov.training.compliance.v1) moves a unit's risk grade: below 50 % adds the
// training_coverage factor, a later coverage replaces it, rule changes move nothing.

let h: Harness;
let consumer: RunningConsumer | undefined;

beforeAll(async () => {
  h = await startHarness('entities-training');
  await seedTree(h);
  await ensureTopics(h.kafka, [h.topic(trainingComplianceTopic.name)]);
  consumer = await startRiskSignalConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    units: h.services.units,
    sources: [trainingSignals],
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('risk'),
  });
});
afterAll(async () => {
  await consumer?.stop();
  await h.close();
});

const coverage = (unitId: string, value: number, version: number) => ({
  type: 'training.coverage.changed' as const,
  key: unitId,
  data: {
    unitId,
    coverage: value,
    required: 4,
    covered: Math.round(value * 4),
    vacantRoles: [],
    version,
    computedAt: '2026-03-01T00:00:00.000Z',
    scope: [],
  },
});

test('low training coverage raises the grade; full coverage lowers it back; a redelivery changes nothing', async () => {
  const unit = await h.services.units.register(townshipA, validUnit({ name: '培训覆盖测试' }));
  const before = unit.risk;
  const training = await createPublisher({ kafka: h.kafka, source: 'training', topicPrefix: h.ns.topicPrefix });
  try {
    const low = await training.publish(trainingComplianceTopic, coverage(unit._id, 0.25, 1));
    await eventually(async () => {
      const doc = (await h.models.units.findById(unit._id).lean())!;
      expect(doc.risk.score).toBe(before.score + 10);
      expect(doc.risk.factors.find((f) => f.code === 'training_coverage')?.detail).toContain('25%');
    });
    await training.sendStored([{ topic: trainingComplianceTopic.name, key: unit._id, envelope: low }]);
    await training.publish(trainingComplianceTopic, coverage(unit._id, 1, 2));
    await eventually(async () => {
      const doc = (await h.models.units.findById(unit._id).lean())!;
      expect(doc.risk.score).toBe(before.score);
      expect((doc.signals as { trainingCoverage?: number }).trainingCoverage).toBe(1);
    });
  } finally {
    await training.disconnect();
  }
});
