import { trainingCertificateTopic, trainingComplianceTopic, type UnitSnapshot } from '@firegov/contracts';
import { createPublisher, newOutbox } from '@firegov/events';
import { collectionOf } from '@firegov/kit';
import { testLogger } from '@firegov/testing';
import { startCertificateCoverageConsumer } from '../../src/events/inbound/certificates.ts';
import { upsertUnit } from '@firegov/registry';
import { demoPersonId, loadPeopleDemo } from '../../src/demo/people.ts';
import { COUNTY, countyAdmin, startHarness, TOWNSHIP_A, VILLAGE_A1, type Harness } from '../harness.ts';

// The demo loader: people for every other demo key unit, stable ids, loaded once.

let h: Harness;

const demoUnit = (n: number, keyUnit: boolean): UnitSnapshot => ({
  id: `u_demo_${String(n).padStart(3, '0')}`,
  version: 1,
  name: `演示单位${n}`,
  category: 'hotel',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP_A,
  villageCode: VILLAGE_A1,
  address: '青龙乡',
  buildingUse: 'commercial',
  floors: 4,
  undergroundFloors: 0,
  heightM: 15,
  occupancy: 80,
  keyUnit,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'general',
  riskScore: 30,
  status: 'active',
  demo: true,
});

beforeAll(async () => {
  h = await startHarness('training-people-demo', [trainingComplianceTopic.name]);
  for (let n = 1; n <= 6; n++) await upsertUnit(h.models, demoUnit(n, n <= 4));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

test('registers the responsible person and manager of every other demo key unit once, and announces their coverage', async () => {
  const first = await loadPeopleDemo({ services: h.services, models: h.models, countyCode: COUNTY });
  expect(first).toEqual({ units: 2, people: 4, skipped: false });
  const people = await h.models.people.find({}).sort({ _id: 1 }).lean();
  expect(people.map((p) => [p._id, p.assignments[0]!.role, p.assignments[0]!.unitId])).toEqual([
    [demoPersonId(1), 'responsible_person', 'u_demo_001'],
    [demoPersonId(2), 'safety_manager', 'u_demo_001'],
    [demoPersonId(3), 'responsible_person', 'u_demo_003'],
    [demoPersonId(4), 'safety_manager', 'u_demo_003'],
  ]);
  expect(await loadPeopleDemo({ services: h.services, models: h.models, countyCode: COUNTY })).toMatchObject({ skipped: true });
  await h.events.waitFor((m) => m.envelope?.type === 'training.coverage.changed' && m.key === 'u_demo_003');
  const missing = await h.services.compliance.keyUnitsMissing(countyAdmin);
  expect(missing.map((u) => u.unitId)).toEqual(['u_demo_001', 'u_demo_002', 'u_demo_003', 'u_demo_004']);
});

test('a certificate issued by an exam recomputes the holder’s units through Kafka, without waiting for the sweep', async () => {
  const publisher = await createPublisher({ kafka: h.kafka, source: 'training', topicPrefix: h.ns.topicPrefix });
  const consumer = await startCertificateCoverageConsumer({
    kafka: h.kafka,
    publisher,
    logger: testLogger(),
    compliance: h.services.compliance,
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('coverage'),
  });
  try {
    const cert = {
      id: 'cert_demo_1',
      personId: demoPersonId(1),
      courseId: 'course_responsible_person',
      courseTitle: '消防安全责任人培训',
      topic: 'fire_law' as const,
      examId: 'exam_demo',
      scorePercent: 90,
      issuedAt: '2026-02-01T00:00:00.000Z',
      validUntil: '2027-02-01T00:00:00.000Z',
      supersedes: [],
      unitIds: [],
      roles: [],
      scope: [COUNTY],
    };
    await collectionOf(h.models.certificates).insertOne({
      _id: cert.id,
      ...cert,
      attemptId: 'att_demo_1',
      issuedBy: 'test',
      ...newOutbox([]),
    });
    await publisher.publish(trainingCertificateTopic, { type: 'training.certificate.issued', key: cert.personId, data: cert });
    const [covered] = await h.events.waitFor(
      (m) =>
        m.envelope?.type === 'training.coverage.changed' &&
        m.key === 'u_demo_001' &&
        (m.envelope.data as { covered: number }).covered === 1,
    );
    expect(covered!.envelope!.data).toMatchObject({ coverage: 0.5, required: 2 });
  } finally {
    await consumer.stop();
    await publisher.disconnect();
  }
});
