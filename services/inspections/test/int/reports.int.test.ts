import { createHash } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { personalDataReadTopics, reportTopic, type PersonalDataRead } from '@firegov/contracts';
import type { CollectedMessage } from '@firegov/testing';
import type { ReportDoc } from '../../src/store/models.ts';
import {
  COUNTY,
  gridA1,
  inDays,
  seedRegistry,
  startHarness,
  TOWNSHIP_A,
  townshipA,
  townshipB,
  unitSnapshot,
  VILLAGE_A1,
  VILLAGE_B1,
  type Harness,
} from '../harness.ts';

// 举报投诉 end to end: the public HTTP API (no account, token only), staff triage over GraphQL, and
// the events, against the real stack.

let h: Harness;
const shop = unitSnapshot({ name: '青龙场镇惠民超市', category: 'supermarket' });
const otherTownshipUnit = unitSnapshot({
  name: '邻乡加油站',
  category: 'supermarket',
  townshipCode: '500230214000',
  villageCode: VILLAGE_B1,
});
const departmentOfficer: Identity = { subject: 'dept-officer', role: 'department_officer', jurisdiction: COUNTY };

const MOBILE = '13812345678';
const DESCRIPTION = '青龙乡场镇惠民超市后门安全出口长期上锁，晚上也锁';

beforeAll(async () => {
  h = await startHarness('insp-reports', { publicRatePerMinute: 1000 });
  await seedRegistry(h, [shop, otherTownshipUnit]);
});
afterAll(async () => h.close());

type ErrorBody = { error: { code: string; message: string; details: Array<{ path: string; reason: string }> } };

function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { service_code: 'blocked_exit', description: DESCRIPTION, lat: 29.88, long: 107.73, ...overrides };
}

async function post(body: unknown, opts: { query?: string; raw?: string; contentType?: string; base?: string } = {}) {
  const res = await fetch(`${opts.base ?? h.server.url}/public/v1/requests${opts.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? 'application/json' },
    body: opts.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, json: json as Record<string, unknown> & ErrorBody };
}

async function submit(body: Record<string, unknown>, query = ''): Promise<{ token: string; id: string }> {
  const { res, json } = await post(body, { query });
  expect(res.status).toBe(201);
  const token = json.token as string;
  const doc = await h.models.reports.findOne({ tokenHash: sha256(token) }).lean<ReportDoc>();
  expect(doc).not.toBeNull();
  return { token, id: (doc as ReportDoc)._id };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const reportCount = () => h.models.reports.countDocuments({});
const getPath = (path: string) => fetch(`${h.server.url}${path}`);

describe('submitting a report (POST /public/v1/requests)', () => {
  test('with coordinates: 201, a token, a Location; the status shows token, category, status and notes and nothing else', async () => {
    const before = await reportCount();
    const { res, json } = await post(validReport({ contact: { name: '王五', phone: MOBILE } }));
    expect(res.status).toBe(201);
    expect(Object.keys(json).sort()).toEqual(['status', 'status_url', 'token']);
    expect(json.token).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(json.status).toBe('received');
    expect(json.status_url).toBe(`/public/v1/requests/${json.token as string}`);
    expect(res.headers.get('location')).toBe(json.status_url);
    expect(await reportCount()).toBe(before + 1);

    const status = await getPath(json.status_url as string);
    expect(status.status).toBe(200);
    const body = (await status.json()) as Record<string, unknown> & { notes: Array<Record<string, unknown>> };
    expect(Object.keys(body).sort()).toEqual(['notes', 'service_code', 'status', 'token']);
    expect(body).toMatchObject({ token: json.token, service_code: 'blocked_exit', status: 'received' });
    expect(body.notes).toHaveLength(1);
    expect(Object.keys(body.notes[0] ?? {}).sort()).toEqual(['at', 'note', 'status']);
    const text = JSON.stringify(body);
    for (const secret of [MOBILE, '王五', DESCRIPTION, 'rp_', 'hz_']) expect(text).not.toContain(secret);
  });

  test('with an address only (anonymous): 201, and the stored report has no contact and no coordinates', async () => {
    const { res, json } = await post({
      service_code: 'ebike_indoor',
      description: '青龙村三组居民楼楼道里每晚有电动车充电',
      address_string: '青龙乡青龙村三组 5 号楼',
      anonymous: true,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/public/v1/requests/${json.token as string}`);
    const doc = await h.models.reports.findOne({ tokenHash: sha256(json.token as string) }).lean<ReportDoc>();
    expect(doc).toMatchObject({
      category: 'ebike_indoor',
      anonymous: true,
      location: { address: '青龙乡青龙村三组 5 号楼' },
      jurisdictionCode: COUNTY,
    });
    expect(doc?.contact).toBeUndefined();
    expect(doc?.location.lat).toBeUndefined();
  });

  test('a lower-case token, or one with O for 0 and I or L for 1, still finds the report', async () => {
    const { token } = await submit(validReport());
    const misread = `r-${token.slice(2).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')}`;
    const lower = await getPath(`/public/v1/requests/${misread}`);
    expect(lower.status).toBe(200);
    expect(((await lower.json()) as { service_code: string }).service_code).toBe('blocked_exit');
  });
});

describe('refused reports store nothing', () => {
  let before: number;
  beforeEach(async () => {
    before = await reportCount();
  });
  afterEach(async () => {
    expect(await reportCount()).toBe(before);
  });

  test('every bad field is named at once', async () => {
    const { res, json } = await post({ service_code: 'noise', description: '有隐患', lat: 29.88, email: 'a@b.cn' });
    expect(res.status).toBe(400);
    expect(json.error.code).toBe('VALIDATION_FAILED');
    const paths = json.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['$.service_code', '$.description']));
    // An unknown key is reported at the object it sits in, naming the key.
    expect(json.error.details).toEqual(expect.arrayContaining([{ path: '$', reason: expect.stringContaining('"email"') }]));
    for (const d of json.error.details) expect(typeof d.reason).toBe('string');
  });

  test('a cross-field rule (lat without long) is named when the fields themselves are fine', async () => {
    const { res, json } = await post(validReport({ long: undefined }));
    expect(res.status).toBe(400);
    expect(json.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.long', reason: 'is required when lat is given' }],
    });
  });

  // zod skips object-level rules once a field has failed unless told otherwise (ALWAYS_ON_OBJECTS).
  test('a cross-field rule is named alongside field errors', async () => {
    const { json } = await post({ service_code: 'noise', description: '有隐患', lat: 29.88 });
    expect(json.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['$.service_code', '$.description', '$.long']));
  });

  test('an anonymous report with a contact is refused at $.contact; a bad phone at $.contact.phone', async () => {
    const anon = await post(validReport({ anonymous: true, contact: { phone: MOBILE } }));
    expect(anon.res.status).toBe(400);
    expect(anon.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.contact' }] });
    const phone = await post(validReport({ contact: { name: '王五', phone: '12345678901' } }));
    expect(phone.res.status).toBe(400);
    expect(phone.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.contact.phone' }] });
  });

  test('a body that is not JSON is 400 MALFORMED_REQUEST with a JSON error', async () => {
    const { res, json } = await post(undefined, { raw: '{"service_code": "blocked_exit", "description": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(json.error.code).toBe('MALFORMED_REQUEST');
    expect(json.error.details[0]?.path).toBe('$');
  });

  test('a body over 1 MB is 413', async () => {
    const { res, json } = await post(validReport({ description: '隐'.repeat(400_000) }));
    expect(res.status).toBe(413);
    expect(json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a text/plain body is refused with a JSON error', async () => {
    const { res, json } = await post(undefined, { raw: JSON.stringify(validReport()), contentType: 'text/plain' });
    expect(res.status).toBe(400);
    expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$' }] });
  });

  test('jurisdiction_id: not 12 digits, given twice, outside the county, or unknown → 400 at $.jurisdiction_id', async () => {
    for (const query of [
      '?jurisdiction_id=50023021',
      '?jurisdiction_id=abcdefghijkl',
      `?jurisdiction_id=${VILLAGE_A1}&jurisdiction_id=${VILLAGE_A1}`,
      '?jurisdiction_id=110101001000',
      '?jurisdiction_id=500230999000',
    ]) {
      const { res, json } = await post(validReport(), { query });
      expect([query, res.status]).toEqual([query, 400]);
      expect(json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.jurisdiction_id' }] });
    }
  });
});

describe('following a report (GET /public/v1/requests/:token)', () => {
  test('unknown and garbage tokens are 404 with a JSON error, never a 5xx', async () => {
    const tokens = [
      'R-0000000000000000000000000',
      'R-00000000000000000000000',
      'R-000000000000000000000000',
      'nope',
      encodeURIComponent("R-' OR '1'='1"),
      encodeURIComponent('../../etc/passwd'),
      encodeURIComponent('{"$ne":null}'),
      encodeURIComponent('R-0000000000000000000000\u0000'),
      `R-${'A'.repeat(4000)}`,
    ];
    for (const t of tokens) {
      const res = await getPath(`/public/v1/requests/${t}`);
      expect([t.slice(0, 40), res.status]).toEqual([t.slice(0, 40), 404]);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('NOT_FOUND');
    }
  });

  // The router throws URIError for a bad %-escape; the kit's error handler maps it to MALFORMED_REQUEST.
  test('a path that is not valid percent-encoding is a 4xx, not a 5xx', async () => {
    const res = await getPath('/public/v1/requests/R-%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('the token is stored only as a hash', () => {
  test('the stored report (with its outbox) holds the token’s SHA-256, never the token', async () => {
    const { token, id } = await submit(validReport({ contact: { phone: MOBILE } }));
    const raw = await h.models.reports.collection.findOne({ _id: id } as never);
    expect(raw?.tokenHash).toBe(sha256(token));
    const text = JSON.stringify(raw);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(2));
    expect(text).not.toContain(token.toLowerCase().slice(2));
  });
});

describe('the public catalogue and contract', () => {
  test('GET /public/v1/services lists every category, Open311 shaped', async () => {
    const res = await getPath('/public/v1/services');
    expect(res.status).toBe(200);
    const services = (await res.json()) as Array<Record<string, unknown>>;
    expect(services.map((s) => s.service_code)).toEqual([
      'blocked_exit',
      'fire_lane_occupied',
      'ebike_indoor',
      'illegal_residence',
      'facilities_broken',
      'illegal_welding',
      'dangerous_goods',
      'other',
    ]);
    for (const s of services) {
      expect(s).toMatchObject({
        service_name: expect.any(String),
        description: expect.any(String),
        metadata: false,
        type: 'realtime',
      });
    }
  });

  test('GET /public/v1/openapi.json is OpenAPI 3.1.0 with the three paths', async () => {
    const res = await getPath('/public/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; servers: Array<{ url: string }> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/public/v1/requests', '/public/v1/requests/{token}', '/public/v1/services']);
    expect(doc.servers[0]?.url).toBe(h.server.url);
  });
});

const REPORT_FIELDS = `id status hazardId closeReason contactName contactPhone jurisdictionCode
  reward { eligible tier reason } notes { status note }`;

const TRIAGE = `mutation($id: ID!, $hazard: RecordHazardInput, $reason: String) {
  triageCitizenReport(reportId: $id, hazard: $hazard, closeReason: $reason) {
    __typename
    ... on MutationTriageCitizenReportSuccess { data { ${REPORT_FIELDS} } }
    ... on MutationError { code message details { path reason } }
  }
}`;

type Report = {
  id: string;
  status: string;
  hazardId: string | null;
  closeReason: string | null;
  contactName: string | null;
  contactPhone: string | null;
  reward: { eligible: boolean; tier: string | null; reason: string } | null;
  notes: Array<{ status: string; note: string }>;
};
type Result<T> = { __typename: string; data?: T; code?: string; details?: Array<{ path: string; reason: string }> };

async function triage(id: string, who: Identity, args: { hazard?: Record<string, unknown>; reason?: string }) {
  const res = await h.gql<{ triageCitizenReport: Result<Report> }>(TRIAGE, { id, ...args }, who);
  expect(res.errors).toBeUndefined();
  return res.data?.triageCitizenReport as Result<Report>;
}

const hazardFor = (overrides: Record<string, unknown> = {}) => ({
  unitId: shop.id,
  title: '安全出口上锁',
  description: '经现场核实，后门安全出口营业期间上锁',
  factorCodes: ['D-6'],
  ...overrides,
});

describe('triage (GraphQL)', () => {
  test('to a hazard: the report is triaged with a reward tier, the hazard points back to it, the reporter learns it without ids', async () => {
    const { token, id } = await submit(
      validReport({ contact: { name: '王五', phone: MOBILE } }),
      `?jurisdiction_id=${VILLAGE_A1}`,
    );
    const hazardsBefore = await h.models.hazards.countDocuments({});
    const r = await triage(id, townshipA, { hazard: hazardFor() });
    expect(r.__typename).toBe('MutationTriageCitizenReportSuccess');
    expect(r.data).toMatchObject({ id, status: 'triaged_hazard', reward: { eligible: true, tier: 'major' } });
    const hazardId = r.data?.hazardId as string;
    expect(hazardId).toMatch(/^hz_/);
    expect(await h.models.hazards.countDocuments({})).toBe(hazardsBefore + 1);
    const hazard = await h.models.hazards.findById(hazardId).lean();
    expect(hazard).toMatchObject({ source: 'citizen_report', sourceRef: { kind: 'citizen_report', id }, unitId: shop.id });
    expect(hazard?.state.grade).toBe('major');

    const status = await getPath(`/public/v1/requests/${token}`);
    const body = (await status.json()) as { status: string; notes: Array<{ status: string; note: string }> };
    expect(Object.keys(body).sort()).toEqual(['notes', 'service_code', 'status', 'token']);
    expect(body.status).toBe('triaged_hazard');
    expect(body.notes.map((n) => n.status)).toEqual(['received', 'triaged_hazard']);
    expect(body.notes[1]?.note).toContain('已确认为火灾隐患');
    const text = JSON.stringify(body);
    expect(text).not.toContain(hazardId);
    expect(text).not.toContain(id);
    expect(text).not.toContain(townshipA.subject);

    const again = await triage(id, townshipA, { reason: '重复分拣测试' });
    expect(again.code).toBe('CONFLICT');
    expect(await h.models.hazards.countDocuments({})).toBe(hazardsBefore + 1);
  });

  test('the reporter follows the hazard through rectification to closure, then sees the reward paid', async () => {
    const { token, id } = await submit(validReport(), `?jurisdiction_id=${VILLAGE_A1}`);
    const follow = async () =>
      (await (await getPath(`/public/v1/requests/${token}`)).json()) as {
        status: string;
        notes: Array<{ status: string; note: string }>;
      };
    const PAY = `mutation($id: ID!, $y: Int!) { recordReportRewardPaid(reportId: $id, amountYuan: $y) {
      __typename ... on MutationRecordReportRewardPaidSuccess { data { rewardPaidYuan } } ... on MutationError { code message } } }`;
    const pay = async (yuan: number) =>
      (await h.gql<{ recordReportRewardPaid: Result<{ rewardPaidYuan: number }> }>(PAY, { id, y: yuan }, townshipA)).data
        ?.recordReportRewardPaid;
    // Nothing to pay before the report is confirmed as a hazard.
    expect((await pay(200))?.code).toBe('CONFLICT');

    const hazardId = (await triage(id, townshipA, { hazard: hazardFor({ title: '疏散通道堆放杂物' }) })).data?.hazardId as string;
    const deadline = inDays(h, 7);
    await h.services.hazards.command(townshipA, hazardId, { kind: 'issue_order', deadline, responsibleParty: '超市经营者' });
    let seen = await follow();
    expect(seen.status).toBe('rectifying');
    expect(seen.notes.at(-1)?.note).toBe(`已责令限期整改，整改期限至 ${deadline.slice(0, 10)}。`);

    await h.services.hazards.command(townshipA, hazardId, { kind: 'report_rectified', notes: '已清理' });
    expect((await follow()).status).toBe('awaiting_reinspection');
    await h.services.hazards.command(townshipA, hazardId, { kind: 'reinspect', passed: true });
    seen = await follow();
    expect(seen.status).toBe('closed');
    expect(seen.notes.map((n) => n.status)).toEqual([
      'received',
      'triaged_hazard',
      'rectifying',
      'awaiting_reinspection',
      'closed',
    ]);
    expect(seen.notes.at(-1)?.note).toBe('隐患已整改完毕并经复查销号，本举报已办结。');
    expect(JSON.stringify(seen)).not.toContain('超市经营者');

    expect((await pay(0))?.code).toBe('VALIDATION_FAILED');
    expect((await pay(500))?.data?.rewardPaidYuan).toBe(500);
    expect((await pay(500))?.code).toBe('CONFLICT');
    expect((await follow()).notes.some((n) => n.note === '举报奖励 500 元已发放，感谢您的举报。')).toBe(true);
  });

  test('closed with a reason: not eligible for a reward; the officer’s name is redacted from the public note', async () => {
    const { token, id } = await submit(validReport({ service_code: 'other' }), `?jurisdiction_id=${VILLAGE_A1}`);
    const r = await triage(id, townshipA, { reason: `现场核实，出口已开启，无隐患（${townshipA.subject}）` });
    expect(r.data).toMatchObject({ status: 'closed', hazardId: null, reward: { eligible: false, tier: null } });
    expect(r.data?.closeReason).toContain(townshipA.subject);
    const body = (await (await getPath(`/public/v1/requests/${token}`)).json()) as {
      status: string;
      notes: Array<{ note: string }>;
    };
    expect(body.status).toBe('closed');
    expect(body.notes.at(-1)?.note).toContain('出口已开启');
    expect(body.notes.at(-1)?.note).not.toContain(townshipA.subject);
  });

  test('neither or both of hazard and closeReason, or a hazard at a unit outside the township, is refused and leaves the report received', async () => {
    const { id } = await submit(validReport(), `?jurisdiction_id=${VILLAGE_A1}`);
    const hazardsBefore = await h.models.hazards.countDocuments({});
    const neither = await triage(id, townshipA, {});
    expect(neither).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.hazard' }] });
    const both = await triage(id, townshipA, { hazard: hazardFor(), reason: '两者都给' });
    expect(both.code).toBe('VALIDATION_FAILED');
    const elsewhere = await triage(id, townshipA, { hazard: hazardFor({ unitId: otherTownshipUnit.id }) });
    expect(elsewhere).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.hazard.unitId' }] });
    const badTitle = await triage(id, townshipA, { hazard: hazardFor({ title: 'x' }) });
    expect(badTitle).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.hazard.title' }] });
    expect(await h.models.hazards.countDocuments({})).toBe(hazardsBefore);
    expect((await h.models.reports.findById(id).lean())?.status).toBe('received');
  });

  test('another township neither sees nor triages the report; a grid manager may see but not triage', async () => {
    const { id } = await submit(validReport(), `?jurisdiction_id=${VILLAGE_A1}`);
    const seenByB = await h.gql<{ citizenReport: unknown; citizenReports: Array<{ id: string }> }>(
      `query($id: ID!) { citizenReport(id: $id) { id } citizenReports { id } }`,
      { id },
      townshipB,
    );
    expect(seenByB.errors).toBeUndefined();
    expect(seenByB.data?.citizenReport).toBeNull();
    expect(seenByB.data?.citizenReports.map((r) => r.id)).not.toContain(id);
    const byB = await triage(id, townshipB, { reason: '不是我们乡的' });
    expect(byB.code).toBe('NOT_FOUND');

    const listA = await h.gql<{ citizenReports: Array<{ id: string }> }>(
      `query { citizenReports(status: "received") { id } }`,
      {},
      townshipA,
    );
    expect(listA.data?.citizenReports.map((r) => r.id)).toContain(id);
    const listOtherTownship = await h.gql(`query { citizenReports(jurisdictionCode: "${TOWNSHIP_A}") { id } }`, {}, townshipB);
    expect(listOtherTownship.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const byGrid = await triage(id, gridA1, { reason: '网格员想关闭' });
    expect(byGrid.code).toBe('FORBIDDEN');
    expect((await h.models.reports.findById(id).lean())?.status).toBe('received');
  });

  test('the contact is masked for a department officer and shown in full to the township officer', async () => {
    const { id } = await submit(validReport({ contact: { name: '王小五', phone: MOBILE } }), `?jurisdiction_id=${VILLAGE_A1}`);
    const q = `query($id: ID!) { citizenReport(id: $id) { id contactName contactPhone description } }`;
    const dept = await h.gql<{ citizenReport: { contactName: string; contactPhone: string } }>(q, { id }, departmentOfficer);
    expect(dept.errors).toBeUndefined();
    expect(dept.data?.citizenReport.contactPhone).not.toBe(MOBILE);
    expect(dept.data?.citizenReport.contactPhone).toMatch(/^138\*+5678$/);
    expect(dept.data?.citizenReport.contactName).not.toBe('王小五');
    expect(dept.data?.citizenReport.contactName.startsWith('王')).toBe(true);
    const township = await h.gql<{ citizenReport: { contactName: string; contactPhone: string } }>(q, { id }, townshipA);
    expect(township.data?.citizenReport).toMatchObject({ contactName: '王小五', contactPhone: MOBILE });

    // The full contact was shown: that answer (and only it) is on the personal data audit topic.
    const audited = (m: CollectedMessage) =>
      m.topic === h.topic(personalDataReadTopics.inspections.name) &&
      (m.envelope?.data as PersonalDataRead | undefined)?.operation.rootFields.some((f) => f.args.id === id) === true;
    const [read] = await h.events.waitFor(audited);
    expect(read?.envelope?.data).toMatchObject({
      service: 'inspections',
      reader: { subject: townshipA.subject, role: 'township_officer' },
      revealed: [
        { field: 'CitizenReport.contactName', count: 1 },
        { field: 'CitizenReport.contactPhone', count: 1 },
      ],
    });
    expect(h.events.messages.filter(audited)).toHaveLength(1);
  });
});

describe('events on the reports topic', () => {
  test('received and triaged are published, keyed by report, and carry no contact, phone or description', async () => {
    const description = '青龙村二组仓库里有人住，还放了好几桶汽油，很危险';
    const { id } = await submit(
      validReport({ service_code: 'illegal_residence', description, contact: { name: '赵大', phone: '13998765432' } }),
      `?jurisdiction_id=${VILLAGE_A1}`,
    );
    const r = await triage(id, townshipA, { hazard: hazardFor({ factorCodes: [] }) });
    expect(r.data?.reward).toMatchObject({ eligible: true, tier: 'general' });

    const topic = h.topic(reportTopic.name);
    const ofReport = (m: (typeof h.events.messages)[number]) =>
      m.topic === topic && (m.envelope?.data as { id?: string } | undefined)?.id === id;
    await h.events.waitFor((m) => ofReport(m) && m.envelope?.type === 'inspections.report.triaged');
    const byId = new Map(h.events.messages.filter(ofReport).map((m) => [m.envelope?.id, m]));
    const events = [...byId.values()];
    expect(events.map((m) => m.envelope?.type)).toEqual(['inspections.report.received', 'inspections.report.triaged']);
    expect(events.every((m) => m.key === id)).toBe(true);
    expect(events[0]?.envelope?.data).toMatchObject({ id, category: 'illegal_residence', jurisdictionCode: VILLAGE_A1 });
    expect(events[1]?.envelope?.data).toMatchObject({
      id,
      outcome: 'triaged_hazard',
      hazardId: r.data?.hazardId,
      rewardEligible: true,
    });
    for (const m of events) {
      const text = JSON.stringify(m.envelope) + (m.raw.value?.toString() ?? '');
      for (const secret of ['13998765432', '赵大', description, 'contact', 'clientKey', 'tokenHash'])
        expect(text).not.toContain(secret);
    }
  });
});

describe('rate limit', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness('insp-reports-rl', { publicRatePerMinute: 5 });
  });
  afterAll(async () => limited.close());

  test('the sixth submission in a minute from one client is 429 with Retry-After; only five are stored', async () => {
    // The window is a fixed minute: start well inside one, so all six requests fall in the same window.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { res } = await post(validReport({ description: `${DESCRIPTION}（第${i + 1}次）` }), { base: limited.server.url });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const { res, json } = await post(validReport(), { base: limited.server.url });
    expect(res.status).toBe(429);
    expect(json.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.models.reports.countDocuments({})).toBe(5);
    // The catalogue has its own, larger budget: reading it still works.
    expect((await fetch(`${limited.server.url}/public/v1/services`)).status).toBe(200);
  });
});
