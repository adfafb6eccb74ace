import { assessmentTopic, sensorFaultTopic } from '@firegov/contracts';
import { createPublisher, type Publisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startRiskSignalConsumer } from '../../../entities/src/events/risk-signals.ts';
import { signalSources } from '../../../entities/src/events/signal-sources.ts';
import {
  seedTree,
  startHarness as startEntities,
  townshipA as entitiesTownshipA,
  validUnit,
  type Harness as EntitiesHarness,
} from '../../../entities/test/harness.ts';
import { startInboundHazards } from '../../src/events/inbound-hazards.ts';
import { startRegistryProjection } from '@firegov/registry';
import type { HazardDoc } from '../../src/store/models.ts';
import { inDays, startHarness, townshipA, type Harness } from '../harness.ts';

// The loop the issue asks for, through real Kafka: entities announces a unit, inspections learns it
// from the topic; a major hazard raises the unit's risk grade in entities and its closure lowers
// it; an agency's findings and a sensor fault arrive as events and become hazards.

let e: EntitiesHarness;
let h: Harness;
let upstream: Publisher;
const consumers: RunningConsumer[] = [];

beforeAll(async () => {
  e = await startEntities('roundtrip-entities');
  h = await startHarness('roundtrip-inspections', { topicPrefix: e.ns.topicPrefix });
  await ensureTopics(h.kafka, [h.topic(assessmentTopic.name), h.topic(sensorFaultTopic.name)]);
  await seedTree(e);
  const logger = testLogger();
  consumers.push(
    (await startRiskSignalConsumer({
      kafka: e.kafka,
      publisher: e.publisher,
      logger,
      models: e.models,
      sources: signalSources,
      kick: (ids) => e.relay.kick(e.models.units.collection, ids),
      topicPrefix: e.ns.topicPrefix,
      groupId: e.ns.group('risk'),
    })) as RunningConsumer,
    await startRegistryProjection({
      service: 'inspections',
      kafka: h.kafka,
      publisher: h.publisher,
      logger,
      models: h.models,
      topicPrefix: e.ns.topicPrefix,
      groupId: e.ns.group('registry'),
    }),
    await startInboundHazards({
      kafka: h.kafka,
      publisher: h.publisher,
      logger,
      models: h.models,
      hazards: h.services.hazards,
      topicPrefix: e.ns.topicPrefix,
      groupId: e.ns.group('inbound'),
    }),
  );
  upstream = await createPublisher({ kafka: h.kafka, source: 'assessment', topicPrefix: e.ns.topicPrefix });
});
afterAll(async () => {
  await upstream.disconnect();
  await Promise.all(consumers.map((c) => c.stop()));
  await h.close();
  await e.close();
});

const unitDoc = async (id: string) => (await e.models.units.findById(id).lean())!;

test('a major hazard raises the unit’s risk grade in entities, and closing it after re-inspection lowers it again', async () => {
  const unit = await e.services.units.register(entitiesTownshipA, validUnit({ name: '闭环测试餐馆' }));
  const before = unit.risk;
  // Inspections knows the unit only from the entities topic.
  await eventually(async () => expect(await h.models.units.findById(unit._id).lean()).toMatchObject({ name: '闭环测试餐馆' }));

  const hazard = await h.services.hazards.record(townshipA, {
    unitId: unit._id,
    title: '安全出口锁闭',
    description: '营业期间两个安全出口均上锁',
    factorCodes: ['D-6'],
  });
  expect(hazard.state.grade).toBe('major');
  await eventually(async () => {
    const doc = await unitDoc(unit._id);
    expect((doc.signals as { openMajorHazards?: number }).openMajorHazards).toBe(1);
    expect(doc.risk.score).toBeGreaterThan(before.score);
  });

  await h.services.hazards.command(townshipA, hazard._id, {
    kind: 'issue_order',
    deadline: inDays(h, 7),
    responsibleParty: '店主',
  });
  await h.services.hazards.command(townshipA, hazard._id, { kind: 'report_rectified' });
  await h.services.hazards.command(townshipA, hazard._id, { kind: 'reinspect', passed: true });
  await eventually(async () => {
    const doc = await unitDoc(unit._id);
    expect((doc.signals as { openMajorHazards?: number }).openMajorHazards).toBe(0);
    expect(doc.risk.score).toBe(before.score);
    expect(doc.risk.grade).toBe(before.grade);
  });
});

test('an agency’s findings become hazards once each, however often the assessment is delivered; the grade reflects it', async () => {
  const unit = await e.services.units.register(entitiesTownshipA, validUnit({ name: '评估对象商店', category: 'supermarket' }));
  await eventually(async () => expect(await h.models.units.findById(unit._id).lean()).not.toBeNull());
  const assessment = {
    id: 'as_roundtrip1',
    version: 1,
    unitId: unit._id,
    agencyId: 'ag_1',
    assessedOn: '2026-03-01',
    grade: 'C' as const,
    score: 61,
    findings: [
      {
        id: 'f1',
        category: '疏散',
        severity: 'major' as const,
        description: '疏散楼梯间堆放货物',
        location: '2F 东侧楼梯',
        evidence: [],
      },
      {
        id: 'f2',
        category: '设施',
        severity: 'general' as const,
        description: '灭火器压力不足',
        location: '1F 收银台',
        evidence: [],
      },
    ],
  };
  for (let i = 0; i < 2; i += 1) {
    await upstream.publish(assessmentTopic, { type: 'assessment.assessment.submitted', key: unit._id, data: assessment });
  }
  await eventually(async () => {
    const hazards = await h.models.hazards.find({ unitId: unit._id }).lean<HazardDoc[]>();
    expect(hazards.map((x) => [x.source, x.sourceRef?.id, x.state.grade]).sort()).toEqual([
      ['assessment', 'as_roundtrip1#f1', 'major'],
      ['assessment', 'as_roundtrip1#f2', 'general'],
    ]);
  });
  await eventually(async () => {
    const doc = await unitDoc(unit._id);
    expect(doc.signals).toMatchObject({
      openMajorHazards: 1,
      openGeneralHazards: 1,
      latestAssessment: { grade: 'C', date: '2026-03-01' },
    });
  });
});

test('a persistent sensor fault becomes a hazard; an event for a unit nobody knows is dead-lettered and the next one still lands', async () => {
  const unit = await e.services.units.register(entitiesTownshipA, validUnit({ name: '物联网监测单位' }));
  await eventually(async () => expect(await h.models.units.findById(unit._id).lean()).not.toBeNull());
  const inbound = consumers[2] as RunningConsumer;
  const deadBefore = inbound.stats.deadLettered;
  await upstream.publish(sensorFaultTopic, {
    type: 'sensors.fault.persisted',
    key: 'u_ghost',
    data: {
      id: 'sf_ghost',
      deviceId: 'd1',
      unitId: 'u_ghost',
      kind: 'offline',
      since: '2026-02-28T00:00:00.000Z',
      description: '烟感离线',
    },
  });
  await upstream.publish(sensorFaultTopic, {
    type: 'sensors.fault.persisted',
    key: unit._id,
    data: {
      id: 'sf_1',
      deviceId: 'd2',
      unitId: unit._id,
      kind: 'low_pressure',
      since: '2026-02-28T00:00:00.000Z',
      description: '喷淋管网压力低',
    },
  });
  await eventually(async () => {
    const hz = await h.models.hazards.findById('hz_s_sf_1').lean<HazardDoc>();
    expect(hz).toMatchObject({ source: 'sensor', unitId: unit._id, foundBy: 'device:d2' });
  });
  await eventually(() => expect(inbound.stats.deadLettered).toBe(deadBefore + 1));
});
