import type { Identity } from '@firegov/auth';
import { fireForceTopic, householdTopic, trainingOutreachTopic, type UnitSnapshot } from '@firegov/contracts';
import { createPublisher, type Publisher, type RunningConsumer } from '@firegov/events';
import { upsertUnit } from '@firegov/registry';
import { eventually, testLogger } from '@firegov/testing';
import { startFireTeamProjection } from '../../src/events/inbound/fire-teams.ts';
import { startHouseholdProjection } from '../../src/events/inbound/households.ts';
import { brigade, countyAdmin, gridA1, startHarness, townshipA, townshipB, VILLAGE_A1, type Harness } from '../harness.ts';

// Outreach against the real stack: households and fire teams learned from entities' topics through
// Kafka, door-knocking coverage and the priority list, drills announced with their findings,
// volunteers ranked, survey results, scoping and masking. The clock stands at 2026-03-01 (UTC+8).

const VILLAGE_A2 = '500230213202';
const VILLAGE_B1 = '500230214201';
const townshipA2: Identity = { subject: 'a-officer-2', role: 'township_officer', jurisdiction: '500230213000' };

let h: Harness;
let entities: Publisher;
const consumers: RunningConsumer[] = [];

const unit = (id: string, over: Partial<UnitSnapshot> = {}): UnitSnapshot => ({
  id,
  version: 1,
  name: `单位${id}`,
  category: 'supermarket',
  countyCode: '500230000000',
  townshipCode: '500230213000',
  villageCode: VILLAGE_A1,
  address: '青龙乡场镇',
  buildingUse: 'commercial',
  floors: 3,
  undergroundFloors: 0,
  heightM: 12,
  occupancy: 200,
  keyUnit: false,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'low',
  riskScore: 0,
  status: 'active',
  demo: false,
  ...over,
});

beforeAll(async () => {
  h = await startHarness('training-outreach', [trainingOutreachTopic.name, householdTopic.name, fireForceTopic.name]);
  const logger = testLogger();
  entities = await createPublisher({ kafka: h.kafka, source: 'entities', topicPrefix: h.ns.topicPrefix });
  const common = { kafka: h.kafka, publisher: entities, logger, topicPrefix: h.ns.topicPrefix };
  consumers.push(await startHouseholdProjection({ ...common, visits: h.services.visits, groupId: h.ns.group('households') }));
  consumers.push(await startFireTeamProjection({ ...common, teams: h.services.teamTraining, groupId: h.ns.group('teams') }));
  await upsertUnit(h.models, unit('u_key', { keyUnit: true, name: '青龙商场' }));
  await upsertUnit(h.models, unit('u_school', { category: 'school', name: '青龙小学' }));
  await upsertUnit(h.models, unit('u_b', { townshipCode: '500230214000', villageCode: VILLAGE_B1, name: '邻乡单位' }));
}, 60_000);

afterAll(async () => {
  for (const c of consumers) await c.stop();
  await entities?.disconnect();
  await h?.close();
});

const mutate = async (field: string, query: string, input: Record<string, unknown>, identity: Identity) => {
  const out = (await h.gql(query, { input }, identity))[field] as {
    __typename: string;
    data?: Record<string, unknown>;
    code?: string;
    details?: unknown;
  };
  return out;
};
const errorPart = '... on MutationError { code message details { path reason } }';

describe('door knocking (敲门行动)', () => {
  const household = (id: string, villageCode: string, vulnerabilities: string[]) =>
    entities.publish(householdTopic, {
      type: 'entities.household.registered',
      key: id,
      data: { id, villageCode, memberCount: 1, vulnerabilities, devices: [], demo: false },
    });
  const VISIT = `mutation($input: RecordDoorVisitInput!) { recordDoorVisit(input: $input) { __typename
    ... on MutationRecordDoorVisitSuccess { data { id villageCode vulnerable vulnerabilities visitor { name phone } } } ${errorPart} } }`;
  const visit = (householdId: string, date: string, identity: Identity = gridA1) =>
    mutate(
      'recordDoorVisit',
      VISIT,
      {
        householdId,
        visitor: { name: '李网格', phone: '13912345678' },
        date,
        checks: [
          { item: 'wiring', result: 'problem', note: '私拉乱接' },
          { item: 'smoke_alarm', result: 'ok' },
        ],
        findings: [{ description: '电动车在楼道充电', fixedOnSite: true }],
        taught: true,
      },
      identity,
    );

  beforeAll(async () => {
    await household('hh_1', VILLAGE_A1, ['elderly_alone']);
    await household('hh_2', VILLAGE_A1, ['left_behind_child']);
    await household('hh_3', VILLAGE_A1, []);
    await household('hh_4', VILLAGE_A2, ['disabled']);
    await household('hh_b', VILLAGE_B1, ['elderly_alone']);
    // A redelivered announcement changes nothing.
    await household('hh_1', VILLAGE_A1, ['elderly_alone']);
    await eventually(async () => {
      if ((await h.models.households.countDocuments({})) < 5) throw new Error('households not projected yet');
    });
  });

  test('visits count towards coverage per village and grid, vulnerable households apart', async () => {
    expect((await visit('hh_1', '2026-02-20')).data).toMatchObject({
      villageCode: VILLAGE_A1,
      vulnerable: true,
      vulnerabilities: ['elderly_alone'],
    });
    expect((await visit('hh_3', '2026-02-21')).__typename).toBe('MutationRecordDoorVisitSuccess');
    // Visited twice in the period: still one household.
    expect((await visit('hh_1', '2025-10-01')).__typename).toBe('MutationRecordDoorVisitSuccess');
    const out = await h.gql(
      `query($p: PeriodInput!) { doorVisitCoverage(period: $p) { byVillage { villageCode households visited vulnerable vulnerableVisited share } } }`,
      { p: { from: '2026-01-01', to: '2026-02-28' } },
      townshipA,
    );
    expect((out.doorVisitCoverage as { byVillage: unknown[] }).byVillage).toEqual([
      { villageCode: VILLAGE_A1, households: 3, visited: 2, vulnerable: 2, vulnerableVisited: 1, share: 2 / 3 },
      { villageCode: VILLAGE_A2, households: 1, visited: 0, vulnerable: 1, vulnerableVisited: 0, share: 0 },
    ]);
  });

  test('the priority list holds vulnerable households not visited within N days, never visited first', async () => {
    const out = await h.gql(`{ doorVisitPriority(days: 30) { id lastVisitOn } }`, {}, townshipA);
    expect(out.doorVisitPriority).toEqual([
      { id: 'hh_2', lastVisitOn: null },
      { id: 'hh_4', lastVisitOn: null },
    ]);
    const longer = await h.gql(`{ doorVisitPriority(days: 5) { id } }`, {}, townshipA);
    expect((longer.doorVisitPriority as Array<{ id: string }>).map((x) => x.id)).toEqual(['hh_2', 'hh_4', 'hh_1']);
  });

  test('a household outside the caller’s jurisdiction reads as absent; a bad visit names the field and stores nothing', async () => {
    expect(await visit('hh_b', '2026-02-20')).toMatchObject({ __typename: 'MutationError', code: 'NOT_FOUND' });
    const bad = await mutate(
      'recordDoorVisit',
      VISIT,
      { householdId: 'hh_2', visitor: { name: '李网格' }, date: '2026-02-30', checks: [] },
      gridA1,
    );
    expect(bad).toMatchObject({
      __typename: 'MutationError',
      code: 'VALIDATION_FAILED',
      details: [
        { path: '$.date', reason: 'is not a calendar date' },
        { path: '$.checks', reason: 'must list at least one checked item' },
      ],
    });
    expect(await h.models.visits.countDocuments({ householdId: { $in: ['hh_b', 'hh_2'] } })).toBe(0);
  });

  test('visitor phones are masked for roles that do not need them', async () => {
    const q = `{ doorVisits(householdId: "hh_1") { visitor { name phone } } }`;
    const township = (await h.gql(q, {}, townshipA)).doorVisits as Array<{ visitor: { phone: string } }>;
    const fire = (await h.gql(q, {}, brigade)).doorVisits as Array<{ visitor: { name: string; phone: string } }>;
    expect(township[0]!.visitor.phone).toBe('13912345678');
    expect(fire[0]!.visitor).toEqual({ name: '李网格', phone: '139****5678' });
    expect(await h.gql(q, {}, townshipB)).toEqual({ doorVisits: [] });
  });
});

describe('drills (演练)', () => {
  const DRILL = `mutation($input: RecordDrillInput!) { recordDrill(input: $input) { __typename
    ... on MutationRecordDrillSuccess { data { id unitId villageCode findings { id severity } } } ${errorPart} } }`;

  test('a unit drill is announced with its findings, keyed by the unit, for inspections to turn into hazards', async () => {
    const out = await mutate(
      'recordDrill',
      DRILL,
      {
        unitId: 'u_key',
        villageCode: VILLAGE_A2, // the unit's own village wins
        scenario: '二层仓库起火疏散',
        date: '2026-02-25',
        place: '青龙商场',
        departments: ['安保部', '营业部'],
        participants: 45,
        evacuationSeconds: 240,
        findings: [
          { description: '东侧安全出口被货架遮挡', severity: 'major', location: '2F' },
          { description: '部分员工不会使用灭火器', severity: 'general' },
        ],
      },
      townshipA,
    );
    expect(out.__typename).toBe('MutationRecordDrillSuccess');
    const drill = out.data as { id: string; villageCode: string };
    expect(drill.villageCode).toBe(VILLAGE_A1);
    const [msg] = await h.events.waitFor(
      (m) => m.envelope?.type === 'training.drill.recorded' && m.envelope.subject === drill.id,
    );
    expect(msg!.key).toBe('u_key');
    expect(msg!.envelope!.data).toMatchObject({
      unitId: 'u_key',
      findings: [
        { id: 'f1', description: '东侧安全出口被货架遮挡', severity: 'major', location: '2F' },
        { id: 'f2', severity: 'general' },
      ],
    });
  });

  test('units overdue for a drill follow the frequency rules (key unit 6 months, school and others a year)', async () => {
    const rules = await h.gql(`{ drillRules { appliesTo maxIntervalDays confidence } }`, {}, townshipA);
    expect(rules.drillRules).toEqual([
      { appliesTo: 'key_unit', maxIntervalDays: 183, confidence: 'C' },
      { appliesTo: 'school', maxIntervalDays: 365, confidence: 'C' },
      { appliesTo: 'other_unit', maxIntervalDays: 365, confidence: 'C' },
    ]);
    let overdue = await h.gql(`{ overdueDrills { unitId lastDrillOn rule { appliesTo } } }`, {}, townshipA);
    expect(overdue.overdueDrills).toEqual([{ unitId: 'u_school', lastDrillOn: null, rule: { appliesTo: 'school' } }]);
    h.clock.advanceDays(200);
    overdue = await h.gql(`{ overdueDrills { unitId overdueByDays } }`, {}, townshipA);
    expect(overdue.overdueDrills).toEqual([
      { unitId: 'u_school', overdueByDays: 365 },
      { unitId: 'u_key', overdueByDays: 200 + 4 - 183 },
    ]);
    h.clock.advanceDays(-200);
  });

  test('a drill at a unit outside the caller’s jurisdiction is refused and stores nothing', async () => {
    const out = await mutate(
      'recordDrill',
      DRILL,
      { unitId: 'u_b', scenario: '疏散', date: '2026-02-25', place: '邻乡', departments: ['全体'], participants: 10 },
      townshipA,
    );
    expect(out).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
    expect(await h.models.drills.countDocuments({ unitId: 'u_b' })).toBe(0);
  });
});

describe('village fire-team training', () => {
  test('a session of a team learned from entities is scoped by its village and announced for readiness', async () => {
    await entities.publish(fireForceTopic, {
      type: 'entities.fireteam.registered',
      key: 't_team1',
      data: { id: 't_team1', villageCode: VILLAGE_A1, kind: 'part_time', memberCount: 22, equipmentItems: 3, demo: false },
    });
    await eventually(async () => {
      if (!(await h.models.fireTeams.findById('t_team1').lean())) throw new Error('team not projected yet');
    });
    const out = await mutate(
      'recordFireTeamSession',
      `mutation($input: RecordFireTeamSessionInput!) { recordFireTeamSession(input: $input) { __typename
        ... on MutationRecordFireTeamSessionSuccess { data { id villageCode hours } } ${errorPart} } }`,
      { teamId: 't_team1', date: '2026-02-27', hours: 3, participants: 18, content: '水带连接' },
      gridA1,
    );
    const session = out.data as { id: string; villageCode: string };
    expect(session.villageCode).toBe(VILLAGE_A1);
    const [msg] = await h.events.waitFor(
      (m) => m.envelope?.type === 'training.team_session.recorded' && m.envelope.subject === session.id,
    );
    expect(msg!.key).toBe('t_team1');
    const hours = await h.gql(
      `query($p: PeriodInput!) { fireTeamTraining(period: $p) { teamId sessions hours } }`,
      { p: { from: '2026-01-01', to: '2026-03-01' } },
      townshipA,
    );
    expect(hours.fireTeamTraining).toEqual([{ teamId: 't_team1', sessions: 1, hours: 3 }]);
    expect(
      await h.gql(
        `query($p: PeriodInput!) { fireTeamTraining(period: $p) { teamId } }`,
        { p: { from: '2026-01-01', to: '2026-03-01' } },
        townshipB,
      ),
    ).toEqual({
      fireTeamTraining: [],
    });
  });
});

describe('volunteers', () => {
  const REGISTER = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { __typename
    ... on MutationRegisterVolunteerSuccess { data { id phone } } ${errorPart} } }`;
  const ACTIVITY = `mutation($input: RecordVolunteerActivityInput!) { recordVolunteerActivity(input: $input) { __typename
    ... on MutationRecordVolunteerActivitySuccess { data { id status } } ${errorPart} } }`;
  const CONFIRM = `mutation($input: ConfirmVolunteerActivityInput!) { confirmVolunteerActivity(input: $input) { __typename
    ... on MutationConfirmVolunteerActivitySuccess { data { id status confirmedHours } } ${errorPart} } }`;

  const register = async (name: string, phone: string) =>
    ((await mutate('registerVolunteer', REGISTER, { name, phone, villageCode: VILLAGE_A1 }, townshipA)).data as { id: string })
      .id;
  const activity = async (volunteerId: string, hours: number, date = '2026-02-10') =>
    (
      (await mutate('recordVolunteerActivity', ACTIVITY, { volunteerId, kind: 'publicity', date, hours }, gridA1)).data as {
        id: string;
      }
    ).id;

  test('confirmed hours, activities and recognitions rank volunteers; each score is the sum of its factors', async () => {
    const wang = await register('王志愿', '13700001111');
    const zhao = await register('赵志愿', '13700002222');
    const w1 = await activity(wang, 4);
    const w2 = await activity(wang, 3);
    const z1 = await activity(zhao, 8);
    await activity(zhao, 5); // never confirmed: does not count

    // Confirmation is a separate step by township or county staff, never whoever recorded the hours.
    expect(await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: wang, activityId: w1 }, gridA1)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: wang, activityId: w1 }, townshipA)).toMatchObject({
      code: 'FORBIDDEN',
      details: [{ path: '$.activityId', reason: 'was recorded or registered by you' }],
    });
    const ok = await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: wang, activityId: w1 }, townshipA2);
    expect(ok.data).toMatchObject({ status: 'confirmed', confirmedHours: 4 });
    expect(await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: wang, activityId: w1 }, townshipA2)).toMatchObject({
      code: 'CONFLICT',
    });
    await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: wang, activityId: w2 }, countyAdmin);
    expect(
      (await mutate('confirmVolunteerActivity', CONFIRM, { volunteerId: zhao, activityId: z1, hours: 6 }, townshipA2)).data,
    ).toMatchObject({
      confirmedHours: 6,
    });
    await mutate(
      'recogniseVolunteer',
      `mutation($input: RecogniseVolunteerInput!) { recogniseVolunteer(input: $input) { __typename ${errorPart} } }`,
      { volunteerId: zhao, title: '春节防火宣传先进个人', date: '2026-02-15' },
      countyAdmin,
    );

    const out = await h.gql(
      `query($p: PeriodInput!) { volunteerRanking(period: $p) { weights { perConfirmedHour perActivity perRecognition confidence }
        rows { name score factors { code quantity weight points } } } }`,
      { p: { from: '2026-01-01', to: '2026-02-28' } },
      townshipA,
    );
    const ranking = out.volunteerRanking as {
      weights: unknown;
      rows: Array<{
        name: string;
        score: number;
        factors: Array<{ code: string; quantity: number; weight: number; points: number }>;
      }>;
    };
    expect(ranking.weights).toEqual({ perConfirmedHour: 1, perActivity: 2, perRecognition: 10, confidence: 'U' });
    expect(ranking.rows.map((r) => [r.name, r.score])).toEqual([
      ['赵志愿', 6 + 2 + 10],
      ['王志愿', 7 + 4],
    ]);
    for (const r of ranking.rows) expect(r.factors.reduce((n, f) => n + f.points, 0)).toBe(r.score);
    expect(ranking.rows[1]!.factors).toEqual([
      { code: 'confirmed_hours', quantity: 7, weight: 1, points: 7 },
      { code: 'activities', quantity: 2, weight: 2, points: 4 },
      { code: 'recognitions', quantity: 0, weight: 10, points: 0 },
    ]);
  });

  test('volunteer phones are masked for the fire brigade and volunteers are invisible outside the jurisdiction', async () => {
    const q = `{ volunteers { name phone } }`;
    expect(((await h.gql(q, {}, townshipA)).volunteers as Array<{ phone: string }>).map((v) => v.phone).sort()).toEqual([
      '13700001111',
      '13700002222',
    ]);
    expect(((await h.gql(q, {}, brigade)).volunteers as Array<{ phone: string }>).map((v) => v.phone).sort()).toEqual([
      '137****1111',
      '137****2222',
    ]);
    expect(await h.gql(q, {}, townshipB)).toEqual({ volunteers: [] });
  });
});

describe('literacy survey (消防安全素质调查)', () => {
  test('responses are scored against the questionnaire and reported per village and year', async () => {
    const created = await mutate(
      'createLiteracySurvey',
      `mutation($input: CreateSurveyInput!) { createLiteracySurvey(input: $input) { __typename
        ... on MutationCreateLiteracySurveySuccess { data { id year passScore } } ${errorPart} } }`,
      {
        year: 2026,
        title: '2026 年青龙乡消防安全素质调查',
        jurisdictionCode: '500230213000',
        passScore: 60,
        questions: [
          {
            id: 'q1',
            text: '火警电话是？',
            category: '防范意识',
            options: [
              { id: 'a', text: '119', points: 50 },
              { id: 'b', text: '110', points: 0 },
            ],
          },
          {
            id: 'q2',
            text: '楼内起火应？',
            category: '自救逃生',
            options: [
              { id: 'a', text: '乘电梯', points: 0 },
              { id: 'b', text: '湿毛巾捂口鼻走楼梯', points: 50 },
              { id: 'c', text: '原地等待', points: 10 },
            ],
          },
        ],
      },
      townshipA,
    );
    const surveyId = (created.data as { id: string }).id;
    const RESPOND = `mutation($input: RecordSurveyResponseInput!) { recordSurveyResponse(input: $input) { __typename
      ... on MutationRecordSurveyResponseSuccess { data { score passed } } ${errorPart} } }`;
    const respond = (villageCode: string, q1: string, q2: string, identity: Identity = gridA1) =>
      mutate(
        'recordSurveyResponse',
        RESPOND,
        {
          surveyId,
          villageCode,
          answers: [
            { questionId: 'q1', optionId: q1 },
            { questionId: 'q2', optionId: q2 },
          ],
        },
        identity,
      );
    expect((await respond(VILLAGE_A1, 'a', 'b')).data).toEqual({ score: 100, passed: true });
    expect((await respond(VILLAGE_A1, 'a', 'c')).data).toEqual({ score: 60, passed: true });
    expect((await respond(VILLAGE_A1, 'b', 'a')).data).toEqual({ score: 0, passed: false });
    expect((await respond(VILLAGE_A2, 'a', 'a', townshipA)).data).toEqual({ score: 50, passed: false });
    expect(await respond(VILLAGE_A1, 'z', 'b')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.answers[0].optionId', reason: 'is not an option of question q1' }],
    });
    expect(await respond(VILLAGE_B1, 'a', 'b', townshipB)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.villageCode' }],
    });

    const results = await h.gql(
      `query($id: ID!) { surveyResults(surveyId: $id) { year villages { villageCode respondents meanScore passShare } overall { respondents meanScore passShare } } }`,
      { id: surveyId },
      townshipA,
    );
    expect(results.surveyResults).toEqual({
      year: 2026,
      villages: [
        { villageCode: VILLAGE_A1, respondents: 3, meanScore: 53.3, passShare: 0.667 },
        { villageCode: VILLAGE_A2, respondents: 1, meanScore: 50, passShare: 0 },
      ],
      overall: { respondents: 4, meanScore: 52.5, passShare: 0.5 },
    });
    expect(await h.gql(`query($id: ID!) { literacySurvey(id: $id) { id } }`, { id: surveyId }, townshipB)).toEqual({
      literacySurvey: null,
    });
  });
});

describe('五进 publicity', () => {
  test('events count per kind and per village over a period; the place comes from the unit, never the caller', async () => {
    const RECORD = `mutation($input: RecordPublicityInput!) { recordPublicityEvent(input: $input) { __typename
      ... on MutationRecordPublicityEventSuccess { data { id villageCode unitName organiser { phone } } } ${errorPart} } }`;
    const organiser = { name: '张宣传', phone: '13612345678' };
    const school = await mutate(
      'recordPublicityEvent',
      RECORD,
      {
        kind: 'school',
        unitId: 'u_school',
        organiser,
        date: '2026-02-12',
        attendance: 300,
        materials: [
          { kind: '宣传册', count: 300 },
          { kind: '海报', count: 20 },
        ],
      },
      townshipA,
    );
    expect(school.data).toMatchObject({ villageCode: VILLAGE_A1, unitName: '青龙小学' });
    await mutate(
      'recordPublicityEvent',
      RECORD,
      { kind: 'village', villageCode: VILLAGE_A2, organiser, date: '2026-02-13', attendance: 80, format: 'broadcast' },
      townshipA,
    );
    await mutate(
      'recordPublicityEvent',
      RECORD,
      { kind: 'village', villageCode: VILLAGE_A2, organiser, date: '2026-02-14', attendance: 50 },
      townshipA,
    );
    expect(
      await mutate(
        'recordPublicityEvent',
        RECORD,
        { kind: 'family', villageCode: VILLAGE_B1, organiser, date: '2026-02-14', attendance: 5 },
        townshipA,
      ),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await mutate('recordPublicityEvent', RECORD, { kind: 'family', organiser, date: '2026-02-14', attendance: 5 }, townshipA),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.villageCode', reason: 'is required when no unitId is given' }],
    });
    const out = await h.gql(
      `query($p: PeriodInput!) { publicityCoverage(period: $p) { byKind { key events attendance materials } byVillage { key events attendance } } }`,
      { p: { from: '2026-02-01', to: '2026-02-28' } },
      townshipA,
    );
    const coverage = out.publicityCoverage as { byKind: Array<{ key: string; events: number }>; byVillage: unknown[] };
    expect(coverage.byKind.find((k) => k.key === 'school')).toEqual({
      key: 'school',
      events: 1,
      attendance: 300,
      materials: 320,
    });
    expect(coverage.byKind.find((k) => k.key === 'village')).toEqual({
      key: 'village',
      events: 2,
      attendance: 130,
      materials: 0,
    });
    expect(coverage.byKind.map((k) => k.key)).toEqual(['enterprise', 'village', 'community', 'school', 'family']);
    expect(coverage.byVillage).toEqual([
      { key: VILLAGE_A1, events: 1, attendance: 300 },
      { key: VILLAGE_A2, events: 2, attendance: 130 },
    ]);
    const masked = (
      await h.gql(
        `query($p: PeriodInput!) { publicityEvents(period: $p) { organiser { phone } } }`,
        { p: { from: '2026-02-01', to: '2026-02-28' } },
        brigade,
      )
    ).publicityEvents as Array<{ organiser: { phone: string } }>;
    expect(masked.map((e) => e.organiser.phone)).toEqual(['136****5678', '136****5678', '136****5678']);
  });
});
