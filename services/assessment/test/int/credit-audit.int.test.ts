import {
  countyAdmin,
  seedUnits,
  setupAgency,
  startHarness,
  submission,
  tokenFor,
  townshipA,
  unitSnapshot,
  type Harness,
} from '../harness.ts';

// Audit sampling (抽查) at a share of 1, so every submission is drawn; and credit (信用管理) from
// audits and complaints, down to the automatic suspension that blocks pushes.

let h: Harness;
const unit = unitSnapshot();
let a: Awaited<ReturnType<typeof setupAgency>>;
let token: string;

beforeAll(async () => {
  h = await startHarness('assess-credit', { auditShare: 1 });
  await seedUnits(h, [unit]);
  a = await setupAgency(h, { creditCode: '91110108551385082Q', jurisdictionCodes: ['500230213000'] });
  token = await tokenFor(h, a.clientId, a.clientSecret);
});
afterAll(async () => h.close());

let n = 0;
const push = (overrides: Record<string, unknown> = {}) =>
  h.http('POST', '/v1/assessments', { token, key: `credit-key-${(n += 1)}`, body: submission(unit.id, a.licenceNo, overrides) });

test('a sampled submission waits in the audit queue; the agency is not told; a re-inspection that finds a missed major hazard is a mismatch and costs credit', async () => {
  const res = await push();
  expect(res.status).toBe(201);
  expect(JSON.stringify(res.json)).not.toMatch(/sampl/i);
  const queue = await h.gql<{ auditQueue: Array<{ id: string; sampledForAudit: boolean }> }>(
    `{ auditQueue { id sampledForAudit } }`,
    {},
    townshipA,
  );
  expect(queue.data?.auditQueue.map((x) => x.id)).toContain(res.json.id);
  const asAgency = await h.gql<{ assessment: { sampledForAudit: boolean | null } }>(
    `query($id: ID!) { assessment(id: $id) { sampledForAudit } }`,
    { id: res.json.id },
    { subject: 'x', role: 'agency', jurisdiction: '500230000000', agencyId: a.agencyId },
  );
  expect(asAgency.data?.assessment.sampledForAudit).toBeNull();

  const audit = await h.gql<{
    recordAssessmentAudit: { __typename: string; data?: { audit: { outcome: string; explanation: string } } };
  }>(
    `mutation($id: ID!, $f: [AuditFindingInput!]!) { recordAssessmentAudit(assessmentId: $id, findings: $f) {
      __typename ... on MutationRecordAssessmentAuditSuccess { data { audit { outcome explanation } } } } }`,
    {
      id: res.json.id,
      f: [
        { category: 'alarm', severity: 'major' },
        { category: 'evacuation', severity: 'major' },
      ],
    },
    townshipA,
  );
  expect(audit.data?.recordAssessmentAudit.data?.audit.outcome).toBe('mismatch');
  const again = await h.gql<{ recordAssessmentAudit: { __typename: string; code?: string } }>(
    `mutation($id: ID!) { recordAssessmentAudit(assessmentId: $id, findings: []) { __typename ... on MutationError { code } } }`,
    { id: res.json.id },
    townshipA,
  );
  expect(again.data?.recordAssessmentAudit.code).toBe('CONFLICT');
  const after = await h.gql<{ auditQueue: Array<{ id: string }> }>(`{ auditQueue { id } }`, {}, townshipA);
  expect(after.data?.auditQueue.map((x) => x.id)).not.toContain(res.json.id);
  const agency = await h.gql<{ agency: { credit: { score: number; factors: Array<{ kind: string; points: number }> } } }>(
    `query($id: ID!) { agency(id: $id) { credit { score factors { kind points } } } }`,
    { id: a.agencyId },
    countyAdmin,
  );
  expect(agency.data?.agency.credit.score).toBe(90);
  expect(agency.data?.agency.credit.factors).toEqual(expect.arrayContaining([{ kind: 'audit_mismatch', points: -10 }]));
});

test('upheld complaints push the score below 60: the agency is suspended automatically and its pushes are refused', async () => {
  for (let i = 0; i < 7; i += 1)
    await h.services.agencies.recordComplaint(countyAdmin, a.agencyId, true, `投诉${i}：报告与现场不符`);
  const agency = await h.models.agencies.findById(a.agencyId).lean();
  expect(agency?.status).toBe('suspended');
  expect(agency?.statusReason).toMatch(/低于 60/);
  const res = await push({ score: 80, grade: 'B' });
  expect(res.status).toBe(403);
  expect(res.json.error.message).toMatch(/suspended/);
});
