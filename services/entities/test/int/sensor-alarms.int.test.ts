import { sensorsAlarmTopic, type AlarmSnapshot } from '@firegov/contracts';
import { createPublisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startRiskSignalConsumer } from '../../src/events/inbound/risk-signals.ts';
import { sensorAlarmSignals } from '../../src/events/inbound/sensors.ts';
import { seedTree, startHarness, townshipA, validUnit, type Harness } from '../harness.ts';

// Sensor alarms (firegov.sensors.alarms.v1) move a unit's risk grade: a raised alarm counts until it
// is cleared, whatever happens to it in between; a redelivered raise counts once.

let h: Harness;
let consumer: RunningConsumer | undefined;

beforeAll(async () => {
  h = await startHarness('entities-alarms');
  await seedTree(h);
  await ensureTopics(h.kafka, [h.topic(sensorsAlarmTopic.name)]);
  consumer = await startRiskSignalConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    units: h.services.units,
    sources: [sensorAlarmSignals],
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('risk'),
  });
});
afterAll(async () => {
  await consumer?.stop();
  await h.close();
});

type Step = 'raised' | 'acknowledged' | 'cleared';

const alarm = (at: { unitId?: string; householdId?: string }, step: Step) => ({
  type: `sensors.alarm.${step}` as const,
  key: 'dev_smoke_1',
  data: {
    id: 'alm_1',
    deviceId: 'dev_smoke_1',
    deviceKind: 'smoke_detector',
    ...at,
    scope: [],
    type: 'smoke',
    severity: 'critical',
    status: step,
    raisedAt: '2026-03-01T10:00:00.000+08:00',
    repeats: 0,
    step: { action: step === 'raised' ? 'raise' : step, by: 'system', at: '2026-03-01T10:00:00.000+08:00' },
  } satisfies AlarmSnapshot,
});

const stored = async (unitId: string) => {
  const doc = (await h.models.units.findById(unitId).lean())!;
  return { risk: doc.risk, activeAlarms: (doc.signals as { activeAlarms?: number }).activeAlarms };
};

test('a raised alarm raises the grade until it is cleared; a redelivery, an acknowledgement and a household alarm change nothing', async () => {
  // 60 occupants put the restaurant at the top of "low": one alarm's 5 points make it "general".
  const unit = await h.services.units.register(townshipA, validUnit({ name: '烟感报警测试', occupancy: 60 }));
  const before = unit.risk;
  expect(before.grade).toBe('low');
  const sensors = await createPublisher({ kafka: h.kafka, source: 'sensors', topicPrefix: h.ns.topicPrefix });
  try {
    const raised = await sensors.publish(sensorsAlarmTopic, alarm({ unitId: unit._id }, 'raised'));
    await eventually(async () => {
      const now = await stored(unit._id);
      expect(now.activeAlarms).toBe(1);
      expect(now.risk.score).toBe(before.score + 5);
      expect(now.risk.grade).toBe('general');
      expect(now.risk.factors.find((f) => f.code === 'active_alarms')?.detail).toContain('1 条报警未处置');
    });

    await sensors.sendStored([{ topic: sensorsAlarmTopic.name, key: 'dev_smoke_1', envelope: raised }]);
    await sensors.publish(sensorsAlarmTopic, alarm({ unitId: unit._id }, 'acknowledged'));
    await sensors.publish(sensorsAlarmTopic, alarm({ householdId: 'hh_1' }, 'raised'));
    await eventually(() => expect(consumer!.stats.processed).toBeGreaterThanOrEqual(4));
    expect(await stored(unit._id)).toMatchObject({ activeAlarms: 1, risk: { score: before.score + 5, grade: 'general' } });

    await sensors.publish(sensorsAlarmTopic, alarm({ unitId: unit._id }, 'cleared'));
    await eventually(async () => {
      const now = await stored(unit._id);
      expect(now.activeAlarms).toBe(0);
      expect(now.risk.score).toBe(before.score);
      expect(now.risk.grade).toBe(before.grade);
    });
    expect(consumer!.stats.deadLettered).toBe(0);
  } finally {
    await sensors.disconnect();
  }
});
