import { createLogger } from '@firegov/kit';
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
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { applyOnce, createPublisher, outboxEntry, startOutboxRelay, withOutbox, type Publisher } from '../src/index.ts';
import { runFixture } from './fixtures/child.ts';
import { counterTopic } from './fixtures/topics.ts';

const ns = testNamespace('events-outbox');
const topic = `${ns.topicPrefix}${counterTopic.name}`;
const logger = createLogger({ service: 'test', level: 'silent' });
let kafka: Kafka;
let publisher: Publisher;
let conn: Connection;
let collector: TopicCollector;
let docs: Collection<Document>;

beforeAll(async () => {
  kafka = testKafka();
  await ensureTopics(kafka, [topic]);
  publisher = await createPublisher({ kafka, source: 'outbox-test', topicPrefix: ns.topicPrefix });
  conn = await testMongo(ns.dbName);
  docs = conn.db!.collection('counters');
  collector = await collectTopics(kafka, [topic]);
});

afterAll(async () => {
  await collector.stop();
  await publisher.disconnect();
  await dropAndClose(conn);
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
});

/** What an idempotent consumer would apply: each event id at most once per document. */
async function applyAllOnce(eventIds: string[], docId: string): Promise<number> {
  const effects = conn.db!.collection('effects');
  let applied = 0;
  for (const id of eventIds) if (await applyOnce(effects, docId, id, { $inc: { n: 1 } })) applied += 1;
  return applied;
}

test('a state change and its event are written in one update and relayed to Kafka', async () => {
  const relay = startOutboxRelay({ collections: [docs], publisher, logger, sweepIntervalMs: 60_000 });
  try {
    await docs.insertOne({ _id: 'live' as never, count: 0, outbox: [], outboxPending: false });
    const entry = outboxEntry(counterTopic, 'outbox-test', {
      type: 'test.counter.incremented',
      key: 'live',
      data: { counter: 'live', by: 5 },
    });
    await docs.updateOne({ _id: 'live' as never }, withOutbox({ $inc: { count: 5 } }, [entry]));
    relay.kick(docs, ['live']);
    const [msg] = await collector.waitFor((m) => m.envelope?.id === entry.id);
    expect(msg!.envelope!.data).toEqual({ counter: 'live', by: 5 });
    expect(msg!.key).toBe('live');
    await eventually(async () => {
      const doc = await docs.findOne({ _id: 'live' as never });
      expect(doc).toMatchObject({ count: 5, outbox: [], outboxPending: false });
    });
  } finally {
    await relay.stop();
  }
});

test('an invalid event fails the write itself, so no state change goes unannounced', () => {
  expect(() =>
    outboxEntry(counterTopic, 'outbox-test', { type: 'test.counter.incremented', key: 'x', data: { counter: 'x', by: 0 } }),
  ).toThrow(/does not match its schema/);
});

test.each(['before-publish', 'after-publish'] as const)(
  'process SIGKILLed %s: after restart the event is published and applied exactly once',
  async (crash) => {
    const docId = `crash-${crash}`;
    const child = runFixture('outbox-writer.ts', {
      brokers: testEnv.KAFKA_BROKERS,
      topicPrefix: ns.topicPrefix,
      mongoUrl: testEnv.MONGO_URL,
      dbName: ns.dbName,
      docId,
      crash,
    });
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    const eventId = /written (\S+)/.exec(child.output())?.[1];
    expect(eventId).toBeDefined();

    // The state change survived the crash together with its unpublished event.
    const stored = await docs.findOne({ _id: docId as never });
    expect(stored).toMatchObject({ count: 1, outboxPending: true });
    expect((stored!.outbox as Array<{ id: string }>).map((e) => e.id)).toEqual([eventId]);

    // "Restart": a new relay finds the pending outbox on its first sweep.
    const relay = startOutboxRelay({ collections: [docs], publisher, logger, sweepIntervalMs: 60_000 });
    try {
      expect(await relay.flush()).toBeGreaterThanOrEqual(1);
    } finally {
      await relay.stop();
    }
    const delivered = await collector.waitFor((m) => m.envelope?.id === eventId);
    // Let any stray duplicate arrive before counting.
    await new Promise((r) => setTimeout(r, 1000));
    const copies = collector.messages.filter((m) => m.envelope?.id === eventId);
    // Before publish: exactly one copy ever reaches Kafka. After publish: the relay sends it again
    // (at least once), and the idempotent consumer applies it once.
    expect(copies).toHaveLength(crash === 'before-publish' ? 1 : 2);
    expect(delivered[0]!.envelope!.type).toBe('test.counter.incremented');
    expect(
      await applyAllOnce(
        copies.map((c) => c.envelope!.id),
        docId,
      ),
    ).toBe(1);
    expect(await docs.findOne({ _id: docId as never })).toMatchObject({ outbox: [], outboxPending: false });
  },
);

test('an event the broker refuses for good (too large) does not hold back the others, and moves to outboxDead', async () => {
  const relay = startOutboxRelay({ collections: [docs], publisher, logger, sweepIntervalMs: 60_000 });
  try {
    const small = outboxEntry(counterTopic, 'outbox-test', {
      type: 'test.counter.incremented',
      key: 'small',
      data: { counter: 'small', by: 1 },
    });
    const valid = outboxEntry(counterTopic, 'outbox-test', {
      type: 'test.counter.incremented',
      key: 'big',
      data: { counter: 'big', by: 1 },
    });
    // Over Kafka's default 1 MB message limit: what an unbounded input could have produced.
    const big = { ...valid, data: JSON.stringify({ counter: 'big', by: 1, pad: 'x'.repeat(1_200_000) }) };
    await docs.insertOne({ _id: 'big' as never, outbox: [big], outboxPending: true });
    await docs.insertOne({ _id: 'small' as never, outbox: [small], outboxPending: true });
    relay.kick(docs, ['big', 'small']);
    await collector.waitFor((m) => m.envelope?.id === small.id);
    await eventually(
      async () => {
        const doc = await docs.findOne({ _id: 'big' as never });
        expect(doc).toMatchObject({ outbox: [], outboxPending: false });
        expect((doc?.outboxDead as Array<{ id: string; deadReason: string }>).map((d) => d.id)).toEqual([big.id]);
        // Cleared once published: the clearing write follows the publish, so it is awaited too (a
        // full run on two cores once checked it between the two).
        expect(await docs.findOne({ _id: 'small' as never })).toMatchObject({ outbox: [], outboxPending: false });
      },
      { timeoutMs: 30_000 },
    );
  } finally {
    await relay.stop();
  }
});
