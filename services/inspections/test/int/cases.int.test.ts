import { caseTopic } from '@firegov/contracts';
import {
  brigade,
  countyAdmin,
  gridA1,
  inDays,
  seedRegistry,
  startHarness,
  TOWNSHIP_A,
  TOWNSHIP_B,
  townshipA,
  townshipB,
  unitSnapshot,
  type Harness,
} from '../harness.ts';

// 执法 (enforcement cases opened from hazards, towards 清零) and 事故调查 (fire incidents, their
// investigation and accountability), over GraphQL against the real stack.

let h: Harness;
const warehouse = unitSnapshot({ name: '青龙粮油仓库', category: 'warehouse' });
const restaurant = unitSnapshot({ name: '青龙场镇李记火锅', category: 'restaurant', villageCode: '500230213202' });

beforeAll(async () => {
  h = await startHarness('insp-cases');
  await seedRegistry(h, [warehouse, restaurant]);
});
afterAll(async () => h.close());

type Result<T> = {
  __typename: string;
  data?: T;
  code?: string;
  message?: string;
  details?: Array<{ path: string; reason: string }>;
};
type Case = {
  id: string;
  hazardId: string;
  unitId: string;
  status: string;
  basis: string;
  measures: string[];
  fineYuan: number | null;
  outcome: string | null;
  closedAt: string | null;
};
type Incident = {
  id: string;
  unitName: string;
  severity: string;
  status: string;
  deaths: number;
  investigationLead: string | null;
  findings: string | null;
  accountability: Array<{ party: string; measure: string }>;
  mustInvestigate: boolean;
  upwardNoticeRequired: boolean;
  upwardNoticeTo: string | null;
  rectificationAssessmentDueBy: string | null;
  rectificationAssessedAt: string | null;
};

const ERR = `... on MutationError { code message details { path reason } }`;
const CASE_FIELDS = `id hazardId unitId status basis measures fineYuan outcome closedAt`;
const INCIDENT_FIELDS = `id unitName severity status deaths investigationLead findings accountability { party measure }
  mustInvestigate upwardNoticeRequired upwardNoticeTo rectificationAssessmentDueBy rectificationAssessedAt`;
const BASIS = '《中华人民共和国消防法》第六十条';

async function mutate<T>(name: string, query: string, variables: Record<string, unknown>, who = countyAdmin): Promise<Result<T>> {
  const res = await h.gql<Record<string, Result<T>>>(query, variables, who);
  expect(res.errors).toBeUndefined();
  return res.data?.[name] as Result<T>;
}

const openCase = (hazardId: string, who = countyAdmin, basis = BASIS) =>
  mutate<Case>(
    'openEnforcementCase',
    `mutation($h: ID!, $b: String!) { openEnforcementCase(hazardId: $h, basis: $b) { __typename ... on MutationOpenEnforcementCaseSuccess { data { ${CASE_FIELDS} } } ${ERR} } }`,
    { h: hazardId, b: basis },
    who,
  );
const decideCase = (caseId: string, args: { measures: string[]; fineYuan?: number; note?: string }, who = countyAdmin) =>
  mutate<Case>(
    'decideEnforcementCase',
    `mutation($c: ID!, $m: [String!]!, $f: Int, $n: String) { decideEnforcementCase(caseId: $c, measures: $m, fineYuan: $f, note: $n) {
      __typename ... on MutationDecideEnforcementCaseSuccess { data { ${CASE_FIELDS} } } ${ERR} } }`,
    { c: caseId, m: args.measures, f: args.fineYuan, n: args.note },
    who,
  );
const closeCase = (caseId: string, outcome: string, who = countyAdmin) =>
  mutate<Case>(
    'closeEnforcementCase',
    `mutation($c: ID!, $o: String!) { closeEnforcementCase(caseId: $c, outcome: $o) { __typename ... on MutationCloseEnforcementCaseSuccess { data { ${CASE_FIELDS} } } ${ERR} } }`,
    { c: caseId, o: outcome },
    who,
  );

async function newHazard(title: string, unitId = warehouse.id): Promise<string> {
  const doc = await h.services.hazards.record(townshipA, { unitId, title, description: `${title}，现场拍照取证` });
  return doc._id;
}

/** Distinct events (Kafka may deliver one twice) on the cases topic about one record, in order. */
async function caseEvents(
  subject: string,
  lastStatus: string,
): Promise<Array<{ type: string; status: string; data: Record<string, unknown> }>> {
  const topic = h.topic(caseTopic.name);
  const about = (m: (typeof h.events.messages)[number]) => m.topic === topic && m.envelope?.subject === subject;
  await h.events.waitFor((m) => about(m) && (m.envelope?.data as { status?: string }).status === lastStatus);
  const byId = new Map(h.events.messages.filter(about).map((m) => [m.envelope?.id, m.envelope]));
  return [...byId.values()].map((e) => ({
    type: e?.type as string,
    status: (e?.data as { status: string }).status,
    data: e?.data as Record<string, unknown>,
  }));
}

describe('enforcement cases (执法)', () => {
  test('opened from a hazard, decided with a fine, closed; each step an event keyed by unit', async () => {
    const hazardId = await newHazard('仓库内违规住人');
    const opened = await openCase(hazardId, brigade);
    expect(opened.__typename).toBe('MutationOpenEnforcementCaseSuccess');
    expect(opened.data).toMatchObject({
      hazardId,
      unitId: warehouse.id,
      status: 'opened',
      basis: BASIS,
      measures: [],
      fineYuan: null,
    });
    const caseId = opened.data?.id as string;
    expect(caseId).toMatch(/^ec_/);

    const noFine = await decideCase(caseId, { measures: ['warning', 'fine'] });
    expect(noFine).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.fineYuan', reason: expect.stringContaining('fine') }],
    });
    const fineWithoutFining = await decideCase(caseId, { measures: ['warning'], fineYuan: 500 });
    expect(fineWithoutFining).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.fineYuan' }] });
    const unknownMeasure = await decideCase(caseId, { measures: ['jail'] });
    expect(unknownMeasure).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.measures[0]' }] });
    expect((await h.models.enforcement.findById(caseId).lean())?.status).toBe('opened');

    const decided = await decideCase(caseId, { measures: ['warning', 'fine'], fineYuan: 5000 });
    expect(decided.data).toMatchObject({ status: 'decided', measures: ['warning', 'fine'], fineYuan: 5000 });
    const decidedTwice = await decideCase(caseId, { measures: ['warning'] });
    expect(decidedTwice.code).toBe('CONFLICT');

    const closed = await closeCase(caseId, '罚款已缴纳，隐患已整改');
    expect(closed.data).toMatchObject({ status: 'closed', outcome: '罚款已缴纳，隐患已整改', fineYuan: 5000 });
    expect(closed.data?.closedAt).toBe(h.clock.now().toISOString());
    expect((await closeCase(caseId, '再次结案')).code).toBe('CONFLICT');

    const events = await caseEvents(caseId, 'closed');
    expect(events.map((e) => `${e.type}:${e.status}`)).toEqual([
      'inspections.enforcement.changed:opened',
      'inspections.enforcement.changed:decided',
      'inspections.enforcement.changed:closed',
    ]);
    expect(events[1]?.data).toMatchObject({ hazardId, unitId: warehouse.id, measures: ['warning', 'fine'], fineYuan: 5000 });
    const keys = new Set(h.events.messages.filter((m) => m.envelope?.subject === caseId).map((m) => m.key));
    expect([...keys]).toEqual([warehouse.id]);

    const listed = await h.gql<{ enforcementCases: Array<{ id: string }> }>(
      `query { enforcementCases(status: "closed") { id } }`,
      {},
      townshipA,
    );
    expect(listed.data?.enforcementCases.map((c) => c.id)).toContain(caseId);
  });

  test('no skipping: a case cannot be closed before it is decided', async () => {
    const hazardId = await newHazard('消防车通道堆放货物');
    const opened = await openCase(hazardId);
    const caseId = opened.data?.id as string;
    const early = await closeCase(caseId, '直接结案');
    expect(early.code).toBe('CONFLICT');
    const doc = await h.models.enforcement.findById(caseId).lean();
    expect(doc?.status).toBe('opened');
    expect(doc?.outcome).toBeUndefined();
  });

  test('only the county and the fire brigade open cases; another township cannot see the hazard', async () => {
    const hazardId = await newHazard('灭火器压力不足');
    const before = await h.models.enforcement.countDocuments({});
    const byTownship = await openCase(hazardId, townshipA);
    expect(byTownship.code).toBe('FORBIDDEN');
    const byGrid = await openCase(hazardId, gridA1);
    expect(byGrid.code).toBe('FORBIDDEN');
    const byOther = await openCase(hazardId, townshipB);
    expect(byOther).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.hazardId' }] });
    const noBasis = await openCase(hazardId, countyAdmin, 'x');
    expect(noBasis).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.basis' }] });
    expect(await h.models.enforcement.countDocuments({})).toBe(before);
  });

  test('a township with open hazards and open cases is not cleared (清零); one with nothing open is', async () => {
    const hazardId = await newHazard('电气线路私拉乱接', restaurant.id);
    await openCase(hazardId, brigade);
    const res = await h.gql<{
      clearToZero: Array<{
        jurisdictionCode: string;
        name: string;
        open: number;
        openEnforcementCases: number;
        cleared: boolean;
      }>;
    }>(`query { clearToZero { jurisdictionCode name open openEnforcementCases cleared } }`, {}, countyAdmin);
    expect(res.errors).toBeUndefined();
    const rows = res.data?.clearToZero ?? [];
    const openCases = await h.models.enforcement.countDocuments({ scope: TOWNSHIP_A, status: { $ne: 'closed' } });
    expect(openCases).toBeGreaterThanOrEqual(2);
    const a = rows.find((r) => r.jurisdictionCode === TOWNSHIP_A);
    expect(a).toMatchObject({ name: '青龙乡', cleared: false, openEnforcementCases: openCases });
    const openHazards = await h.models.hazards.countDocuments({ scope: TOWNSHIP_A, 'state.status': 'open' });
    expect(openHazards).toBe(4);
    expect(a?.open).toBe(openHazards);
    expect(rows.find((r) => r.jurisdictionCode === TOWNSHIP_B)).toMatchObject({
      open: 0,
      openEnforcementCases: 0,
      cleared: true,
    });
    expect(rows[0]).toMatchObject({ cleared: false, openEnforcementCases: openCases });

    const asTownship = await h.gql<{ clearToZero: Array<{ jurisdictionCode: string }> }>(
      `query { clearToZero { jurisdictionCode cleared } }`,
      {},
      townshipA,
    );
    expect(asTownship.data?.clearToZero[0]?.jurisdictionCode).toBe(TOWNSHIP_A);
    expect(asTownship.data?.clearToZero.map((r) => r.jurisdictionCode)).not.toContain(TOWNSHIP_B);
  });
});

const grant = (input: Record<string, unknown>, who = countyAdmin) =>
  mutate<{ id: string; townshipCode: string; measures: string[]; revokedAt: string | null }>(
    'grantEnforcementDelegation',
    `mutation($i: GrantEnforcementDelegationInput!) { grantEnforcementDelegation(input: $i) {
      __typename ... on MutationGrantEnforcementDelegationSuccess { data { id townshipCode measures revokedAt } } ${ERR} } }`,
    {
      i: {
        townshipCode: TOWNSHIP_A,
        measures: ['warning', 'fine'],
        from: h.clock.now().toISOString().slice(0, 10),
        to: inDays(h, 365).slice(0, 10),
        basis: '丰都县人民政府关于赋予乡镇部分县级行政执法权的决定',
        ...input,
      },
    },
    who,
  );

describe('enforcement delegated to a township (委托/赋权执法, task 16)', () => {
  test('a township officer enforces only while the county’s delegation is in force, with the measures it names', async () => {
    const hazardId = await newHazard('安全出口上锁');
    expect((await openCase(hazardId, townshipA)).code).toBe('FORBIDDEN');

    // Only the county grants, to a registered township, and never detention.
    expect((await grant({}, townshipA)).code).toBe('FORBIDDEN');
    expect(await grant({ measures: ['detention'], townshipCode: '500230213201' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.measures[0]', reason: expect.stringContaining('detention is never delegated') }],
    });
    expect((await grant({ townshipCode: '500230213299' })).code).toBe('VALIDATION_FAILED');
    const granted = await grant({});
    expect(granted.data).toMatchObject({ townshipCode: TOWNSHIP_A, measures: ['warning', 'fine'], revokedAt: null });

    const opened = await openCase(hazardId, townshipA);
    expect(opened.__typename).toBe('MutationOpenEnforcementCaseSuccess');
    const caseId = opened.data?.id as string;
    const stored = await h.models.enforcement.findById(caseId).lean();
    expect(stored?.authority).toEqual({ kind: 'delegated', townshipCode: TOWNSHIP_A, delegationIds: [granted.data?.id] });
    // Township B sees nothing of it; the county still can act on it.
    expect((await decideCase(caseId, { measures: ['warning'] }, townshipB)).code).toBe('NOT_FOUND');

    const sealed = await decideCase(caseId, { measures: ['warning', 'seal_up'] }, townshipA);
    expect(sealed).toMatchObject({
      code: 'FORBIDDEN',
      details: [{ path: '$.measures', reason: `not delegated to township ${TOWNSHIP_A}: seal_up` }],
    });
    expect((await decideCase(caseId, { measures: ['fine'], fineYuan: 2000 }, townshipA)).data?.status).toBe('decided');
    expect((await closeCase(caseId, '罚款已缴纳', townshipA)).data?.status).toBe('closed');

    // Revoked: the township can no longer open a case; the county's own power is untouched.
    const revoked = await mutate<{ revokedAt: string | null }>(
      'revokeEnforcementDelegation',
      `mutation($d: ID!) { revokeEnforcementDelegation(delegationId: $d) {
        __typename ... on MutationRevokeEnforcementDelegationSuccess { data { revokedAt } } ${ERR} } }`,
      { d: granted.data?.id },
    );
    expect(revoked.data?.revokedAt).toBe(h.clock.now().toISOString());
    const next = await newHazard('疏散指示标志损坏');
    expect((await openCase(next, townshipA)).code).toBe('FORBIDDEN');
    expect((await openCase(next, countyAdmin)).__typename).toBe('MutationOpenEnforcementCaseSuccess');

    const listed = await h.gql<{ enforcementDelegations: Array<{ id: string; revokedAt: string | null }> }>(
      `query { enforcementDelegations { id revokedAt } }`,
      {},
      townshipA,
    );
    expect(listed.data?.enforcementDelegations).toEqual([{ id: granted.data?.id, revokedAt: h.clock.now().toISOString() }]);
  });

  test('a delegation not yet in force, or for another township, gives no power', async () => {
    const hazardId = await newHazard('消火栓被圈占');
    await grant({ from: inDays(h, 10).slice(0, 10), to: inDays(h, 20).slice(0, 10) });
    await grant({ townshipCode: TOWNSHIP_B });
    expect((await openCase(hazardId, townshipA)).code).toBe('FORBIDDEN');
  });
});

const recordIncident = (input: Record<string, unknown>, who = townshipA) =>
  mutate<Incident>(
    'recordFireIncident',
    `mutation($input: RecordIncidentInput!) { recordFireIncident(input: $input) { __typename ... on MutationRecordFireIncidentSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    {
      input: {
        unitId: restaurant.id,
        occurredAt: '2026-03-01T21:30:00+08:00',
        cause: '厨房油锅起火',
        deaths: 0,
        injuries: 0,
        directLossYuan: 20_000,
        summary: '后厨起火，蔓延至大堂',
        ...input,
      },
    },
    who,
  );
const startInvestigation = (id: string, who = brigade) =>
  mutate<Incident>(
    'startIncidentInvestigation',
    `mutation($id: ID!) { startIncidentInvestigation(incidentId: $id, leadBy: "县消防救援大队 火灾调查组") {
      __typename ... on MutationStartIncidentInvestigationSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    { id },
    who,
  );
const conclude = (id: string, accountability: Array<{ party: string; measure: string }>, who = brigade) =>
  mutate<Incident>(
    'concludeIncidentInvestigation',
    `mutation($id: ID!, $f: String!, $a: [AccountabilityInput!]!) { concludeIncidentInvestigation(incidentId: $id, findings: $f, accountability: $a) {
      __typename ... on MutationConcludeIncidentInvestigationSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    { id, f: '起火原因为后厨油锅过热起火，排油烟管道油垢未清理导致火势蔓延', a: accountability },
    who,
  );
const closeIncident = (id: string, who = countyAdmin) =>
  mutate<Incident>(
    'closeFireIncident',
    `mutation($id: ID!) { closeFireIncident(incidentId: $id) { __typename ... on MutationCloseFireIncidentSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    { id },
    who,
  );

const reportUpward = (id: string, who = townshipA) =>
  mutate<Incident>(
    'reportFireIncidentUpward',
    `mutation($id: ID!) { reportFireIncidentUpward(incidentId: $id, to: "县消防安全委员会办公室") {
      __typename ... on MutationReportFireIncidentUpwardSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    { id },
    who,
  );
const assessRectification = (id: string, who = countyAdmin) =>
  mutate<Incident>(
    'assessIncidentRectification',
    `mutation($id: ID!) { assessIncidentRectification(incidentId: $id, findings: "全乡餐饮场所排油烟管道已完成清洗并建立台账") {
      __typename ... on MutationAssessIncidentRectificationSuccess { data { ${INCIDENT_FIELDS} } } ${ERR} } }`,
    { id },
    who,
  );

describe('fire incidents (事故调查)', () => {
  test('recorded with severity from casualties, investigated, concluded with accountability, closed; each step an event', async () => {
    const rec = await recordIncident({ deaths: 3, injuries: 2 });
    expect(rec.__typename).toBe('MutationRecordFireIncidentSuccess');
    expect(rec.data).toMatchObject({
      unitName: '青龙场镇李记火锅',
      severity: 'large',
      status: 'reported',
      deaths: 3,
      accountability: [],
    });
    expect(rec.data).toMatchObject({ mustInvestigate: true, upwardNoticeRequired: true, upwardNoticeTo: null });
    const id = rec.data?.id as string;
    // 较大以上: 处理信息通报, before anything else.
    expect((await reportUpward(id)).data?.upwardNoticeTo).toBe('县消防安全委员会办公室');
    expect((await reportUpward(id)).code).toBe('CONFLICT');

    const started = await startInvestigation(id);
    expect(started.data).toMatchObject({ status: 'investigating', investigationLead: '县消防救援大队 火灾调查组' });
    const accountability = [
      { party: '李记火锅 经营者李某', measure: '移送公安机关追究刑事责任' },
      { party: '青龙乡安全办', measure: '约谈' },
    ];
    const concluded = await conclude(id, accountability);
    expect(concluded.data).toMatchObject({ status: 'concluded', accountability, findings: expect.stringContaining('油锅') });
    // 整改情况评估 falls due a year after the conclusion.
    const due = Date.parse(concluded.data?.rectificationAssessmentDueBy ?? '');
    expect(Math.round((due - h.clock.now().getTime()) / 86_400_000)).toBeGreaterThanOrEqual(365);
    const assessed = await assessRectification(id);
    expect(assessed.data?.rectificationAssessedAt).toBe(h.clock.now().toISOString());
    expect((await assessRectification(id)).code).toBe('CONFLICT');
    const closed = await closeIncident(id);
    expect(closed.data?.status).toBe('closed');

    const events = await caseEvents(id, 'closed');
    expect(events.map((e) => `${e.type}:${e.status}`)).toEqual([
      'inspections.incident.changed:reported',
      'inspections.incident.changed:reported',
      'inspections.incident.changed:investigating',
      'inspections.incident.changed:concluded',
      'inspections.incident.changed:concluded',
      'inspections.incident.changed:closed',
    ]);
    expect(events[0]?.data).toMatchObject({
      unitId: restaurant.id,
      villageCode: restaurant.villageCode,
      severity: 'large',
      deaths: 3,
      injuries: 2,
    });

    const seenByA = await h.gql<{ fireIncidents: Array<{ id: string }> }>(`query { fireIncidents { id } }`, {}, townshipA);
    expect(seenByA.data?.fireIncidents.map((i) => i.id)).toContain(id);
    const seenByB = await h.gql<{ fireIncidents: Array<{ id: string }> }>(`query { fireIncidents { id } }`, {}, townshipB);
    expect(seenByB.data?.fireIncidents.map((i) => i.id)).not.toContain(id);
  });

  test('severity follows the worst of deaths, serious injuries and loss', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ deaths: 0, injuries: 0, directLossYuan: 5_000 }, 'general'],
      [{ deaths: 0, injuries: 10, directLossYuan: 0 }, 'large'],
      [{ deaths: 10, injuries: 0, directLossYuan: 0 }, 'major'],
      [{ deaths: 0, injuries: 0, directLossYuan: 100_000_000 }, 'especially_major'],
    ];
    for (const [input, severity] of cases) {
      const r = await recordIncident(input);
      expect([input, r.data?.severity]).toEqual([input, severity]);
    }
  });

  test('a general fire with no death closes without an investigation; it is never reported upward', async () => {
    const rec = await recordIncident({});
    expect(rec.data).toMatchObject({ severity: 'general', mustInvestigate: false, upwardNoticeRequired: false });
    expect((await reportUpward(rec.data?.id as string)).code).toBe('CONFLICT');
    expect((await closeIncident(rec.data?.id as string)).data?.status).toBe('closed');
    const influential = await recordIncident({ influential: true });
    expect(influential.data?.mustInvestigate).toBe(true);
    expect((await closeIncident(influential.data?.id as string)).message).toBe(
      'this fire must be investigated before it is closed',
    );
  });

  test('no skipping steps: closing or concluding a reported incident is a CONFLICT and changes nothing', async () => {
    const rec = await recordIncident({ deaths: 1 });
    const id = rec.data?.id as string;
    expect((await closeIncident(id)).code).toBe('CONFLICT');
    expect((await conclude(id, [])).code).toBe('CONFLICT');
    expect((await startInvestigation(id)).data?.status).toBe('investigating');
    expect((await startInvestigation(id)).code).toBe('CONFLICT');
    expect((await closeIncident(id)).code).toBe('CONFLICT');
    const doc = await h.models.incidents.findById(id).lean();
    expect(doc?.status).toBe('investigating');
  });

  test('a fire in the future, bad counts, or a unit elsewhere are refused and store nothing', async () => {
    const before = await h.models.incidents.countDocuments({});
    const future = await recordIncident({ occurredAt: inDays(h, 1) });
    expect(future).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.occurredAt', reason: expect.stringContaining('after now') }],
    });
    const noOffset = await recordIncident({ occurredAt: '2026-03-01 21:30' });
    expect(noOffset).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.occurredAt' }] });
    const negative = await recordIncident({ deaths: -1, summary: '' });
    expect(negative.code).toBe('VALIDATION_FAILED');
    expect(negative.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['$.deaths', '$.summary']));
    const elsewhere = await recordIncident({}, townshipB);
    expect(elsewhere).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.unitId' }] });
    // The warehouse lies in the grid manager's own village: visible, but recording incidents is not their role.
    const byGrid = await recordIncident({ unitId: warehouse.id }, gridA1);
    expect(byGrid.code).toBe('FORBIDDEN');
    expect(await h.models.incidents.countDocuments({})).toBe(before);
  });
});
