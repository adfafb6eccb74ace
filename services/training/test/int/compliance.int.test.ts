import type { Identity } from '@firegov/auth';
import { personalDataReadTopics, trainingComplianceTopic, type PersonalDataRead, type UnitSnapshot } from '@firegov/contracts';
import { newOutbox } from '@firegov/events';
import { collectionOf } from '@firegov/kit';
import { upsertJurisdiction, upsertUnit } from '@firegov/registry';
import { testLogger } from '@firegov/testing';
import { startCoverageSweep } from '../../src/service/coverage-sweep.ts';
import {
  brigade,
  COUNTY,
  countyAdmin,
  gridA1,
  startHarness,
  TOWNSHIP_A,
  townshipA,
  townshipB,
  VILLAGE_A1,
  type Harness,
} from '../harness.ts';

// People, required-training rules, compliance queries, Unit.training and the coverage event,
// through the GraphQL endpoint against the real stack.

let h: Harness;

const unit = (id: string, over: Partial<UnitSnapshot>): UnitSnapshot => ({
  id,
  version: 1,
  name: `单位${id}`,
  category: 'factory',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP_A,
  villageCode: VILLAGE_A1,
  address: '青龙乡 1 号',
  buildingUse: 'industrial',
  floors: 3,
  undergroundFloors: 0,
  heightM: 12,
  occupancy: 50,
  keyUnit: true,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'general',
  riskScore: 30,
  status: 'active',
  demo: false,
  ...over,
});

const K1 = unit('u_key_a', { name: '青龙化工厂', supervisingDepartment: 'emergency' });
const K2 = unit('u_key_b', { townshipCode: '500230214000', villageCode: '500230214201', name: '别乡重点单位' });
const HOTEL = unit('u_hotel_a', { category: 'hotel', keyUnit: false, name: '青龙宾馆' });

const ERR = `... on MutationError { code details { path reason } }`;
const REGISTER = `mutation($input: RegisterTrainingPersonInput!) { registerTrainingPerson(input: $input) { __typename
  ... on MutationRegisterTrainingPersonSuccess { data { id name phone residentId assignments { role unitId villageCode } } } ${ERR} } }`;
const TRAINING = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Unit { id training {
  keyUnit required covered coverage vacantRoles certified { personId role coveredUntil } missing { personId role reason } } } } }`;

type Result<T> = { __typename: string; data?: T; code?: string; details?: Array<{ path: string; reason: string }> };
interface PersonOut {
  id: string;
  phone: string;
  residentId: string | null;
}

async function register(input: Record<string, unknown>, as: Identity = townshipA): Promise<Result<PersonOut>> {
  return (await h.gql(REGISTER, { input }, as)).registerTrainingPerson as Result<PersonOut>;
}

async function training(id: string, as: Identity = townshipA) {
  const out = await h.gql(TRAINING, { reps: [{ __typename: 'Unit', id }] }, as);
  return (out._entities as Array<{ training: Record<string, unknown> | null }>)[0]!.training;
}

async function certify(personId: string, courseId: string, issuedAt: string, validUntil: string) {
  const id = `cert_test_${personId}_${courseId}`;
  await collectionOf(h.models.certificates).insertOne({
    _id: id,
    personId,
    courseId,
    courseTitle: courseId,
    topic: 'fire_law',
    examId: 'exam_test',
    attemptId: `att_${id}`,
    scorePercent: 90,
    issuedAt,
    validUntil,
    supersedes: [],
    unitIds: [],
    roles: [],
    issuedBy: 'test',
    scope: [COUNTY],
    ...newOutbox([]),
  });
}

beforeAll(async () => {
  h = await startHarness('training-compliance', [trainingComplianceTopic.name, personalDataReadTopics.training.name]);
  for (const u of [K1, K2, HOTEL]) await upsertUnit(h.models, u);
  await upsertJurisdiction(h.models, { code: VILLAGE_A1, name: '青龙村', level: 'village', parentCode: TOWNSHIP_A, demo: false });
  await h.services.requirements.seedDefaults();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const alice = {
  name: '张伟',
  phone: '13900001111',
  residentId: '11010519491231002X',
  assignments: [{ role: 'responsible_person', unitId: K1.id }],
};

test('the default rules are seeded once, with confidence and source; unconfirmed intervals are marked local policy', async () => {
  expect(await h.services.requirements.seedDefaults()).toBe(0);
  const out = await h.gql(
    '{ trainingRequirements { id role premises courseIds intervalMonths confidence localPolicy source } }',
    {},
    townshipA,
  );
  const rules = out.trainingRequirements as Array<Record<string, unknown>>;
  expect(rules.find((r) => r.id === 'req_grid_manager_any')).toMatchObject({
    confidence: 'U',
    localPolicy: true,
    intervalMonths: 12,
  });
  expect(rules.find((r) => r.id === 'req_responsible_person_large_commercial_complex')).toMatchObject({
    confidence: 'C2',
    intervalMonths: 6,
  });
  expect(String(rules.find((r) => r.id === 'req_responsible_person_any')!.source)).toContain('61号令');
});

test('a person is registered with the unit’s scope; phones and ID numbers are masked for roles without personal data; out of scope reads as absent', async () => {
  const created = await register(alice);
  expect(created.__typename).toBe('MutationRegisterTrainingPersonSuccess');
  const id = created.data!.id;
  expect(created.data).toMatchObject({ phone: '13900001111', residentId: '11010519491231002X' });

  const q = 'query($id: ID!) { trainingPerson(id: $id) { id phone residentId } }';
  expect((await h.gql(q, { id }, brigade)).trainingPerson).toEqual({
    id,
    phone: '139****1111',
    residentId: '110105********002X',
  });
  expect((await h.gql(q, { id }, countyAdmin)).trainingPerson).toMatchObject({ phone: '13900001111' });
  expect((await h.gql(q, { id }, townshipB)).trainingPerson).toBeNull();
  // The whole phone and ID number shown to the county administrator are on the audit topic; the
  // brigade's masked answer is not.
  const [read] = await h.events.waitFor(
    (m) =>
      m.envelope?.type === 'training.personal_data.read' && (m.envelope.data as PersonalDataRead).reader.role === 'county_admin',
  );
  expect((read?.envelope?.data as PersonalDataRead).revealed).toEqual([
    { field: 'TrainingPerson.phone', count: 1 },
    { field: 'TrainingPerson.residentId', count: 1 },
  ]);
  expect(
    h.events.messages.some(
      (m) =>
        m.envelope?.type === 'training.personal_data.read' &&
        (m.envelope.data as PersonalDataRead).reader.role === 'fire_brigade',
    ),
  ).toBe(false);

  // Lists are AND-ed with the caller's jurisdiction: the village's grid manager sees the unit's people.
  const list = '{ trainingPeople(first: 10) { totalCount nodes { id phone } } }';
  expect((await h.gql(list, {}, gridA1)).trainingPeople).toEqual({ totalCount: 1, nodes: [{ id, phone: '13900001111' }] });
  expect((await h.gql(list, {}, townshipB)).trainingPeople).toEqual({ totalCount: 0, nodes: [] });
});

test('bad input names the field; a unit outside the caller’s jurisdiction is refused; nothing is stored', async () => {
  const before = await h.models.people.countDocuments();
  const bad = await register({
    name: '',
    phone: '12345',
    residentId: '110105194912310021',
    assignments: [{ role: 'grid_manager' }],
  });
  expect(bad.code).toBe('VALIDATION_FAILED');
  expect(bad.details!.map((d) => d.path).sort()).toEqual(['$.assignments[0].villageCode', '$.name', '$.phone', '$.residentId']);
  const elsewhere = await register({ ...alice, assignments: [{ role: 'safety_manager', unitId: K2.id }] });
  expect(elsewhere).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.assignments[0].unitId' }] });
  const platform: Identity = { subject: 'lp', role: 'learning_platform', jurisdiction: COUNTY };
  expect((await register(alice, platform)).code).toBe('FORBIDDEN');
  expect(await h.models.people.countDocuments()).toBe(before);
});

test('a key unit with an untrained responsible person and no manager is listed; a certificate covers one slot and the coverage is announced', async () => {
  const person = (await h.models.people.findOne({ name: '张伟' }).lean())!;
  const missing = await h.gql(
    '{ keyUnitsMissingTraining { unitId coverage vacantRoles missing { role personId } } }',
    {},
    townshipA,
  );
  expect(missing.keyUnitsMissingTraining).toEqual([
    {
      unitId: K1.id,
      coverage: 0,
      vacantRoles: ['safety_manager'],
      missing: [
        { role: 'responsible_person', personId: person._id },
        { role: 'safety_manager', personId: null },
      ],
    },
  ]);
  const [zero] = await h.events.waitFor((m) => m.envelope?.type === 'training.coverage.changed' && m.key === K1.id);
  expect(zero!.envelope!.data).toMatchObject({
    unitId: K1.id,
    coverage: 0,
    required: 2,
    covered: 0,
    vacantRoles: ['safety_manager'],
  });

  // Certified 11 months ago: the 12-month rule keeps it for one more month.
  await certify(person._id, 'course_responsible_person', '2025-04-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z');
  expect(await training(K1.id)).toMatchObject({
    required: 2,
    covered: 1,
    coverage: 0.5,
    certified: [{ personId: person._id, role: 'responsible_person', coveredUntil: '2026-04-01T00:00:00.000Z' }],
    missing: [{ personId: null, role: 'safety_manager', reason: '未登记' }],
  });
  expect(await training(K1.id, townshipB)).toBeNull();

  await h.services.compliance.recompute([K1.id]);
  const [half] = await h.events.waitFor(
    (m) =>
      m.envelope?.type === 'training.coverage.changed' &&
      m.key === K1.id &&
      (m.envelope.data as { coverage: number }).coverage === 0.5,
  );
  expect(half!.envelope!.data).toMatchObject({ version: 2, covered: 1 });
  // Unchanged coverage announces nothing.
  expect(await h.services.compliance.recompute([K1.id])).toBe(0);

  const expiring = await h.gql('{ trainingExpiring(withinDays: 45) { person { id phone } role unitId expiresAt } }', {}, brigade);
  expect(expiring.trainingExpiring).toEqual([
    {
      person: { id: person._id, phone: '139****1111' },
      role: 'responsible_person',
      unitId: K1.id,
      expiresAt: '2026-04-01T00:00:00.000Z',
    },
  ]);
  expect((await h.gql('{ trainingExpiring(withinDays: 10) { role } }', {}, brigade)).trainingExpiring).toEqual([]);
});

test('coverage per village, category and department counts village roles and units', async () => {
  const grid = await register({
    name: '李娜',
    phone: '13900002222',
    assignments: [{ role: 'grid_manager', villageCode: VILLAGE_A1 }],
  });
  expect(grid.__typename).toBe('MutationRegisterTrainingPersonSuccess');
  const q = 'query($by: TrainingCoverageBy!) { trainingCoverage(by: $by) { key required covered coverage } }';
  expect((await h.gql(q, { by: 'village' }, townshipA)).trainingCoverage).toEqual([
    { key: VILLAGE_A1, required: 3, covered: 1, coverage: 1 / 3 },
  ]);
  expect((await h.gql(q, { by: 'department' }, townshipA)).trainingCoverage).toEqual([
    { key: 'emergency', required: 2, covered: 1, coverage: 0.5 },
  ]);
  expect((await h.gql(q, { by: 'category' }, countyAdmin)).trainingCoverage).toEqual([
    { key: 'factory', required: 4, covered: 1, coverage: 0.25 },
  ]);
});

test('a person is registered once: the same mobile is refused, roles are added to the record', async () => {
  const person = (await h.models.people.findOne({ name: '张伟' }).lean())!;
  const again = await register({ ...alice, name: '张伟伟' });
  expect(again).toMatchObject({ code: 'CONFLICT', details: [{ path: '$.phone' }] });
  const ASSIGN = `mutation($input: AssignTrainingRolesInput!) { assignTrainingRoles(input: $input) { __typename
    ... on MutationAssignTrainingRolesSuccess { data { id assignments { role unitId villageCode } } } ${ERR} } }`;
  const twice = (
    await h.gql(
      ASSIGN,
      { input: { personId: person._id, assignments: [{ role: 'responsible_person', unitId: K1.id }] } },
      townshipA,
    )
  ).assignTrainingRoles as Result<unknown>;
  expect(twice).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.assignments', reason: 'names the same role at the same place twice' }],
  });
  const unseen = (
    await h.gql(ASSIGN, { input: { personId: person._id, assignments: [{ role: 'fire_officer', unitId: K1.id }] } }, townshipB)
  ).assignTrainingRoles as Result<unknown>;
  expect(unseen.code).toBe('NOT_FOUND');
  const added = (
    await h.gql(
      ASSIGN,
      { input: { personId: person._id, assignments: [{ role: 'village_team_member', villageCode: VILLAGE_A1 }] } },
      townshipA,
    )
  ).assignTrainingRoles as Result<{ assignments: unknown[] }>;
  expect(added.data!.assignments).toEqual([
    { role: 'responsible_person', unitId: K1.id, villageCode: null },
    { role: 'village_team_member', unitId: null, villageCode: VILLAGE_A1 },
  ]);
  expect((await h.models.people.findById(person._id).lean())!.villageCodes).toEqual([VILLAGE_A1]);
});

test('a county admin changes a rule (announced, marked local policy); others may not', async () => {
  const CHANGE = `mutation($input: ChangeTrainingRequirementInput!) { changeTrainingRequirement(input: $input) { __typename
    ... on MutationChangeTrainingRequirementSuccess { data { id version intervalMonths localPolicy source } } ${ERR} } }`;
  const input = { id: 'req_responsible_person_any', intervalMonths: 24, reason: '丰防发〔2026〕1号' };
  const refused = (await h.gql(CHANGE, { input }, townshipA)).changeTrainingRequirement as Result<unknown>;
  expect(refused.code).toBe('FORBIDDEN');
  const bad = (await h.gql(CHANGE, { input: { ...input, intervalMonths: 0 } }, countyAdmin))
    .changeTrainingRequirement as Result<unknown>;
  expect(bad.details).toEqual([{ path: '$.intervalMonths', reason: 'must be at least 1' }]);
  const changed = (await h.gql(CHANGE, { input }, countyAdmin)).changeTrainingRequirement as Result<Record<string, unknown>>;
  expect(changed.data).toMatchObject({ version: 2, intervalMonths: 24, localPolicy: true });
  expect(String(changed.data!.source)).toContain('丰防发〔2026〕1号');
  await h.events.waitFor(
    (m) => m.envelope?.type === 'training.requirement.changed' && (m.envelope.data as { version: number }).version === 2,
  );
  // With a 24-month interval the certificate now counts until its own end.
  const person = (await h.models.people.findOne({ name: '张伟' }).lean())!;
  expect(await training(K1.id)).toMatchObject({
    certified: [{ personId: person._id, coveredUntil: '2027-04-01T00:00:00.000Z' }],
  });
});

test('the sweep finds an expired certificate and announces the lower coverage', async () => {
  h.clock.set('2027-05-01T00:00:00.000Z');
  const sweep = startCoverageSweep({
    compliance: h.services.compliance,
    redis: h.redis,
    logger: testLogger(),
    intervalMs: 200,
    leaseKey: `${h.ns.dbName}:coverage-sweep`,
  });
  try {
    const [expired] = await h.events.waitFor(
      (m) =>
        m.envelope?.type === 'training.coverage.changed' &&
        m.key === K1.id &&
        (m.envelope.data as { version: number }).version === 3,
    );
    expect(expired!.envelope!.data).toMatchObject({ coverage: 0, covered: 0, required: 2 });
    // The other key unit (nobody registered) is announced too, once.
    await h.events.waitFor((m) => m.envelope?.type === 'training.coverage.changed' && m.key === K2.id);
  } finally {
    await sweep.stop();
  }
});
