import { assessmentTopic, sensorFaultTopic } from '@firegov/contracts';
import { createPublisher, DEFAULT_DLQ_TOPIC, type Publisher } from '@firegov/events';
import { collectTopics, testKafka, type TopicCollector } from '@firegov/testing';
import { countyAdmin, mutate, registerUnit, seedTree, type RiskView, TOWNSHIP_A, townshipA } from './county.ts';
import { startServices, type RunningServices } from './harness.ts';

// The loop across the three services, each a real process, through real Kafka: entities announces
// units and inspections and assessment learn them from the topic; hazards raise a unit's risk grade in
// entities and their closure lowers it; an agency's pushed findings, a redelivered assessment event
// and a sensor fault become hazards; an event for a unit nobody knows is dead-lettered. Everything is
// read back through the services' GraphQL, their REST API or Kafka, as any client would.

const INBOUND_GROUP = 'inspections.inbound-hazards';

let s: RunningServices;
let upstream: Publisher;
let dlq: TopicCollector;

beforeAll(async () => {
  s = await startServices('chain', ['entities', 'inspections', 'assessment']);
  try {
    const kafka = testKafka();
    upstream = await createPublisher({ kafka, source: 'e2e-upstream', topicPrefix: s.topicPrefix });
    dlq = await collectTopics(kafka, [`${s.topicPrefix}${DEFAULT_DLQ_TOPIC}`]);
    await seedTree(s);
  } catch (err) {
    await teardown();
    throw err;
  }
}, 60_000);

async function teardown(): Promise<void> {
  await dlq?.stop();
  await upstream?.disconnect();
  await s?.stop();
}
afterAll(teardown, 60_000);

async function unitRisk(unitId: string): Promise<RiskView> {
  const data = await s.gql<{ unit: { risk: RiskView } | null }>(
    'entities',
    `query($id: ID!) { unit(id: $id) { risk { score grade factors { code points detail } } } }`,
    { id: unitId },
    townshipA,
  );
  return data.unit!.risk;
}

/**
 * The signals entities holds for a unit, as its public risk factors explain them: open hazards by
 * grade ("1 项重大火灾隐患未整改…") and the latest assessment ("2026-03-01 评估为 C 级").
 */
function signalsOf(risk: RiskView): Record<string, unknown> {
  const count = (code: string) => {
    const f = risk.factors.find((x) => x.code === code);
    return f ? Number(/^(\d+) /.exec(f.detail)?.[1]) : 0;
  };
  const assessment = risk.factors.find((x) => x.code === 'assessment');
  const m = assessment ? /^(\d{4}-\d{2}-\d{2}) 评估为 ([A-D]) 级/.exec(assessment.detail) : null;
  return {
    openMajorHazards: count('open_major_hazards'),
    openGeneralHazards: count('open_general_hazards'),
    ...(m ? { latestAssessment: { grade: m[2], date: m[1] } } : {}),
  };
}

interface HazardView {
  id: string;
  source: string;
  sourceRef: string | null;
  grade: string;
  unitName: string;
  description: string;
}
const HAZARD_FIELDS = 'id source sourceRef grade unitName description';

/** What inspections knows of a unit: null while it has not learned the unit from the registry topic. */
async function inspectionsUnit(unitId: string): Promise<{ openHazardCount: number | null; hazards: HazardView[] } | null> {
  const data = await s.gql<{ _entities: Array<{ openHazardCount: number | null; hazards: HazardView[] } | null> }>(
    'inspections',
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { openHazardCount hazards(first: 50) { ${HAZARD_FIELDS} } } } }`,
    { r: [{ __typename: 'Unit', id: unitId }] },
    townshipA,
  );
  return data._entities[0] ?? null;
}

const inspectionsKnows = (unitId: string) =>
  s.eventually(async () => expect((await inspectionsUnit(unitId))?.openHazardCount).toBe(0));

const hazardsOf = async (unitId: string) => (await inspectionsUnit(unitId))?.hazards ?? [];

async function setupAgency(creditCode: string, jurisdictionCodes: string[]) {
  const today = beijingToday();
  const year = today.slice(0, 4);
  const agency = await mutate<{ id: string }>(
    s,
    'assessment',
    'registerAgency',
    `mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) {
      __typename ... on MutationRegisterAgencySuccess { data { id } } ... on MutationError { code message } } }`,
    { input: { name: '重庆某消防技术服务有限公司', creditCode, qualification: 'class_1' } },
    countyAdmin,
  );
  const licenceNo = `ENG-${agency.id.slice(-6).toUpperCase()}`;
  await mutate(
    s,
    'assessment',
    'registerFireEngineer',
    `mutation($id: ID!, $input: RegisterEngineerInput!) { registerFireEngineer(agencyId: $id, input: $input) {
      __typename ... on MutationRegisterFireEngineerSuccess { data { id } } ... on MutationError { code message } } }`,
    { id: agency.id, input: { name: '王工程师', licenceNo, validFrom: '2024-01-01', validUntil: `${Number(year) + 2}-12-31` } },
    countyAdmin,
  );
  await mutate(
    s,
    'assessment',
    'registerAgencyContract',
    `mutation($input: RegisterContractInput!) { registerAgencyContract(input: $input) {
      __typename ... on MutationRegisterAgencyContractSuccess { data { id } } ... on MutationError { code message } } }`,
    { input: { agencyId: agency.id, jurisdictionCodes, validFrom: `${year}-01-01`, validUntil: `${year}-12-31` } },
    countyAdmin,
  );
  const client = await mutate<{ clientId: string; clientSecret: string }>(
    s,
    'assessment',
    'createAgencyApiClient',
    `mutation($id: ID!) { createAgencyApiClient(agencyId: $id, label: "main system") {
      __typename ... on MutationCreateAgencyApiClientSuccess { data { clientId clientSecret } } ... on MutationError { code message } } }`,
    { id: agency.id },
    countyAdmin,
  );
  return { agencyId: agency.id, licenceNo, ...client };
}

async function agencyToken(clientId: string, clientSecret: string): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const res = await s.http('assessment', 'POST', '/oauth/token', {
    form: 'grant_type=client_credentials',
    headers: { authorization: `Basic ${basic}` },
  });
  const token = (res.json as { access_token?: string }).access_token;
  if (!token) throw new Error(`no token: ${res.status} ${JSON.stringify(res.json)}`);
  return token;
}

/** Today as a Beijing calendar date (assessments are dated in Beijing time). */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const SHA = 'a'.repeat(64);
function submission(licenceNo: string, overrides: Record<string, unknown>) {
  return {
    engineerLicence: licenceNo,
    method: 'on_site',
    findings: [0, 1].map((i) => ({
      id: `f${i + 1}`,
      category: i % 2 ? 'extinguishers' : 'evacuation',
      severity: i === 0 ? 'major' : 'general',
      description: `问题描述${i + 1}：疏散通道堆放货物`,
      location: `${i + 1}F 东侧`,
      evidence: [{ url: `https://files.example.cn/${i}.jpg`, sha256: SHA }],
    })),
    report: { url: 'https://files.example.cn/report.pdf', sha256: SHA },
    ...overrides,
  };
}

const hazardCommand = (mutation: string, args: string, variables: Record<string, unknown>) =>
  mutate<HazardView>(
    s,
    'inspections',
    mutation,
    `mutation(${args}) { ${mutation}(${Object.keys(variables)
      .map((k) => `${k}: $${k}`)
      .join(', ')}) {
      __typename ... on ${`Mutation${mutation[0]!.toUpperCase()}${mutation.slice(1)}Success`} { data { ${HAZARD_FIELDS} } }
      ... on MutationError { code message } } }`,
    variables,
    townshipA,
  );

// ---- the chain ------------------------------------------------------------------------------

test('an agency’s pushed findings become hazards in inspections and move the unit’s risk grade in entities', async () => {
  const creditCode = '914403001922038216';
  const unit = await registerUnit(s, { name: '链路测试商场', category: 'supermarket', creditCode });
  const before = unit.risk.score;
  // Inspections learns the unit from the entities topic.
  await inspectionsKnows(unit.id);

  const agency = await setupAgency('91440300192317458F', [TOWNSHIP_A]);
  const token = await agencyToken(agency.clientId, agency.clientSecret);
  const today = beijingToday();
  // Assessment resolves the credit code only once it has learned the unit from the same topic; until
  // then the push is refused (and a refusal is not remembered under the idempotency key).
  const res = await s.eventually(async () => {
    const r = await s.http('assessment', 'POST', '/v1/assessments', {
      token,
      key: 'chain-key-0001',
      body: submission(agency.licenceNo, { unit: { creditCode }, assessedOn: today, score: 55, grade: 'D' }),
    });
    expect(r.status).toBe(201);
    return r;
  });
  expect(res.json).toMatchObject({ unitId: unit.id });
  const assessmentId = res.json.id as string;
  // The findings' source record is this agency's assessment of this unit.
  const pushed = await s.gql<{ assessment: { agency: { id: string }; unit: { id: string } } }>(
    'assessment',
    `query($id: ID!) { assessment(id: $id) { agency { id } unit { id } } }`,
    { id: assessmentId },
    countyAdmin,
  );
  expect(pushed.assessment).toEqual({ agency: { id: agency.agencyId }, unit: { id: unit.id } });

  await s.eventually(async () => {
    const hazards = await hazardsOf(unit.id);
    expect(hazards.map((x) => [x.source, x.sourceRef, x.grade]).sort()).toEqual([
      ['assessment', `assessment:${assessmentId}#f1`, 'major'],
      ['assessment', `assessment:${assessmentId}#f2`, 'general'],
    ]);
  });
  await s.eventually(async () => {
    const risk = await unitRisk(unit.id);
    expect(signalsOf(risk)).toMatchObject({
      openMajorHazards: 1,
      openGeneralHazards: 1,
      latestAssessment: { grade: 'D', date: today },
    });
    expect(risk.score).toBeGreaterThan(before);
    expect(risk.factors.map((f) => f.code)).toEqual(expect.arrayContaining([expect.stringMatching(/assessment/i)]));
  });
});

test('a major hazard raises the unit’s risk grade in entities, and closing it after re-inspection lowers it again', async () => {
  const unit = await registerUnit(s, { name: '闭环测试餐馆' });
  const before = unit.risk;
  await inspectionsKnows(unit.id);

  const hazard = await mutate<HazardView>(
    s,
    'inspections',
    'recordHazard',
    `mutation($input: RecordHazardInput!) { recordHazard(input: $input) {
      __typename ... on MutationRecordHazardSuccess { data { ${HAZARD_FIELDS} } } ... on MutationError { code message } } }`,
    { input: { unitId: unit.id, title: '安全出口锁闭', description: '营业期间两个安全出口均上锁', factorCodes: ['D-6'] } },
    townshipA,
  );
  expect(hazard.grade).toBe('major');
  // Inspections knows the unit by the name the registry announced.
  expect(hazard.unitName).toBe('闭环测试餐馆');
  await s.eventually(async () => {
    const risk = await unitRisk(unit.id);
    expect(signalsOf(risk).openMajorHazards).toBe(1);
    expect(risk.score).toBeGreaterThan(before.score);
  });

  const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await hazardCommand('issueRectificationOrder', '$hazardId: ID!, $deadline: String!, $responsibleParty: String!', {
    hazardId: hazard.id,
    deadline,
    responsibleParty: '店主',
  });
  await hazardCommand('reportRectified', '$hazardId: ID!', { hazardId: hazard.id });
  await hazardCommand('reinspectHazard', '$hazardId: ID!, $passed: Boolean!', { hazardId: hazard.id, passed: true });
  await s.eventually(async () => {
    const risk = await unitRisk(unit.id);
    expect(signalsOf(risk).openMajorHazards).toBe(0);
    expect(risk.score).toBe(before.score);
    expect(risk.grade).toBe(before.grade);
  });
});

test('an agency’s findings become hazards once each, however often the assessment is delivered; the grade reflects it', async () => {
  const unit = await registerUnit(s, { name: '评估对象商店', category: 'supermarket' });
  await inspectionsKnows(unit.id);
  const assessment = {
    id: 'as_roundtrip1',
    version: 1,
    unitId: unit.id,
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
    await upstream.publish(assessmentTopic, { type: 'assessment.assessment.submitted', key: unit.id, data: assessment });
  }
  await s.eventually(async () => {
    const hazards = await hazardsOf(unit.id);
    expect(hazards.map((x) => [x.source, x.sourceRef, x.grade]).sort()).toEqual([
      ['assessment', 'assessment:as_roundtrip1#f1', 'major'],
      ['assessment', 'assessment:as_roundtrip1#f2', 'general'],
    ]);
  });
  await s.eventually(async () => {
    expect(signalsOf(await unitRisk(unit.id))).toMatchObject({
      openMajorHazards: 1,
      openGeneralHazards: 1,
      latestAssessment: { grade: 'C', date: '2026-03-01' },
    });
  });
});

test('a persistent sensor fault becomes a hazard; an event for a unit nobody knows is dead-lettered and the next one still lands', async () => {
  const unit = await registerUnit(s, { name: '物联网监测单位' });
  await inspectionsKnows(unit.id);
  const ghostLetters = () =>
    dlq.messages.filter((m) => m.key === 'u_ghost' && (m.headers.dlq_consumer_group ?? '').endsWith(INBOUND_GROUP));
  expect(ghostLetters()).toHaveLength(0);
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
    key: unit.id,
    data: {
      id: 'sf_1',
      deviceId: 'd2',
      unitId: unit.id,
      kind: 'low_pressure',
      since: '2026-02-28T00:00:00.000Z',
      description: '喷淋管网压力低',
    },
  });
  await s.eventually(async () => {
    const data = await s.gql<{ hazard: (HazardView & { unit: { id: string } }) | null }>(
      'inspections',
      `query($id: ID!) { hazard(id: $id) { ${HAZARD_FIELDS} unit { id } } }`,
      { id: 'hz_s_sf_1' },
      townshipA,
    );
    expect(data.hazard).toMatchObject({ source: 'sensor', sourceRef: 'sensor:sf_1', unit: { id: unit.id } });
    // Found by the device that reported the fault.
    expect(data.hazard!.description).toContain('device d2');
  });
  await s.eventually(() => expect(ghostLetters()).toHaveLength(1));
  expect(ghostLetters()[0]!.headers.dlq_reason).toContain('u_ghost');
});
