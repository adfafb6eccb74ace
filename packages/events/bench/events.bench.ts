// Events library overhead against raw kafkajs, measured in the same run on the same broker.
import { performance } from 'node:perf_hooks';
import { createLogger, connectMongo } from '@firegov/kit';
import { defineTopic } from '@firegov/contracts';
import { Partitioners, type Kafka } from 'kafkajs';
import { z } from 'zod';
import {
  createKafka,
  createPublisher,
  newOutbox,
  outboxEntry,
  startConsumer,
  startOutboxRelay,
  toKafkaMessage,
  newEnvelope,
} from '../src/index.ts';

export interface BenchRow {
  name: string;
  baseline: string;
  n: number;
  opsPerSec: number;
  baselineOpsPerSec: number;
}

const topic = defineTopic({
  name: 'firegov.bench.things.v1',
  owner: 'bench',
  description: 'bench',
  keyedBy: 'thing id',
  events: {
    'bench.thing.changed': z.object({ id: z.string(), name: z.string(), floors: z.number().int(), tags: z.array(z.string()) }),
  },
});

const data = (i: number) => ({ id: `t-${i}`, name: `单位 ${i}`, floors: i % 30, tags: ['a', 'b', 'c'] });

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let failure: Error | undefined;
  const t0 = performance.now();
  // On the first error stop handing out work but let in-flight calls finish, so cleanup never
  // drops a database under running writes.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n && failure === undefined) {
        try {
          await fn(next++);
        } catch (err) {
          failure ??= err instanceof Error ? err : new Error(JSON.stringify(err));
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
  return performance.now() - t0;
}

async function drain(
  kafka: Kafka,
  topicName: string,
  n: number,
  mode: 'raw' | 'runner',
  publisherSource: Awaited<ReturnType<typeof createPublisher>>,
): Promise<number> {
  const group = `bench-${mode}-${Date.now()}`;
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    setTimeout(() => reject(new Error(`${mode} consumer saw ${seen}/${n} messages in 120 s`)), 120_000).unref();
  });
  const t0 = performance.now();
  if (mode === 'raw') {
    const c = kafka.consumer({ groupId: group });
    await c.connect();
    await c.subscribe({ topic: topicName, fromBeginning: true });
    await c.run({ eachMessage: async () => void (++seen >= n && done()) });
    await finished;
    const ms = performance.now() - t0;
    await c.disconnect();
    return ms;
  }
  const c = await startConsumer({
    kafka,
    groupId: group,
    topics: [topic],
    topicPrefix: topicName.slice(0, -topic.name.length),
    publisher: publisherSource,
    logger: createLogger({ service: 'bench', level: 'silent' }),
    handler: async () => void (++seen >= n && done()),
  });
  await finished;
  const ms = performance.now() - t0;
  await c.stop();
  return ms;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

export async function runEventsBench(opts: {
  brokers: string[];
  mongoUrl: string;
  n: number;
  concurrency: number;
}): Promise<BenchRow[]> {
  const prefix = `bench.${Date.now().toString(36)}.`;
  const name = `${prefix}${topic.name}`;
  const kafka = createKafka({ brokers: opts.brokers, clientId: 'bench' });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: name, numPartitions: 3 }], waitForLeaders: true });
  const rows: BenchRow[] = [];
  const publisher = await createPublisher({ kafka, source: 'bench', topicPrefix: prefix });
  // Same producer settings as the publisher, so the comparison is of the library, not the config.
  const raw = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await raw.connect();
  try {
    // Warm both paths so connection set-up is not measured.
    await raw.send({
      topic: name,
      acks: -1,
      messages: [toKafkaMessage(newEnvelope({ type: 'bench.thing.changed', source: 'bench', data: data(0) }), 'w')],
    });
    await publisher.publish(topic, { type: 'bench.thing.changed', key: 'w', data: data(0) });

    progress('publish: raw kafkajs');
    const rawMs = await pool(opts.n, opts.concurrency, async (i) => {
      const env = newEnvelope({ type: 'bench.thing.changed', source: 'bench', data: data(i) });
      await raw.send({ topic: name, acks: -1, messages: [toKafkaMessage(env, `t-${i % 500}`)] });
    });
    progress('publish: firegov publisher');
    const oursMs = await pool(opts.n, opts.concurrency, async (i) => {
      await publisher.publish(topic, { type: 'bench.thing.changed', key: `t-${i % 500}`, data: data(i) });
    });
    rows.push({
      name: 'publish (validated, traced)',
      baseline: 'raw kafkajs send',
      n: opts.n,
      opsPerSec: (opts.n / oursMs) * 1000,
      baselineOpsPerSec: (opts.n / rawMs) * 1000,
    });

    const total = opts.n * 2 + 2;
    progress('consume: raw kafkajs');
    const rawConsumeMs = await drain(kafka, name, total, 'raw', publisher);
    progress('consume: firegov consumer runner');
    const runnerMs = await drain(kafka, name, total, 'runner', publisher);
    rows.push({
      name: 'consume (decode, validate, manual commit)',
      baseline: 'raw kafkajs eachMessage, auto-commit',
      n: total,
      opsPerSec: (total / runnerMs) * 1000,
      baselineOpsPerSec: (total / rawConsumeMs) * 1000,
    });

    const conn = await connectMongo(opts.mongoUrl, `bench_${Date.now().toString(36)}`);
    try {
      const direct = conn.db!.collection('direct');
      const boxed = conn.db!.collection('boxed');
      const m = Math.min(opts.n, 2000);
      // FerretDB on SQLite serialises writers; past ~16 concurrent writers it only queues them.
      const dbConcurrency = Math.min(opts.concurrency, 16);
      progress('write: insert then publish');
      const directMs = await pool(m, dbConcurrency, async (i) => {
        await direct.insertOne({ _id: `d-${i}` as never, ...data(i) });
        await publisher.publish(topic, { type: 'bench.thing.changed', key: `d-${i}`, data: data(i) });
      });
      progress('write: insert with outbox + relay');
      const relay = startOutboxRelay({
        collections: [boxed],
        publisher,
        logger: createLogger({ service: 'bench', level: 'silent' }),
        sweepIntervalMs: 60_000,
      });
      const t0 = performance.now();
      await pool(m, dbConcurrency, async (i) => {
        const entry = outboxEntry(topic, 'bench', { type: 'bench.thing.changed', key: `o-${i}`, data: data(i) });
        await boxed.insertOne({ _id: `o-${i}` as never, ...data(i), ...newOutbox([entry]) });
        relay.kick(boxed, [`o-${i}`]);
      });
      await relay.stop();
      const boxedMs = performance.now() - t0;
      rows.push({
        name: 'write + outbox relay (atomic)',
        baseline: 'insert then publish (not atomic)',
        n: m,
        opsPerSec: (m / boxedMs) * 1000,
        baselineOpsPerSec: (m / directMs) * 1000,
      });
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  } finally {
    await raw.disconnect();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.disconnect();
  }
  return rows;
}
