/* eslint-disable @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON the tests look into */
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyChain, verifyReceipt, type SignedReceipt } from '../../src/domain/receipts.ts';
import {
  COUNTY,
  countyAdmin,
  seedUnits,
  setupAgency,
  startHarness,
  submission,
  tokenFor,
  unitSnapshot,
  type Harness,
} from '../harness.ts';

let h: Harness;
const unitA = unitSnapshot({ creditCode: '91440300708461136T' });
const unitB = unitSnapshot();
const unitOutside = unitSnapshot({ townshipCode: '500230214000', villageCode: '500230214201' });
let a: Awaited<ReturnType<typeof setupAgency>>;
let b: Awaited<ReturnType<typeof setupAgency>>;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  h = await startHarness('assess-push');
  await seedUnits(h, [unitA, unitB, unitOutside]);
  a = await setupAgency(h, { creditCode: '91110000802100433B', jurisdictionCodes: ['500230213000'] });
  b = await setupAgency(h, { creditCode: '91330100716105852F', name: '另一家评估机构', unitIds: [unitB.id] });
  tokenA = await tokenFor(h, a.clientId, a.clientSecret);
  tokenB = await tokenFor(h, b.clientId, b.clientSecret);
});
afterAll(async () => h.close());

const count = () => h.models.assessments.countDocuments({});
let keySeq = 0;
const newKey = () => `key-${Date.now().toString(36)}-${(keySeq += 1)}`;
const push = (token: string, body: unknown, key: string | undefined = newKey()) =>
  h.http('POST', '/v1/assessments', { token, body, ...(key ? { key } : {}) });

describe('submitting', () => {
  test('an accepted submission is stored, announced with its findings, and gets a signed receipt that verifies', async () => {
    const res = await push(tokenA, submission(unitA.id, a.licenceNo));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ version: 1, status: 'active', unitId: unitA.id });
    const receipt = res.json.receipt as SignedReceipt;
    const pem = await h.http('GET', '/v1/receipt-key');
    expect(verifyReceipt(receipt, createPublicKey(pem.json as string))).toBe(true);
    expect(verifyReceipt({ ...receipt, bodyHash: '0'.repeat(64) }, createPublicKey(pem.json as string))).toBe(false);
    const [event] = await h.events.waitFor((m) => m.envelope?.subject === res.json.id);
    expect(event?.envelope?.type).toBe('assessment.assessment.submitted');
    expect((event?.envelope?.data as { findings: unknown[] }).findings).toHaveLength(2);
    expect(event?.key).toBe(unitA.id);
  });

  test('a unit named by its credit code is found', async () => {
    const res = await push(tokenA, submission('', a.licenceNo, { unit: { creditCode: '91440300708461136T' } }));
    expect(res.status).toBe(201);
    expect(res.json.unitId).toBe(unitA.id);
  });

  test('the same key and body return the original response; the same key with another body is 409; nothing is stored twice', async () => {
    const key = newKey();
    const body = submission(unitA.id, a.licenceNo, { score: 88, grade: 'A' });
    const first = await push(tokenA, body, key);
    const before = await count();
    const again = await push(tokenA, body, key);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await push(tokenA, { ...body, score: 90 }, key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('CONFLICT');
    expect(await count()).toBe(before);
  });

  test('twenty concurrent duplicates store exactly one and all get the same answer', async () => {
    const key = newKey();
    const body = submission(unitA.id, a.licenceNo, { score: 61, grade: 'C' });
    const before = await count();
    const results = await Promise.all(Array.from({ length: 20 }, () => push(tokenA, body, key)));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => JSON.stringify(r.json))).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  test('every bad field is named with its path, nothing is stored, and the rejection counts once against the agency’s credit', async () => {
    const before = await count();
    const key = newKey();
    const bad = {
      ...submission(unitA.id, a.licenceNo),
      score: 120,
      grade: 'Z',
      assessedOn: '2026-02-30',
      findings: [{ id: 'f1', category: 'nonsense', severity: 'major', description: 'x', location: '', evidence: [] }],
      extra: true,
    };
    const res = await push(tokenA, bad, key);
    expect(res.status).toBe(400);
    const paths = (res.json.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.score',
        '$.grade',
        '$.assessedOn',
        '$.findings[0].category',
        '$.findings[0].description',
        '$.findings[0].location',
      ]),
    );
    await push(tokenA, bad, key);
    expect(await count()).toBe(before);
    const agency = await h.models.agencies.findById(a.agencyId).lean();
    expect(agency?.credit.filter((e) => e.kind === 'rejected_submission' && e.ref === `key:${key}`)).toHaveLength(1);
  });

  test('a corrupt compressed body is 400 and a body over 256 kB is 413, never a 5xx', async () => {
    const corrupt = await h.http('POST', '/v1/assessments', {
      token: tokenA,
      key: newKey(),
      body: 'not gzip at all',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.json.error.code).toBe('MALFORMED_REQUEST');
    const huge = submission(unitA.id, a.licenceNo, {}, 200);
    for (const f of huge.findings) f.description = '很长的描述'.repeat(300);
    const tooLarge = await push(tokenA, huge);
    expect(tooLarge.status).toBe(413);
  });

  test('an Idempotency-Key is required', async () => {
    const res = await h.http('POST', '/v1/assessments', { token: tokenA, body: submission(unitA.id, a.licenceNo) });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe('header:Idempotency-Key');
  });
});

describe('authorization', () => {
  test('no contract for the unit, a date outside the contract, another agency’s engineer, an expired licence: 403 with the reason, nothing stored', async () => {
    const before = await count();
    const outside = await push(tokenA, submission(unitOutside.id, a.licenceNo));
    expect(outside.status).toBe(403);
    expect(outside.json.error.message).toMatch(/no contract covers/);
    const expired = await push(tokenA, submission(unitA.id, a.licenceNo, { assessedOn: '2025-12-20' }));
    expect(expired.status).toBe(403);
    expect(expired.json.error.message).toMatch(/in force on 2025-12-20/);
    const wrongEngineer = await push(tokenA, submission(unitA.id, b.licenceNo));
    expect(wrongEngineer.status).toBe(403);
    expect(wrongEngineer.json.error.message).toMatch(/not registered with this agency/);
    await h.services.agencies.registerEngineer(countyAdmin, a.agencyId, {
      name: '过期工程师',
      licenceNo: 'OLD-LICENCE-1',
      validFrom: '2020-01-01',
      validUntil: '2026-03-01',
    });
    const lapsed = await push(tokenA, submission(unitA.id, 'OLD-LICENCE-1'));
    expect(lapsed.status).toBe(403);
    expect(lapsed.json.error.message).toMatch(/not valid on 2026-06-05/);
    expect(await count()).toBe(before);
  });

  test('no agency can read or amend another agency’s assessment', async () => {
    const own = await push(tokenA, submission(unitA.id, a.licenceNo, { score: 75, grade: 'B' }));
    const read = await h.http('GET', `/v1/assessments/${own.json.id}`, { token: tokenB });
    expect(read.status).toBe(404);
    const amend = await h.http('POST', `/v1/assessments/${own.json.id}/amendments`, {
      token: tokenB,
      key: newKey(),
      body: { ...submission(unitA.id, b.licenceNo), unit: undefined, reason: '篡改他人' },
    });
    expect(amend.status).toBe(404);
    const list = await h.http('GET', '/v1/assessments', { token: tokenB });
    expect((list.json.items as Array<{ id: string }>).some((i) => i.id === own.json.id)).toBe(false);
  });

  test('a suspended agency can neither push nor get a token; reactivated, it can again', async () => {
    await h.services.agencies.setStatus(countyAdmin, b.agencyId, { status: 'suspended', reason: '信用分低于60' });
    const res = await push(tokenB, submission(unitB.id, b.licenceNo));
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/suspended/);
    const token = await h.http('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${encodeURIComponent(b.clientId)}&client_secret=${encodeURIComponent(b.clientSecret)}`,
    });
    expect(token.status).toBe(400);
    expect(token.json.error).toBe('unauthorized_client');
    await h.services.agencies.setStatus(countyAdmin, b.agencyId, { status: 'active', reason: '整改完成' });
    expect((await push(tokenB, submission(unitB.id, b.licenceNo))).status).toBe(201);
  });
});

describe('credentials', () => {
  test('a wrong secret, an unknown client and a tampered token are refused', async () => {
    const wrong = await h.http('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${encodeURIComponent(a.clientId)}&client_secret=fgs_wrong`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const unknown = await h.http('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=ag_nope.x&client_secret=fgs_x',
    });
    expect(unknown.status).toBe(401);
    const parts = tokenA.split('.');
    const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ agency: b.agencyId, sub: a.clientId })).toString('base64url')}.${parts[2]}`;
    const res = await push(tampered, submission(unitA.id, a.licenceNo));
    expect(res.status).toBe(401);
    expect((await push('', submission(unitA.id, a.licenceNo))).status).toBe(401);
  });

  test('secrets are stored only as hashes', async () => {
    const doc = await h.models.agencies.findById(a.agencyId).lean();
    expect(JSON.stringify(doc)).not.toContain(a.clientSecret);
    expect(doc?.clients[0]?.secrets[0]?.hash).toMatch(/^scrypt\$/);
  });

  test('rotation keeps the old secret working through the overlap window only; revocation stops the client’s tokens at once', async () => {
    const rotated = await h.services.agencies.rotateSecret(countyAdmin, a.clientId, 2);
    expect(await tokenFor(h, a.clientId, a.clientSecret)).toBeTruthy();
    expect(await tokenFor(h, a.clientId, rotated.clientSecret)).toBeTruthy();
    h.clock.advanceHours(3);
    const old = await h.http('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${encodeURIComponent(a.clientId)}&client_secret=${encodeURIComponent(a.clientSecret)}`,
    });
    expect(old.status).toBe(401);
    const fresh = await tokenFor(h, a.clientId, rotated.clientSecret);
    expect((await push(fresh, submission(unitA.id, a.licenceNo, { score: 65, grade: 'C' }))).status).toBe(201);
    await h.services.agencies.revokeClient(countyAdmin, a.clientId);
    expect((await push(fresh, submission(unitA.id, a.licenceNo))).status).toBe(401);
    // Later tests of this file use a new client.
    const again = await h.services.agencies.createClient(countyAdmin, a.agencyId, 'replacement');
    tokenA = await tokenFor(h, again.clientId, again.clientSecret);
  });
});

describe('versions, withdrawal and receipts', () => {
  test('an amendment is a new version chained to the old receipt; history is kept; a withdrawn assessment takes no amendment', async () => {
    const first = await push(tokenA, submission(unitA.id, a.licenceNo, { score: 58, grade: 'D' }));
    const id = first.json.id as string;
    const { unit: _u, ...rest } = submission(unitA.id, a.licenceNo, { score: 70, grade: 'B' });
    const amended = await h.http('POST', `/v1/assessments/${id}/amendments`, {
      token: tokenA,
      key: newKey(),
      body: { ...rest, reason: '复核后更正评分' },
    });
    expect(amended.status).toBe(201);
    expect(amended.json.version).toBe(2);
    const full = await h.http('GET', `/v1/assessments/${id}`, { token: tokenA });
    expect(full.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(full.json.current.score).toBe(70);
    const receipts = full.json.versions.map((v: { receipt: SignedReceipt }) => v.receipt) as SignedReceipt[];
    const pem = (await h.http('GET', '/v1/receipt-key')).json as string;
    expect(verifyChain(receipts, createPublicKey(pem))).toEqual({ ok: true });
    // Someone rewrites version 1 in the store: the chain no longer verifies.
    const forged = [{ ...receipts[0]!, bodyHash: 'f'.repeat(64) }, receipts[1]!];
    expect(verifyChain(forged, createPublicKey(pem)).ok).toBe(false);
    const [amendedEvent] = await h.events.waitFor(
      (m) => m.envelope?.subject === id && m.envelope.type === 'assessment.assessment.amended',
    );
    expect((amendedEvent?.envelope?.data as { supersedesVersion: number }).supersedesVersion).toBe(1);

    const withdrawn = await h.http('POST', `/v1/assessments/${id}/withdrawal`, { token: tokenA, body: { reason: '委托方撤回' } });
    expect(withdrawn.status).toBe(200);
    const twice = await h.http('POST', `/v1/assessments/${id}/withdrawal`, { token: tokenA, body: { reason: '委托方撤回' } });
    expect(twice.status).toBe(200);
    const late = await h.http('POST', `/v1/assessments/${id}/amendments`, {
      token: tokenA,
      key: newKey(),
      body: { ...rest, score: 71, reason: '再次更正' },
    });
    expect(late.status).toBe(409);
    await h.events.waitFor((m) => m.envelope?.subject === id && m.envelope.type === 'assessment.assessment.withdrawn');
  });

  test('a submission long after the assessment is late and costs credit', async () => {
    const res = await push(tokenA, submission(unitA.id, a.licenceNo, { assessedOn: '2026-05-01', score: 66, grade: 'C' }));
    expect(res.status).toBe(201);
    const agency = await h.models.agencies.findById(a.agencyId).lean();
    expect(agency?.credit.some((e) => e.kind === 'late_submission' && e.ref === res.json.id)).toBe(true);
  });
});

describe('subgraph', () => {
  test('county users manage agencies and see credit; an agency sees only itself; units show their assessments', async () => {
    const list = await h.gql<{ agencies: Array<{ id: string; credit: { score: number; factors: Array<{ kind: string }> } }> }>(
      `{ agencies { id name status credit { score level factors { kind count points } } } }`,
      {},
      countyAdmin,
    );
    expect(list.data?.agencies.map((x) => x.id).sort()).toEqual([a.agencyId, b.agencyId].sort());
    const credA = list.data?.agencies.find((x) => x.id === a.agencyId)?.credit;
    expect(credA?.score).toBeLessThan(100);
    expect(credA?.factors.map((f) => f.kind)).toEqual(expect.arrayContaining(['rejected_submission', 'late_submission']));
    const own = await h.gql<{ agencies: Array<{ id: string }> }>(
      `{ agencies { id } }`,
      {},
      { subject: 'x', role: 'agency', jurisdiction: COUNTY, agencyId: b.agencyId },
    );
    expect(own.data?.agencies.map((x) => x.id)).toEqual([b.agencyId]);
    const units = await h.gql<{
      _entities: Array<{
        assessments: Array<{ id: string; sampledForAudit: boolean | null }>;
        latestAssessment: { grade: string } | null;
      }>;
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { assessments { id sampledForAudit } latestAssessment { grade } } } }`,
      { r: [{ __typename: 'Unit', id: unitA.id }] },
      countyAdmin,
    );
    expect(units.errors).toBeUndefined();
    expect(units.data?._entities[0]?.assessments.length).toBeGreaterThan(3);
    expect(units.data?._entities[0]?.latestAssessment).not.toBeNull();
    const asAgencyB = await h.gql<{ _entities: Array<{ assessments: unknown[] }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { assessments { id } } } }`,
      { r: [{ __typename: 'Unit', id: unitA.id }] },
      { subject: 'x', role: 'agency', jurisdiction: COUNTY, agencyId: b.agencyId },
    );
    expect(asAgencyB.data?._entities[0]?.assessments).toEqual([]);
  });

  test('registering an agency with an invalid credit code names the field; a duplicate is a conflict', async () => {
    const res = await h.gql<{ registerAgency: { __typename: string; code?: string; details?: Array<{ path: string }> } }>(
      `mutation($i: RegisterAgencyInput!) { registerAgency(input: $i) { __typename ... on MutationError { code details { path } } } }`,
      { i: { name: '错误机构', creditCode: '91110000802100433X', qualification: 'class_2' } },
      countyAdmin,
    );
    expect(res.data?.registerAgency).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.creditCode' }] });
    const dup = await h.gql<{ registerAgency: { code?: string } }>(
      `mutation($i: RegisterAgencyInput!) { registerAgency(input: $i) { __typename ... on MutationError { code } } }`,
      { i: { name: '重复机构', creditCode: '91110000802100433B', qualification: 'class_2' } },
      countyAdmin,
    );
    expect(dup.data?.registerAgency.code).toBe('CONFLICT');
  });
});

describe('the example client for agencies', () => {
  test('gets a token, pushes with an Idempotency-Key and verifies the signed receipt', async () => {
    const client = await h.services.agencies.createClient(countyAdmin, a.agencyId, 'example client');
    const file = path.join(os.tmpdir(), `assessment-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(submission(unitA.id, a.licenceNo, { score: 86, grade: 'A' })));
    const script = path.join(__dirname, '..', '..', 'examples', 'push-client.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [script, file], {
      env: { ...process.env, FIREGOV_URL: h.server.url, CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret },
    });
    expect(stdout).toMatch(/^stored as_[0-9a-f]+ v1; receipt verified/);
    fs.rmSync(file);
  });
});
