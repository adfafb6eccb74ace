import { randomUUID } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { trainingComplianceTopic, type UnitSnapshot } from '@firegov/contracts';
import { upsertUnit } from '@firegov/registry';
import { signTestToken } from '@firegov/testing';
import { xapiOpenApi } from '../../src/http/xapi-openapi.ts';
import { COUNTY, startHarness, TOWNSHIP_A, townshipA, VILLAGE_A1, type Harness } from '../harness.ts';

// The learning platform's xAPI endpoint against the real stack: valid, invalid, replayed and
// unknown-actor statements, and the coverage a learning record changes.

let h: Harness;
const platform: Identity = { subject: 'xfxx-platform', role: 'learning_platform', jurisdiction: COUNTY };

const K1: UnitSnapshot = {
  id: 'u_xapi_key',
  version: 1,
  name: '青龙商场',
  category: 'supermarket',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP_A,
  villageCode: VILLAGE_A1,
  address: '青龙乡 2 号',
  buildingUse: 'commercial',
  floors: 3,
  undergroundFloors: 0,
  heightM: 12,
  occupancy: 300,
  keyUnit: true,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'general',
  riskScore: 30,
  status: 'active',
  demo: false,
};

let personId = '';

async function post(body: unknown, as: Identity | null = platform) {
  const res = await fetch(`${h.server.url}/xapi/statements`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(as ? { authorization: `Bearer ${await signTestToken(as)}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const statement = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  actor: { objectType: 'Agent', account: { homePage: 'https://xfxx.119.gov.cn', name: 'xfxx-zhang' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'zh-CN': '完成' } },
  object: { id: 'https://xfxx.119.gov.cn/courses/course_responsible_person', definition: { name: { 'zh-CN': '责任人培训' } } },
  result: { score: { scaled: 0.92 }, success: true, completion: true },
  timestamp: '2026-02-20T08:00:00+08:00',
  ...over,
});

beforeAll(async () => {
  h = await startHarness('training-xapi', [trainingComplianceTopic.name]);
  await upsertUnit(h.models, K1);
  await h.services.requirements.seedDefaults();
  const person = await h.services.people.register(townshipA, {
    name: '张伟',
    phone: '13900003333',
    email: 'Zhang@Example.cn',
    platformAccount: 'xfxx-zhang',
    assignments: [{ role: 'responsible_person', unitId: K1.id }],
  });
  personId = person._id;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

test('only a learning_platform token may post; no token is 401', async () => {
  expect((await post(statement(), null)).status).toBe(401);
  const refused = await post(statement(), townshipA);
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
});

test('a learning platform signed in as a platform client needs scope write to post; read is 403 naming it', async () => {
  const client = (scopes: string[]): Identity => ({ ...platform, subject: 'pc_xfxx', client: { id: 'pc_xfxx', scopes } });
  const refused = await post(statement(), client(['read']));
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({
    error: {
      code: 'FORBIDDEN',
      message: 'POST /xapi/statements needs scope write; this platform client\'s token carries scope "read"',
    },
  });
  // Past the scope, the statement is judged on its own: an actor nobody registered is refused alone.
  const nobody = { objectType: 'Agent', account: { homePage: 'https://xfxx.119.gov.cn', name: 'xfxx-nobody' } };
  const passed = await post(statement({ actor: nobody }), client(['read', 'write']));
  expect(passed.status).toBe(200);
  expect(passed.body).toMatchObject({ applied: 0, refused: 1 });
});

test('a malformed batch names the statement index and field and applies nothing', async () => {
  const good = statement();
  const res = await post([
    good,
    statement({ id: 'not-a-uuid', actor: { mbox: 'zhang@example.cn' } }),
    statement({ timestamp: 'yesterday' }),
  ]);
  expect(res.status).toBe(400);
  const details = (res.body.error as { details: Array<{ path: string }> }).details.map((d) => d.path).sort();
  expect(details).toEqual(['$[1].actor.mbox', '$[1].id', '$[2].timestamp']);
  expect(await h.models.xapiStatements.countDocuments({ _id: good.id })).toBe(0);
});

test('a completed statement records a learning record once; a replay changes nothing; an unknown actor is refused alone', async () => {
  const done = statement();
  const viaMail = statement({
    actor: { mbox: 'mailto:zhang@example.cn' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  });
  const stranger = statement({ actor: { account: { homePage: 'https://xfxx.119.gov.cn', name: 'nobody' } } });
  const first = await post([done, viaMail, stranger]);
  expect(first.status).toBe(200);
  expect(first.body).toEqual({
    results: [
      { index: 0, id: done.id, status: 'applied', effect: 'learning_record' },
      { index: 1, id: viaMail.id, status: 'applied', effect: 'none' },
      { index: 2, id: stranger.id, status: 'refused', reason: 'actor is not a registered person in your jurisdiction' },
    ],
    applied: 2,
    replayed: 0,
    refused: 1,
  });
  expect(await h.models.xapiLearningRecords.find({ personId }).lean()).toEqual([
    expect.objectContaining({
      _id: `lr_${done.id}`,
      courseId: 'course_responsible_person',
      issuedAt: '2026-02-20T00:00:00.000Z',
      scaledScore: 0.92,
    }),
  ]);
  // The unit's responsible person is now covered (manager still vacant): 1 of 2, announced.
  await h.events.waitFor(
    (m) =>
      m.envelope?.type === 'training.coverage.changed' &&
      m.key === K1.id &&
      (m.envelope.data as { coverage: number }).coverage === 0.5,
  );

  const replay = await post(done);
  expect(replay.body).toEqual({
    results: [{ index: 0, id: done.id, status: 'replayed', reason: 'already applied: nothing changed' }],
    applied: 0,
    replayed: 1,
    refused: 0,
  });
  const reused = await post(statement({ id: done.id, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }));
  expect((reused.body.results as Array<{ status: string }>)[0]!.status).toBe('refused');
  expect(await h.models.xapiLearningRecords.countDocuments({ personId })).toBe(1);
  const seen = await h.gql(
    'query($id: ID!) { trainingPerson(id: $id) { platformRecords { courseId completedAt scaledScore } } }',
    { id: personId },
    townshipA,
  );
  expect(seen.trainingPerson).toEqual({
    platformRecords: [{ courseId: 'course_responsible_person', completedAt: '2026-02-20T00:00:00.000Z', scaledScore: 0.92 }],
  });
  // The refused stranger was not stored: it can be sent again once the person is registered.
  expect(await h.models.xapiStatements.countDocuments({ _id: stranger.id })).toBe(0);
});

test('a failed attempt records nothing', async () => {
  const failed = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: false } });
  const res = await post(failed);
  expect(res.body).toMatchObject({ results: [{ status: 'applied', effect: 'none' }] });
  expect(await h.models.xapiLearningRecords.countDocuments({ personId })).toBe(1);
});

test('the OpenAPI document is served and generated from the validating schema', async () => {
  const res = await fetch(`${h.server.url}/xapi/openapi.json`);
  const doc = (await res.json()) as { openapi: string; components: { schemas: Record<string, { required?: string[] }> } };
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.components.schemas.Statement!.required).toEqual(
    expect.arrayContaining(['id', 'actor', 'verb', 'object', 'timestamp']),
  );
  expect(xapiOpenApi().paths).toHaveProperty(['/xapi/statements']);
});
