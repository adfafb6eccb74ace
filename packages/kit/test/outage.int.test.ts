import { freePort } from '@firegov/testing';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { createHttpApp, createLogger, finishApp, isDependencyOutage, listen, type RunningServer } from '../src/index.ts';

// A store or Redis that cannot be reached is the platform's outage, not a bug: the answer is 503
// UNAVAILABLE with Retry-After, which clients (and the fault drill's agency) retry. Real drivers,
// pointed at a port where nothing listens.

const logger = createLogger({ service: 'test', level: 'silent' });
let server: RunningServer;
let redis: Redis;
let mongo: MongoClient;

beforeAll(async () => {
  const closed = await freePort();
  redis = new Redis({ port: closed, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  mongo = new MongoClient(`mongodb://127.0.0.1:${closed}`, { serverSelectionTimeoutMS: 300 });
  const app = createHttpApp({ logger, readiness: [] });
  app.get('/redis', async (_req, res) => {
    res.json({ value: await redis.get('k') });
  });
  app.get('/store', async (_req, res) => {
    res.json(await mongo.db('x').collection('y').findOne({}));
  });
  app.get('/bug', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'id')");
  });
  finishApp(app, logger);
  server = await listen(app, 0);
});

afterAll(async () => {
  await server.close();
  redis.disconnect();
  await mongo.close();
});

test.each(['/redis', '/store'])('%s unreachable: 503 UNAVAILABLE with Retry-After, and no driver detail', async (path) => {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('UNAVAILABLE');
  expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
});

test('a bug stays a 500 INTERNAL', async () => {
  const res = await fetch(`${server.url}/bug`);
  expect(res.status).toBe(500);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
});

test('an outage is recognised through the cause chain', () => {
  const driver = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
  expect(isDependencyOutage(new Error('saving the unit failed', { cause: driver }))).toBe(true);
  expect(isDependencyOutage(new Error('saving the unit failed'))).toBe(false);
  expect(isDependencyOutage('not an error')).toBe(false);
});
