import { assessmentLists } from '../../src/store/assessment-lists.ts';
import { seedUnits, setupAgency, startHarness, submission, tokenFor, unitSnapshot, type Harness } from '../harness.ts';

// The lists agencies and counties page through live in Redis; the store is the truth. A Redis that
// lost its data (a new one, or one restarted without its append-only file) must not leave every
// list empty: the service rebuilds them from the store at start-up.

let h: Harness;
const unit = unitSnapshot();

beforeAll(async () => {
  h = await startHarness('assess-lists', { auditShare: 1 });
  await seedUnits(h, [unit]);
});
afterAll(async () => h.close());

test('lists lost with Redis come back from the store, once, audit queue included', async () => {
  const a = await setupAgency(h, { creditCode: '91110108551385082Q', jurisdictionCodes: ['500230213000'] });
  const token = await tokenFor(h, a.clientId, a.clientSecret);
  const ids: string[] = [];
  for (let i = 1; i <= 3; i += 1) {
    const res = await h.http('POST', '/v1/assessments', { token, key: `lists-key-${i}`, body: submission(unit.id, a.licenceNo) });
    expect(res.status).toBe(201);
    ids.push(res.json.id as string);
  }
  const listed = async () =>
    ((await h.http('GET', '/v1/assessments', { token })).json.items as Array<{ id: string }>).map((i) => i.id).sort();
  const lists = assessmentLists(h.redis, h.deps.redisPrefix);
  expect(await listed()).toEqual([...ids].sort());

  // Redis loses everything the lists held.
  const keys = await h.redis.keys(`${h.deps.redisPrefix}*a:*`);
  await h.redis.del(...keys, `${h.deps.redisPrefix}audit:pending`, `${h.deps.redisPrefix}lists:built`);
  expect(await listed()).toEqual([]);
  expect(await lists.auditQueue()).toEqual([]);

  expect(await lists.rebuildIfLost(h.models)).toBe(3);
  expect(await listed()).toEqual([...ids].sort());
  expect((await lists.newestOfUnits([unit.id]))[0]!.sort()).toEqual([...ids].sort());
  expect((await lists.auditQueue()).sort()).toEqual([...ids].sort());

  // Built: a restart with its data in place reads nothing from the store.
  expect(await lists.rebuildIfLost(h.models)).toBeNull();
});
