import { connectRedis, Redis } from '@firegov/kit';
import { testEnv, testNamespace } from '@firegov/testing';
import { CUTOFF_RETENTION_S, redisClientCutoffs } from '../src/index.ts';

// The cutoffs in the real Redis: what the identity service writes and every verifier reads.

let redis: Redis;
const prefix = `t:${testNamespace('cutoffs').id}:client-cutoff:`;

beforeAll(async () => {
  redis = await connectRedis(testEnv.REDIS_URL);
});
afterAll(() => redis.disconnect());

test('a recorded cutoff is read back and kept as long as a token can live; the later of two wins', async () => {
  const cutoffs = redisClientCutoffs(redis, { prefix });
  expect(await cutoffs.cutoffOf('pc_a')).toBeUndefined();
  await cutoffs.record('pc_a', { at: 2000, reason: 'secret_rotated' });
  await cutoffs.record('pc_a', { at: 1000, reason: 'revoked' });
  expect(await cutoffs.cutoffOf('pc_a')).toEqual({ at: 2000, reason: 'secret_rotated' });
  await cutoffs.record('pc_a', { at: 3000, reason: 'revoked' });
  expect(await cutoffs.cutoffOf('pc_a')).toEqual({ at: 3000, reason: 'revoked' });
  const ttl = await redis.ttl(`${prefix}pc_a`);
  expect(ttl).toBeGreaterThan(CUTOFF_RETENTION_S - 5);
  expect(ttl).toBeLessThanOrEqual(CUTOFF_RETENTION_S);
});

test('an unreadable entry refuses every token of the client', async () => {
  await redis.set(`${prefix}pc_b`, 'garbage', 'EX', 60);
  expect((await redisClientCutoffs(redis, { prefix }).cutoffOf('pc_b'))?.at).toBe(Number.MAX_SAFE_INTEGER);
});

test('Redis not answering is UNAVAILABLE within the timeout, not a pass', async () => {
  // A client that never connects: ioredis queues the command and keeps retrying.
  const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 200 });
  dead.on('error', () => undefined);
  try {
    const started = Date.now();
    await expect(redisClientCutoffs(dead, { prefix, timeoutMs: 200 }).cutoffOf('pc_c')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: "cannot tell whether this token's platform client was revoked (Redis did not answer); retry shortly",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  } finally {
    dead.disconnect();
  }
});
