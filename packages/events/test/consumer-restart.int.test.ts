import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  eventually,
  testEnv,
  testKafka,
  testMongo,
  testNamespace,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createPublisher, DEFAULT_DLQ_TOPIC, type Publisher } from '../src/index.ts';
import { runFixture } from './fixtures/child.ts';
import { counterTopic } from './fixtures/topics.ts';

const ns = testNamespace('events-restart');
const topic = `${ns.topicPrefix}${counterTopic.name}`;
let kafka: Kafka;
let publisher: Publisher;
let conn: Connection;

beforeAll(async () => {
  kafka = testKafka();
  await ensureTopics(kafka, [topic, `${ns.topicPrefix}${DEFAULT_DLQ_TOPIC}`]);
  publisher = await createPublisher({ kafka, source: 'restart-test', topicPrefix: ns.topicPrefix });
  conn = await testMongo(ns.dbName);
});

afterAll(async () => {
  await publisher.disconnect();
  await dropAndClose(conn);
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
});

test('a consumer SIGKILLed mid-stream and restarted loses nothing and applies nothing twice', async () => {
  const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
  const total = 240;
  const expected = new Map<string, number>();
  for (let i = 0; i < total; i += 1) {
    const counter = keys[i % keys.length]!;
    const by = (i % 3) + 1;
    expected.set(counter, (expected.get(counter) ?? 0) + by);
    await publisher.publish(counterTopic, { type: 'test.counter.incremented', key: counter, data: { counter, by } });
  }
  const config = {
    brokers: testEnv.KAFKA_BROKERS,
    topicPrefix: ns.topicPrefix,
    groupId: ns.group('counting'),
    mongoUrl: testEnv.MONGO_URL,
    dbName: ns.dbName,
    handlerDelayMs: 8,
  };
  const counters = conn.db!.collection<{ _id: string; count: number }>('counters');
  const applied = async () => (await counters.find().toArray()).reduce((n, d) => n + d.count, 0);

  const first = runFixture('counting-consumer.ts', config);
  // Generous: under the full suite on two cores a fixture's start (type stripping, group join) can take long.
  await first.waitForOutput('ready', 90_000);
  // Kill it once a fair share is applied but well before the end.
  await eventually(async () => expect(await applied()).toBeGreaterThan(60), { timeoutMs: 30_000, intervalMs: 20 });
  first.proc.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const appliedAtKill = await applied();
  const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
  expect(appliedAtKill).toBeLessThan(expectedTotal);

  const second = runFixture('counting-consumer.ts', config);
  try {
    await second.waitForOutput('ready', 90_000);
    await eventually(async () => expect(await applied()).toBe(expectedTotal), { timeoutMs: 45_000, intervalMs: 100 });
    const docs = await counters.find().toArray();
    expect(Object.fromEntries(docs.map((d) => [d._id, d.count]))).toEqual(Object.fromEntries(expected));
    // The restarted consumer really was handed messages whose effect was already stored
    // (offsets are committed after effects), and applyOnce kept them from counting twice.
    const stats = await conn.db!.collection<{ _id: string; skipped: number }>('stats').findOne({ _id: 'redeliveries' });
    expect(stats?.skipped ?? 0).toBeGreaterThan(0);
  } finally {
    second.proc.kill('SIGTERM');
    await second.exited;
  }
}, 240_000);

test('the dead-letter topic stays empty when every message is valid', async () => {
  const dlq = await collectTopics(kafka, [`${ns.topicPrefix}${DEFAULT_DLQ_TOPIC}`]);
  try {
    await new Promise((r) => setTimeout(r, 1500));
    expect(dlq.messages).toHaveLength(0);
  } finally {
    await dlq.stop();
  }
});
