import { createLogger } from '@firegov/kit';
import {
  collectTopics,
  ensureTopics,
  metricValue,
  scrapeMetrics,
  testKafka,
  testNamespace,
  deleteTopicsWithPrefix,
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import {
  createPublisher,
  DEFAULT_DLQ_TOPIC,
  PermanentError,
  startConsumer,
  toKafkaMessage,
  type ConsumedEvent,
  type Publisher,
  type RunningConsumer,
} from '../src/index.ts';
import { counterTopic } from './fixtures/topics.ts';

const ns = testNamespace('events-pubsub');
const logger = createLogger({ service: 'test', level: 'silent' });
const topic = `${ns.topicPrefix}${counterTopic.name}`;
const dlq = `${ns.topicPrefix}${DEFAULT_DLQ_TOPIC}`;
let kafka: Kafka;
let publisher: Publisher;
let dlqCollector: TopicCollector;
const consumers: RunningConsumer[] = [];

type CounterEvent = ConsumedEvent<typeof counterTopic>;

beforeAll(async () => {
  kafka = testKafka();
  await ensureTopics(kafka, [topic, dlq]);
  publisher = await createPublisher({ kafka, source: 'events-tests', topicPrefix: ns.topicPrefix });
  dlqCollector = await collectTopics(kafka, [dlq]);
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await dlqCollector.stop();
  await publisher.disconnect();
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
});

async function consume(
  group: string,
  handler: (e: CounterEvent) => Promise<void>,
  retry = { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 50 },
) {
  const c = await startConsumer({
    kafka,
    groupId: ns.group(group),
    topics: [counterTopic],
    topicPrefix: ns.topicPrefix,
    handler,
    publisher,
    logger,
    retry,
  });
  consumers.push(c);
  return c;
}

function waitUntil(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - t0 > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 50);
    };
    tick();
  });
}

test('publish -> consume round trip carries a typed CloudEvent with its attributes', async () => {
  const seen: CounterEvent[] = [];
  await consume('roundtrip', async (e) => {
    if (e.subject === 'roundtrip') seen.push(e);
  });
  const sent = await publisher.publish(counterTopic, {
    type: 'test.counter.incremented',
    key: 'c-1',
    subject: 'roundtrip',
    data: { counter: 'c-1', by: 2 },
  });

  await waitUntil(() => seen.length === 1);
  const got = seen[0]!;
  expect(got.id).toBe(sent.id);
  expect(got.type).toBe('test.counter.incremented');
  expect(got.source).toBe('events-tests');
  expect(got.key).toBe('c-1');
  expect(got.topic).toBe(counterTopic.name);
  expect(got.type === 'test.counter.incremented' && got.data.by).toBe(2);
});

test('publishing data that breaks the topic schema is refused before it reaches Kafka', async () => {
  await expect(
    publisher.publish(counterTopic, { type: 'test.counter.incremented', key: 'c-x', data: { counter: '', by: -1 } }),
  ).rejects.toMatchObject({
    code: 'INTERNAL',
    details: expect.arrayContaining([
      expect.objectContaining({ path: '$.data.counter' }),
      expect.objectContaining({ path: '$.data.by' }),
    ]),
  });
});

test('a transient handler error is retried with backoff and then succeeds once', async () => {
  let calls = 0;
  let applied = 0;
  const c = await consume('transient', async (e) => {
    if (e.subject !== 'transient') return;
    calls += 1;
    if (calls <= 2) throw new Error('store briefly unavailable');
    applied += 1;
  });
  await publisher.publish(counterTopic, {
    type: 'test.counter.reset',
    key: 'c-2',
    subject: 'transient',
    data: { counter: 'c-2' },
  });
  await waitUntil(() => applied === 1);
  expect(calls).toBe(3);
  expect(c.stats.retries).toBeGreaterThanOrEqual(2);
  expect(c.stats.deadLettered).toBe(0);
});

test('poison messages go to the dead-letter topic with their reason while later messages are processed', async () => {
  const processed: string[] = [];
  const c = await consume('poison', async (e) => {
    if (e.subject === 'poison-permanent') throw new PermanentError('counter c-9 belongs to no unit');
    if (e.subject === 'poison-transient') throw new Error('always failing dependency');
    if (e.subject?.startsWith('poison-ok')) processed.push(e.subject);
  });
  const good = (n: number) =>
    toKafkaMessage(
      {
        id: `ok-${n}-${ns.id}`,
        type: 'test.counter.reset',
        source: 'raw',
        time: new Date().toISOString(),
        subject: `poison-ok-${n}`,
        data: { counter: 'p' },
      },
      'p',
    );
  const producer = kafka.producer();
  await producer.connect();
  // All on one key, so one partition: the good message after the poison ones proves consumption went on.
  await producer.send({
    topic,
    messages: [
      { key: 'p', value: 'not a cloud event', headers: { 'x-origin': 'legacy' } },
      {
        ...toKafkaMessage(
          { id: `bad-json-${ns.id}`, type: 'test.counter.reset', source: 'raw', time: new Date().toISOString(), data: {} },
          'p',
        ),
        value: '{not json',
      },
      toKafkaMessage(
        {
          id: `schema-${ns.id}`,
          type: 'test.counter.incremented',
          source: 'raw',
          time: new Date().toISOString(),
          data: { counter: 'p', by: 'lots' },
        },
        'p',
      ),
      toKafkaMessage(
        { id: `unknown-${ns.id}`, type: 'test.counter.exploded', source: 'raw', time: new Date().toISOString(), data: {} },
        'p',
      ),
      toKafkaMessage(
        {
          id: `perm-${ns.id}`,
          type: 'test.counter.reset',
          source: 'raw',
          time: new Date().toISOString(),
          subject: 'poison-permanent',
          data: { counter: 'p' },
        },
        'p',
      ),
      toKafkaMessage(
        {
          id: `trans-${ns.id}`,
          type: 'test.counter.reset',
          source: 'raw',
          time: new Date().toISOString(),
          subject: 'poison-transient',
          data: { counter: 'p' },
        },
        'p',
      ),
      good(1),
    ],
  });
  await producer.disconnect();

  await waitUntil(() => processed.includes('poison-ok-1'));
  const dead = await dlqCollector.waitFor((m) => m.headers.dlq_consumer_group === ns.group('poison'), 6);
  const reasons = dead.map((m) => m.headers.dlq_reason ?? '');
  expect(reasons).toEqual([
    expect.stringContaining('missing CloudEvents header'),
    expect.stringContaining('value is not JSON'),
    expect.stringMatching(/schema: \$\.data\.by: .*number/),
    expect.stringContaining('unknown event type "test.counter.exploded"'),
    'handler: counter c-9 belongs to no unit',
    expect.stringContaining('transient error persisted after 4 attempts: always failing dependency'),
  ]);
  for (const m of dead) {
    expect(m.headers.dlq_source_topic).toBe(topic);
    expect(m.headers.dlq_source_partition).toMatch(/^\d+$/);
    expect(m.headers.dlq_source_offset).toMatch(/^\d+$/);
  }
  // The dead letter keeps the original bytes and headers so it can be inspected and replayed.
  expect(dead[0]!.raw.value?.toString()).toBe('not a cloud event');
  expect(dead[0]!.headers['x-origin']).toBe('legacy');
  expect(c.stats.deadLettered).toBe(6);
  // Operators see the same on /metrics: what the group dead-lettered, and that it has caught up.
  const metrics = await scrapeMetrics();
  const group = { messaging_consumer_group_name: ns.group('poison') };
  expect(metricValue(metrics, 'firegov_dlq_messages_total', group)).toBe(6);
  expect(metricValue(metrics, 'messaging_client_consumed_messages_total', { ...group, outcome: 'processed' })).toBe(
    c.stats.processed,
  );
  expect(metricValue(metrics, 'messaging_kafka_consumer_lag', group)).toBe(0);
});

test('batch mode hands a fetched batch to one call and isolates a poison event so only it is dead-lettered', async () => {
  const calls: number[] = [];
  const applied: string[] = [];
  const c = await startConsumer({
    kafka,
    groupId: ns.group('batch'),
    topics: [counterTopic],
    topicPrefix: ns.topicPrefix,
    publisher,
    logger,
    retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
    handler: () => Promise.reject(new Error('batch mode must not call the per-event handler')),
    batchHandler: async (events) => {
      calls.push(events.length);
      // A batch holding the poison event fails as a whole; retried one by one, only it fails.
      if (events.some((e) => e.subject === 'batch-poison')) throw new PermanentError('counter belongs to no unit');
      // The group reads the topic from the start: the other tests' events arrive too.
      applied.push(...events.map((e) => e.subject ?? '').filter((x) => x.startsWith('batch-')));
    },
  });
  consumers.push(c);
  const subjects = ['batch-1', 'batch-2', 'batch-poison', 'batch-3', 'batch-4'];
  // One request, one key: the consumer fetches them as one batch of one partition.
  await Promise.all(
    subjects.map((subject) =>
      publisher.publish(counterTopic, { type: 'test.counter.reset', key: 'batch', subject, data: { counter: 'b' } }),
    ),
  );
  await waitUntil(() => applied.length === 4);
  expect(applied).toEqual(['batch-1', 'batch-2', 'batch-3', 'batch-4']);
  expect(Math.max(...calls)).toBeGreaterThan(1);
  await waitUntil(() =>
    dlqCollector.messages.some(
      (m) => m.headers.dlq_consumer_group === ns.group('batch') && m.envelope?.subject === 'batch-poison',
    ),
  );
  const dead = dlqCollector.messages.filter(
    (m) => m.headers.dlq_consumer_group === ns.group('batch') && m.envelope?.subject?.startsWith('batch-'),
  );
  expect(dead.map((m) => m.envelope?.subject)).toEqual(['batch-poison']);
  expect(dead[0]!.headers.dlq_reason).toContain('counter belongs to no unit');
});

test('write-behind batch mode commits offsets only after a checkpoint whose flush succeeded', async () => {
  const seen: Array<Record<string, string[]>> = [{}, {}, {}];
  const mine = (events: ReadonlyArray<CounterEvent>) => events.map((e) => e.subject ?? '').filter((s) => s.startsWith('wb-'));
  const start = (n: number, flush: () => Promise<void>) =>
    startConsumer({
      kafka,
      groupId: ns.group('write-behind'),
      topics: [counterTopic],
      topicPrefix: ns.topicPrefix,
      publisher,
      logger,
      handler: () => Promise.reject(new Error('batch mode must not call the per-event handler')),
      batchHandler: async (events) => {
        for (const s of mine(events)) (seen[n]![s] ??= []).push(s);
      },
      // Longer than the test: only the stop checkpoints.
      checkpoint: { everyMs: 600_000, flush, reset: () => undefined },
    });
  const publish = (subject: string) =>
    publisher.publish(counterTopic, { type: 'test.counter.reset', key: 'wb', subject, data: { counter: 'wb' } });

  // The first member's flush fails (as if it died before writing): nothing is committed.
  const first = await start(0, () => Promise.reject(new Error('store unavailable')));
  await Promise.all(['wb-1', 'wb-2', 'wb-3'].map(publish));
  await waitUntil(() => Object.keys(seen[0]!).length === 3);
  await first.stop();
  expect(first.stats.checkpoints).toBe(0);

  // The next member is handed the same events again; its stop flushes and commits.
  let flushed = 0;
  const second = await start(1, async () => {
    flushed += 1;
  });
  await waitUntil(() => Object.keys(seen[1]!).length === 3);
  await second.stop();
  expect(Object.keys(seen[1]!).sort()).toEqual(['wb-1', 'wb-2', 'wb-3']);
  expect(flushed).toBe(1);
  expect(second.stats.checkpoints).toBe(1);

  // Committed: the third member sees only what came after.
  const third = await start(2, () => Promise.resolve());
  await publish('wb-4');
  await waitUntil(() => Object.keys(seen[2]!).length >= 1);
  await third.stop();
  expect(Object.keys(seen[2]!)).toEqual(['wb-4']);
}, 120_000);
