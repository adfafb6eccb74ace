import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis, type Redis } from '@firegov/kit';
import { testEnv } from '@firegov/testing';
import { postGraphQL, startGatewayWithSubgraphs, tokenFor, type RunningGateway } from './fixtures/gateway.ts';

// Against the stack's real Redis: the count lives there so that gateway replicas share it.

let redis: Redis;
let gw: RunningGateway;

beforeAll(async () => {
  redis = await connectRedis(testEnv.REDIS_URL);
  gw = await startGatewayWithSubgraphs({ RATE_LIMIT_PER_MINUTE: '3' }, redis);
});

afterAll(async () => {
  await gw.close();
  await redis.quit();
});

// The window is the calendar minute; a burst straddling its end would be counted in two windows.
async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3000) await sleep(left + 50);
}

test('each identity gets RATE_LIMIT_PER_MINUTE requests per minute, then 429 RATE_LIMITED', async () => {
  const token = await tokenFor({ subject: `rate-${randomUUID()}` });
  await awayFromWindowEdge();
  const remaining: Array<string | null> = [];
  for (let i = 0; i < 3; i++) {
    const res = await postGraphQL(gw.url, '{ hazardCount }', { token });
    expect(res.status).toBe(200);
    remaining.push(res.headers.get('ratelimit-remaining'));
  }
  expect(remaining).toEqual(['2', '1', '0']);

  const before = gw.hazards.authorizations.length;
  const refused = await postGraphQL(gw.url, '{ hazardCount }', { token });
  expect(refused.status).toBe(429);
  expect(refused.body.error?.code).toBe('RATE_LIMITED');
  expect(refused.body.error?.message).toMatch(/^rate limit of 3 requests per minute exceeded; retry in \d+ s$/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(gw.hazards.authorizations.length).toBe(before);

  // Someone else is not affected.
  const other = await tokenFor({ subject: `rate-${randomUUID()}` });
  expect((await postGraphQL(gw.url, '{ hazardCount }', { token: other })).status).toBe(200);
});

test('the count is kept in Redis under the subject, expiring with its window', async () => {
  const subject = `rate-${randomUUID()}`;
  await awayFromWindowEdge();
  await postGraphQL(gw.url, '{ hazardCount }', { token: await tokenFor({ subject }) });
  const key = `firegov:gateway:rate:${subject}:${Math.floor(Date.now() / 60_000)}`;
  expect(await redis.get(key)).toBe('1');
  const ttl = await redis.pttl(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60_000);
});

test('requests without a valid token are refused before they count', async () => {
  const res = await postGraphQL(gw.url, '{ hazardCount }', { authorization: 'Bearer nope' });
  expect(res.status).toBe(401);
});

test('when Redis fails, requests are let through rather than refused', async () => {
  // A client whose every transaction fails, as one does while Redis is down.
  const broken = {
    multi: () => ({
      incr: () => ({ pexpire: () => ({ exec: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) }) }),
    }),
  } as unknown as Redis;
  const lonely = await startGatewayWithSubgraphs({ RATE_LIMIT_PER_MINUTE: '1' }, broken);
  try {
    const token = await tokenFor({ subject: `rate-${randomUUID()}` });
    for (let i = 0; i < 3; i++) expect((await postGraphQL(lonely.url, '{ hazardCount }', { token })).status).toBe(200);
  } finally {
    await lonely.close();
  }
});
