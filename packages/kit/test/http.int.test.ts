import { parseInput } from '@firegov/contracts';
import { dropAndClose, testEnv, testMongo, testNamespace } from '@firegov/testing';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import {
  AppError,
  connectRedis,
  createHttpApp,
  createLogger,
  finishApp,
  listen,
  mongoReadiness,
  fromDomain,
  redisReadiness,
  type ReadinessCheck,
  type Redis,
  type RunningServer,
} from '../src/index.ts';

const ns = testNamespace('kit-http');
const logger = createLogger({ service: 'test', level: 'silent' });
let conn: Connection;
let redis: Redis;
let server: RunningServer;
let accepting = true;
let extraFailing = false;

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
  redis = await connectRedis(testEnv.REDIS_URL);
  const flaky: ReadinessCheck = {
    name: 'flaky',
    async check() {
      if (extraFailing) throw new Error('dependency down');
    },
  };
  const app = createHttpApp({
    logger,
    readiness: [mongoReadiness(conn), redisReadiness(redis), flaky],
    isAccepting: () => accepting,
  });
  const body = z.object({ name: z.string().min(2), floors: z.number().int().min(1) });
  app.post('/things', (req, res) => {
    const input = fromDomain(() => parseInput(body, req.body));
    res.status(201).json(input);
  });
  app.get('/conflict', () => {
    throw new AppError('CONFLICT', 'unit with credit code 91350100M000100Y43 already registered', {
      details: [{ path: '$.creditCode', reason: 'duplicate' }],
    });
  });
  app.get('/boom', () => {
    throw new Error('secret internals');
  });
  finishApp(app, logger);
  server = await listen(app, 0);
});

afterAll(async () => {
  await server.close();
  redis.disconnect();
  await dropAndClose(conn);
});

const get = (path: string) => fetch(`${server.url}${path}`);
const post = (path: string, body: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('/healthz answers while the process lives', async () => {
  const res = await get('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('/readyz checks the real store and Redis and names each check', async () => {
  const res = await get('/readyz');
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
  expect(res.status).toBe(200);
  expect(body.status).toBe('ready');
  expect(body.checks.store!.ok).toBe(true);
  expect(body.checks.redis!.ok).toBe(true);
});

test('/readyz is 503 naming the failing dependency, and while shutting down', async () => {
  extraFailing = true;
  try {
    const res = await get('/readyz');
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
    expect(res.status).toBe(503);
    expect(body.checks.flaky).toMatchObject({ ok: false, error: 'dependency down' });
  } finally {
    extraFailing = false;
  }
  accepting = false;
  try {
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('shutting down');
  } finally {
    accepting = true;
  }
});

test('a body failing validation gets 400 naming every bad field', async () => {
  const res = await post('/things', JSON.stringify({ name: 'x', floors: 0 }));
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; details: Array<{ path: string }> } };
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.details.map((d) => d.path).sort()).toEqual(['$.floors', '$.name']);
});

test('malformed JSON, unknown routes, typed and internal errors all use the one error shape', async () => {
  const malformed = await post('/things', '{"name": ');
  expect(malformed.status).toBe(400);
  expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('MALFORMED_REQUEST');

  const missing = await get('/nope');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND', details: [] } });

  const conflict = await get('/conflict');
  expect(conflict.status).toBe(409);
  expect(await conflict.json()).toEqual({
    error: {
      code: 'CONFLICT',
      message: expect.stringContaining('already registered'),
      details: [{ path: '$.creditCode', reason: 'duplicate' }],
    },
  });

  const boom = await get('/boom');
  expect(boom.status).toBe(500);
  const text = await boom.text();
  expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error', details: [] } });
  expect(text).not.toContain('secret');
});

test('an oversized body is refused with 413', async () => {
  const res = await post('/things', JSON.stringify({ name: 'x'.repeat(2_000_000), floors: 1 }));
  expect(res.status).toBe(413);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
});

test('every response carries a request id, echoing a safe incoming one', async () => {
  const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
  expect(res.headers.get('x-request-id')).toBe('abc-123');
  const generated = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
