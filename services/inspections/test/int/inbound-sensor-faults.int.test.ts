import { sensorFaultTopic } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startInboundHazards } from '../../src/events/inbound/hazard-sources.ts';
import { inDays, seedRegistry, startHarness, townshipA, unitSnapshot, type Harness } from '../harness.ts';

// Sensor faults (firegov.sensors.faults.v1) through the inbound consumer on real Kafka: a persistent
// fault opens hazard hz_s_<fault>; its resolve closes it by the device's own re-inspection, once,
// and never overrides a person who closed it first; a resolve for a fault never recorded is ignored.

let h: Harness;
let consumer: RunningConsumer;
const unit = unitSnapshot({ name: '喷淋测试商场', category: 'supermarket' });

beforeAll(async () => {
  h = await startHarness('insp-sensor-faults');
  await seedRegistry(h, [unit]);
  await ensureTopics(h.kafka, [h.topic(sensorFaultTopic.name)]);
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

const persisted = (id: string, deviceId: string) =>
  h.publisher.publish(sensorFaultTopic, {
    type: 'sensors.fault.persisted',
    key: unit.id,
    data: {
      id,
      deviceId,
      unitId: unit.id,
      kind: 'low_pressure',
      since: '2026-03-01T08:00:00+08:00',
      description: '喷淋管网压力低',
    },
  });

const resolved = (id: string, deviceId: string) =>
  h.publisher.publish(sensorFaultTopic, {
    type: 'sensors.fault.resolved',
    key: unit.id,
    data: { id, deviceId, unitId: unit.id, resolvedAt: '2026-03-02T09:30:00+08:00' },
  });

const hazard = (id: string) => h.models.hazards.findById(id).lean();

/** Waits until the consumer has handled `n` messages in all, so "nothing changed" is not "not yet". */
const consumed = (n: number) =>
  eventually(async () => {
    if (consumer.stats.processed < n) throw new Error(`${consumer.stats.processed} of ${n} consumed`);
  });

test('a resolved fault closes its hazard by the device’s re-inspection, once however often it arrives', async () => {
  await persisted('sf_1', 'dev_1');
  await eventually(async () => expect((await hazard('hz_s_sf_1'))?.state.status).toBe('open'));

  await resolved('sf_1', 'dev_1');
  const closed = await eventually(async () => {
    const doc = await hazard('hz_s_sf_1');
    expect(doc?.state.status).toBe('closed');
    return doc!;
  });
  expect(closed.state.closedAt).toBe(h.clock.now().toISOString());
  expect(closed.state.reinspections).toEqual([
    {
      at: h.clock.now().toISOString(),
      by: 'device:dev_1',
      passed: true,
      notes: expect.stringContaining('2026-03-02T09:30:00+08:00'),
      round: 0,
    },
  ]);
  const [event] = await h.events.waitFor(
    (m) => m.envelope?.type === 'inspections.hazard.transitioned' && m.envelope.subject === 'hz_s_sf_1',
  );
  expect(event!.envelope!.data).toMatchObject({
    status: 'closed',
    command: 'reinspect',
    passed: true,
    from: 'open',
    previous: { open: true },
  });

  await resolved('sf_1', 'dev_1');
  await consumed(3);
  expect((await hazard('hz_s_sf_1'))?.version).toBe(closed.version);
  expect(consumer.stats.deadLettered).toBe(0);
});

test('a hazard a person closed first stays as the person left it; a resolve for an unknown fault is ignored', async () => {
  const before = consumer.stats.processed;
  await persisted('sf_2', 'dev_2');
  await eventually(async () => expect((await hazard('hz_s_sf_2'))?.state.status).toBe('open'));
  await h.services.hazards.command(townshipA, 'hz_s_sf_2', {
    kind: 'issue_order',
    deadline: inDays(h, 7),
    responsibleParty: '商场 李经理',
  });
  const byPerson = await h.services.hazards.command(townshipA, 'hz_s_sf_2', { kind: 'reinspect', passed: true });
  expect(byPerson.state.status).toBe('closed');

  await resolved('sf_2', 'dev_2');
  await resolved('sf_never_recorded', 'dev_3');
  await consumed(before + 3);
  const after = (await hazard('hz_s_sf_2'))!;
  expect(after.version).toBe(byPerson.version);
  expect(after.state.reinspections.map((r) => r.by)).toEqual(['a-officer']);
  expect(await hazard('hz_s_sf_never_recorded')).toBeNull();
  expect(consumer.stats.deadLettered).toBe(0);
});
