import type { EventTypeOf, TopicDef, TopicEvent } from '@firegov/contracts';
import type { Logger } from '@firegov/kit';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, sleepUnlessAborted } from './backoff.ts';
import { fromKafkaMessage } from './envelope.ts';
import { isPermanentByDefault } from './errors.ts';
import { ensureTopicsExist, topicName } from './kafka.ts';
import type { Publisher } from './publisher.ts';
import { contextFromKafkaHeaders, inSpan, SpanKind } from './tracing.ts';

export const DEFAULT_DLQ_TOPIC = 'firegov.dlq.v1';

/** What a handler receives: the typed event plus where it came from. */
export type ConsumedEvent<T extends TopicDef> = TopicEvent<T> & {
  id: string;
  source: string;
  time: string;
  subject: string | undefined;
  /** Logical topic name (without the deployment prefix). */
  topic: T['name'];
  partition: number;
  offset: string;
  key: string | undefined;
};

export interface RetryPolicy {
  /** Attempts for a transient error before the message is dead-lettered with that reason. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ConsumerOptions<T extends TopicDef> {
  kafka: Kafka;
  /**
   * The consumer group. With a topic prefix it is namespaced by it too: two deployments (or a test
   * run beside `npm start`) sharing a cluster read the same logical topics under different prefixes
   * and must never split one group's partitions between them.
   */
  groupId: string;
  topics: readonly T[];
  handler: (event: ConsumedEvent<T>) => Promise<void>;
  /** Used to write dead letters; the service's own publisher. */
  publisher: Publisher;
  logger: Logger;
  topicPrefix?: string;
  /** Logical dead-letter topic; one for the platform by default, filtered by the dlq_consumer_group header. */
  dlqTopic?: string;
  /** New groups start from the earliest offset so read models can be rebuilt by replay. */
  fromBeginning?: boolean;
  retry?: Partial<RetryPolicy>;
  isPermanent?: (err: unknown) => boolean;
  /** Commit at least every this many messages inside a batch (and always at its end). */
  commitEvery?: number;
  /** Partitions processed in parallel; order within a partition (one key) is always kept. */
  partitionsConsumedConcurrently?: number;
}

export interface ConsumerStats {
  processed: number;
  deadLettered: number;
  retries: number;
}

export interface RunningConsumer {
  readonly stats: Readonly<ConsumerStats>;
  /** Finishes the message in hand, commits what is done, leaves the group. */
  stop(): Promise<void>;
}

type Outcome = 'done' | 'dead-lettered' | 'abandoned';

/**
 * At-least-once delivery with exactly-once effects when handlers are idempotent:
 * - offsets are committed only after the handler's effect is stored (manual commit);
 * - transient errors retry with backoff, then dead-letter with the reason;
 * - undecodable, unknown-type, schema-invalid and permanently failing messages go to the
 *   dead-letter topic with reason, source topic, partition and offset headers, and consumption goes on.
 */
export async function startConsumer<T extends TopicDef>(opts: ConsumerOptions<T>): Promise<RunningConsumer> {
  const prefix = opts.topicPrefix ?? '';
  const groupId = prefix && !opts.groupId.startsWith(prefix) ? `${prefix}${opts.groupId}` : opts.groupId;
  const retry: RetryPolicy = { maxAttempts: 8, initialDelayMs: 200, maxDelayMs: 10_000, ...opts.retry };
  const isPermanent = opts.isPermanent ?? isPermanentByDefault;
  const commitEvery = opts.commitEvery ?? 100;
  const dlqTopic = topicName(prefix, opts.dlqTopic ?? DEFAULT_DLQ_TOPIC);
  const byName = new Map(opts.topics.map((t) => [topicName(prefix, t.name), t]));
  const stats: ConsumerStats = { processed: 0, deadLettered: 0, retries: 0 };
  const stopping = new AbortController();
  const log = opts.logger.child({ component: 'consumer', groupId });

  await ensureTopicsExist(opts.kafka, [...byName.keys(), dlqTopic]);
  const consumer: Consumer = opts.kafka.consumer({ groupId, allowAutoTopicCreation: true });
  await consumer.connect();
  await consumer.subscribe({ topics: [...byName.keys()], fromBeginning: opts.fromBeginning ?? true });

  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, reason: string, attempts: number) => {
    const headers: IHeaders = {
      ...message.headers,
      dlq_reason: reason.slice(0, 2000),
      dlq_source_topic: topic,
      dlq_source_partition: String(partition),
      dlq_source_offset: message.offset,
      dlq_consumer_group: groupId,
      dlq_failed_at: new Date().toISOString(),
      dlq_attempts: String(attempts),
    };
    // If this send fails the batch fails and nothing is committed: the message is not lost.
    await opts.publisher.sendRaw(dlqTopic, [{ key: message.key, value: message.value, headers }]);
    stats.deadLettered += 1;
    log.warn({ topic, partition, offset: message.offset, reason }, 'message dead-lettered');
  };

  const processOne = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> => {
    const def = byName.get(topic);
    const decoded = fromKafkaMessage(message);
    if (!decoded.ok) {
      await deadLetter(topic, partition, message, `envelope: ${decoded.reason}`, 0);
      return 'dead-lettered';
    }
    const env = decoded.envelope;
    const schema = def?.events[env.type];
    if (!def || !schema) {
      await deadLetter(topic, partition, message, `unknown event type "${env.type}" on topic ${topic}`, 0);
      return 'dead-lettered';
    }
    const parsed = schema.safeParse(env.data);
    if (!parsed.success) {
      const why = parsed.error.issues.map(
        (i) => `$.data${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
      );
      await deadLetter(topic, partition, message, `schema: ${why.join('; ')}`, 0);
      return 'dead-lettered';
    }
    const event = {
      type: env.type as EventTypeOf<T>,
      data: parsed.data,
      id: env.id,
      source: env.source,
      time: env.time,
      subject: env.subject,
      topic: def.name,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8'),
    } as ConsumedEvent<T>;

    for (let attempt = 1; ; attempt += 1) {
      try {
        await inSpan(
          `${topic} process`,
          SpanKind.CONSUMER,
          contextFromKafkaHeaders(message.headers),
          {
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.message.id': env.id,
            'messaging.consumer.group.name': groupId,
            'messaging.kafka.offset': Number(message.offset),
          },
          () => opts.handler(event),
        );
        stats.processed += 1;
        return 'done';
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (isPermanent(err)) {
          await deadLetter(topic, partition, message, `handler: ${reason}`, attempt);
          return 'dead-lettered';
        }
        if (attempt >= retry.maxAttempts) {
          await deadLetter(
            topic,
            partition,
            message,
            `handler: transient error persisted after ${attempt} attempts: ${reason}`,
            attempt,
          );
          return 'dead-lettered';
        }
        stats.retries += 1;
        const delay = backoffDelay(attempt, retry.initialDelayMs, retry.maxDelayMs);
        log.warn({ topic, partition, offset: message.offset, attempt, delay, err: reason }, 'handler failed; retrying');
        if (!(await sleepUnlessAborted(delay, stopping.signal))) return 'abandoned';
        await heartbeat();
      }
    }
  };

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const heartbeat = () => payload.heartbeat();
      let pending: string | undefined;
      let sinceCommit = 0;
      const commit = async () => {
        if (pending === undefined) return;
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(pending) + 1n).toString() },
        ]);
        pending = undefined;
        sinceCommit = 0;
      };
      try {
        for (const message of batch.messages) {
          if (stopping.signal.aborted || !payload.isRunning() || payload.isStale()) break;
          const outcome = await processOne(batch.topic, batch.partition, message, heartbeat);
          // Abandoned = shutting down mid-retry: leave it uncommitted so the next owner gets it.
          if (outcome === 'abandoned') break;
          payload.resolveOffset(message.offset);
          pending = message.offset;
          sinceCommit += 1;
          if (sinceCommit >= commitEvery) await commit();
        }
      } finally {
        await commit();
      }
    },
  });

  return {
    stats,
    async stop() {
      stopping.abort();
      await consumer.disconnect();
    },
  };
}
