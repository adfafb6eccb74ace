import type { RunningConsumer } from '@firegov/events';
import { eventually, testLogger } from '@firegov/testing';
import { startRiskSignalConsumer } from '../../../entities/src/events/risk-signals.ts';
import { signalSources } from '../../../entities/src/events/signal-sources.ts';
import {
  seedTree,
  startHarness as startEntities,
  townshipA as entitiesTownshipA,
  validUnit,
  type Harness as EntitiesHarness,
} from '../../../entities/test/harness.ts';
import { startInboundHazards } from '../../../inspections/src/events/inbound-hazards.ts';
import { startRegistryProjection as startInspectionsRegistry } from '../../../inspections/src/events/registry-projection.ts';
import type { HazardDoc } from '../../../inspections/src/store/models.ts';
import { startHarness as startInspections, type Harness as InspectionsHarness } from '../../../inspections/test/harness.ts';
import { startRegistryProjection } from '../../src/events/registry-projection.ts';
import { setupAgency, startHarness, submission, tokenFor, type Harness } from '../harness.ts';

// The whole chain through real Kafka: entities registers a unit; assessment and inspections learn it
// from the topic; an agency pushes an assessment; its findings become hazards in inspections (source
// assessment, back reference to the finding) and the unit's risk grade in entities reflects both
// the hazards and the assessment grade.

let e: EntitiesHarness;
let i: InspectionsHarness;
let h: Harness;
const consumers: RunningConsumer[] = [];

beforeAll(async () => {
  e = await startEntities('chain-entities');
  const shared = { topicPrefix: e.ns.topicPrefix };
  i = await startInspections('chain-inspections', shared);
  h = await startHarness('chain-assessment', { ...shared, start: new Date().toISOString() });
  await seedTree(e);
  const logger = testLogger();
  const common = { publisher: e.publisher, logger, topicPrefix: e.ns.topicPrefix };
  consumers.push(
    (await startRiskSignalConsumer({
      ...common,
      kafka: e.kafka,
      models: e.models,
      sources: signalSources,
      kick: (ids) => e.relay.kick(e.models.units.collection, ids),
      groupId: e.ns.group('risk'),
    })) as RunningConsumer,
    await startInspectionsRegistry({ ...common, kafka: i.kafka, models: i.models, groupId: e.ns.group('insp-registry') }),
    await startInboundHazards({
      ...common,
      kafka: i.kafka,
      models: i.models,
      hazards: i.services.hazards,
      groupId: e.ns.group('inbound'),
    }),
    await startRegistryProjection({ ...common, kafka: h.kafka, models: h.models, groupId: e.ns.group('assess-registry') }),
  );
});
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await h.close();
  await i.close();
  await e.close();
});

test('an agency’s findings become hazards in inspections and move the unit’s risk grade in entities', async () => {
  const unit = await e.services.units.register(
    entitiesTownshipA,
    validUnit({ name: '链路测试商场', category: 'supermarket', creditCode: '914403001922038216' }),
  );
  const before = unit.risk.score;
  await eventually(async () =>
    expect(await h.models.unitCodes.findById('914403001922038216').lean()).toMatchObject({ unitId: unit._id }),
  );
  await eventually(async () => expect(await i.models.units.findById(unit._id).lean()).not.toBeNull());

  const agency = await setupAgency(h, { creditCode: '91440300192317458F', jurisdictionCodes: ['500230213000'] });
  const token = await tokenFor(h, agency.clientId, agency.clientSecret);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const res = await h.http('POST', '/v1/assessments', {
    token,
    key: 'chain-key-0001',
    body: submission('', agency.licenceNo, {
      unit: { creditCode: '914403001922038216' },
      assessedOn: today,
      score: 55,
      grade: 'D',
    }),
  });
  expect(res.status).toBe(201);
  const assessmentId = res.json.id as string;

  await eventually(async () => {
    const hazards = await i.models.hazards.find({ unitId: unit._id }).lean<HazardDoc[]>();
    expect(hazards.map((x) => [x.source, x.sourceRef?.id, x.state.grade, x.foundBy]).sort()).toEqual([
      ['assessment', `${assessmentId}#f1`, 'major', `agency:${agency.agencyId}`],
      ['assessment', `${assessmentId}#f2`, 'general', `agency:${agency.agencyId}`],
    ]);
  });
  await eventually(async () => {
    const doc = (await e.models.units.findById(unit._id).lean())!;
    expect(doc.signals).toMatchObject({
      openMajorHazards: 1,
      openGeneralHazards: 1,
      latestAssessment: { grade: 'D', date: today },
    });
    expect(doc.risk.score).toBeGreaterThan(before);
    expect(doc.risk.factors.map((f) => f.code)).toEqual(expect.arrayContaining([expect.stringMatching(/assessment/i)]));
  });
});
