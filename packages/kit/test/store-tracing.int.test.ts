import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { dropAndClose, testEnv, testMongo, testNamespace } from '@firegov/testing';
import type { Connection } from 'mongoose';
import { connectRedis, startTelemetry, type Redis, type Telemetry } from '../src/index.ts';

// Store and Redis commands made while a request (or a consumed event) is traced become its child
// spans with the semantic conventions' db.* attributes; outside a trace they make none.

const ns = testNamespace('kit-store-tracing');
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let conn: Connection;
let redis: Redis;

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'store-tracing-test', spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  conn = await testMongo(ns.dbName);
  redis = await connectRedis(testEnv.REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await dropAndClose(conn);
  await telemetry.shutdown();
});

test('a traced request’s store and Redis commands are its children; untraced ones make no span', async () => {
  exporter.reset();
  const things = conn.db!.collection('things');
  await things.insertOne({ _id: 'untraced' as never });
  await redis.set(`${ns.dbName}:untraced`, '1');
  expect(exporter.getFinishedSpans()).toEqual([]);

  const parent = await trace.getTracer('test').startActiveSpan('POST /graphql', async (span) => {
    await things.findOne({ _id: 'untraced' as never });
    await things.updateOne({ _id: 'untraced' as never }, { $set: { seen: true } });
    await redis.get(`${ns.dbName}:untraced`);
    span.end();
    return span.spanContext();
  });

  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === parent.traceId);
  const byName = new Map(spans.map((s) => [s.name, s]));
  expect([...byName.keys()].sort()).toEqual(['GET', 'POST /graphql', 'find things', 'update things']);
  for (const name of ['find things', 'update things', 'GET'])
    expect(byName.get(name)!.parentSpanContext?.spanId).toBe(parent.spanId);
  expect(byName.get('find things')!.attributes).toMatchObject({
    'db.system.name': 'mongodb',
    'db.namespace': ns.dbName,
    'db.operation.name': 'find',
    'db.collection.name': 'things',
  });
  expect(byName.get('GET')!.attributes).toMatchObject({ 'db.system.name': 'redis', 'db.operation.name': 'GET' });
});

test('a failed command marks its span as an error', async () => {
  exporter.reset();
  await trace.getTracer('test').startActiveSpan('bad', async (span) => {
    await expect(conn.db!.command({ noSuchCommand: 1 })).rejects.toThrow();
    await expect(redis.call('NOSUCHCOMMAND')).rejects.toThrow();
    span.end();
  });
  const failed = exporter.getFinishedSpans().filter((s) => s.status.code === SpanStatusCode.ERROR);
  expect(failed.map((s) => s.name).sort()).toEqual(['NOSUCHCOMMAND', 'noSuchCommand']);
});
