import type { EventTypeOf, TopicDef, TopicEvent } from '@firegov/contracts';
import type { Logger } from '@firegov/kit';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, sleepUnlessAborted } from './backoff.ts';
import { fromKafkaMessage } from './envelope.ts';
import { isPermanentByDefault } from './errors.ts';
import { ensureTopicsExist, topicName } from './kafka.ts';
import type { Publisher } from './publisher.ts';
import { eventMetrics } from './metrics.ts';
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
  /**
   * Batch mode for high-rate topics (sensor readings): the valid events of a fetched batch in one
   * call, so a handler can write once per batch instead of once per event. Retries as `handler`
   * does; when the batch fails for good, its events are retried one at a time so only the poison
   * ones are dead-lettered. `handler` is then not called.
   */
  batchHandler?: (events: ReadonlyArray<ConsumedEvent<T>>) => Promise<void>;
  /**
   * Batch mode only: the handler keeps its effects in memory and makes them durable in `flush`
   * (write-behind), so offsets are committed only after a flush that covers them: every
   * `everyMs`, and once more when the consumer stops. A crash replays from the last checkpoint, so
   * the handler must skip what it has already applied. When the group rebalances, the offsets not
   * yet checkpointed are forgotten (the partitions' next owner replays them) and `reset` is called
   * so the handler drops what it holds in memory.
   */
  checkpoint?: Checkpoint;
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

export interface Checkpoint {
  everyMs: number;
  flush: () => Promise<void>;
  reset: () => void;
}

export interface ConsumerStats {
  processed: number;
  deadLettered: number;
  retries: number;
  /** Write-behind checkpoints committed (batch mode with `checkpoint`). */
  checkpoints: number;
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
  const stats: ConsumerStats = { processed: 0, deadLettered: 0, retries: 0, checkpoints: 0 };
  const checkpoint = opts.batchHandler ? opts.checkpoint : undefined;
  const stopping = new AbortController();
  const log = opts.logger.child({ component: 'consumer', groupId });
  const metrics = eventMetrics();
  /** What the group did with messages of `topic`: in `stats` and on /metrics alike. */
  const count = (topic: string, n: number, outcome: 'processed' | 'dead_lettered') => {
    const attrs = { 'messaging.consumer.group.name': groupId, 'messaging.destination.name': topic };
    metrics.consumed.add(n, { ...attrs, outcome });
    if (outcome === 'processed') stats.processed += n;
    else {
      stats.deadLettered += n;
      metrics.deadLettered.add(n, attrs);
    }
  };

  // The broker may be restarting while this starts (the fault drill restarted it while a service
  // that had just been restarted was joining): each step is tried again until Kafka answers,
  // instead of rejecting into the service's start-up and ending a process that already serves.
  const untilKafkaAnswers = async (step: string, fn: () => Promise<unknown>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await fn();
        return;
      } catch (err) {
        const delay = backoffDelay(attempt, 500, 10_000);
        log.warn({ err, attempt, retryInMs: delay }, `${step} failed; trying again`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  await untilKafkaAnswers('creating the topics', () => ensureTopicsExist(opts.kafka, [...byName.keys(), dlqTopic]));
  const consumer: Consumer = opts.kafka.consumer({ groupId, allowAutoTopicCreation: true });
  await untilKafkaAnswers('connecting the consumer', () => consumer.connect());
  await untilKafkaAnswers('subscribing', () =>
    consumer.subscribe({ topics: [...byName.keys()], fromBeginning: opts.fromBeginning ?? true }),
  );

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
    // The dead letter is a span of the message's own trace, so an operator finds where it ended.
    await inSpan(
      `${dlqTopic} publish`,
      SpanKind.PRODUCER,
      contextFromKafkaHeaders(message.headers),
      {
        'messaging.system': 'kafka',
        'messaging.destination.name': dlqTopic,
        'messaging.consumer.group.name': groupId,
        'firegov.dlq.reason': reason.slice(0, 200),
        'firegov.dlq.source_topic': topic,
      },
      () => opts.publisher.sendRaw(dlqTopic, [{ key: message.key, value: message.value, headers }]),
    );
    count(topic, 1, 'dead_lettered');
    log.warn({ topic, partition, offset: message.offset, reason }, 'message dead-lettered');
  };

  /** The typed event of a message, or null once it has been dead-lettered as undecodable. */
  const decode = async (topic: string, partition: number, message: KafkaMessage): Promise<ConsumedEvent<T> | null> => {
    const def = byName.get(topic);
    const decoded = fromKafkaMessage(message);
    if (!decoded.ok) {
      await deadLetter(topic, partition, message, `envelope: ${decoded.reason}`, 0);
      return null;
    }
    const env = decoded.envelope;
    const schema = def?.events[env.type];
    if (!def || !schema) {
      await deadLetter(topic, partition, message, `unknown event type "${env.type}" on topic ${topic}`, 0);
      return null;
    }
    const parsed = schema.safeParse(env.data);
    if (!parsed.success) {
      const why = parsed.error.issues.map(
        (i) => `$.data${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
      );
      await deadLetter(topic, partition, message, `schema: ${why.join('; ')}`, 0);
      return null;
    }
    return {
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
  };

  /** Runs `work` with retries; dead-letters `messages` when it fails for good. */
  const attempt = async (
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    work: () => Promise<void>,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> => {
    const first = messages[0];
    if (!first) return 'done';
    const deadLetterAll = async (reason: string, attempts: number) => {
      for (const m of messages) await deadLetter(topic, partition, m, reason, attempts);
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await inSpan(
          `${topic} process`,
          SpanKind.CONSUMER,
          contextFromKafkaHeaders(first.headers),
          {
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.consumer.group.name': groupId,
            'messaging.kafka.offset': Number(first.offset),
            'messaging.batch.message_count': messages.length,
          },
          work,
        );
        count(topic, messages.length, 'processed');
        return 'done';
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (isPermanent(err)) {
          await deadLetterAll(`handler: ${reason}`, attempt);
          return 'dead-lettered';
        }
        if (attempt >= retry.maxAttempts) {
          await deadLetterAll(`handler: transient error persisted after ${attempt} attempts: ${reason}`, attempt);
          return 'dead-lettered';
        }
        stats.retries += 1;
        const delay = backoffDelay(attempt, retry.initialDelayMs, retry.maxDelayMs);
        log.warn({ topic, partition, offset: first.offset, attempt, delay, err: reason }, 'handler failed; retrying');
        if (!(await sleepUnlessAborted(delay, stopping.signal))) return 'abandoned';
        await heartbeat();
      }
    }
  };

  const processOne = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> => {
    const event = await decode(topic, partition, message);
    if (!event) return 'dead-lettered';
    return attempt(topic, partition, [message], () => opts.handler(event), heartbeat);
  };

  // Batch mode: one call for the batch; when it fails for good, one call per event so that only
  // the events that fail on their own are dead-lettered (a poison reading must not take its
  // batch-mates with it).
  const processBatch = async (
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
    handle: NonNullable<ConsumerOptions<T>['batchHandler']>,
  ): Promise<Outcome> => {
    const decoded: Array<{ message: KafkaMessage; event: ConsumedEvent<T> }> = [];
    for (const message of messages) {
      const event = await decode(topic, partition, message);
      if (event) decoded.push({ message, event });
    }
    if (decoded.length === 0) return 'done';
    const whole = await attemptQuietly(topic, partition, decoded, handle, heartbeat);
    if (whole !== 'failed') return whole;
    for (const { message, event } of decoded) {
      const one = await attempt(topic, partition, [message], () => handle([event]), heartbeat);
      if (one === 'abandoned') return one;
    }
    return 'done';
  };

  /** One try of the whole batch with the transient-retry policy; 'failed' instead of dead-lettering. */
  const attemptQuietly = async (
    topic: string,
    partition: number,
    decoded: ReadonlyArray<{ message: KafkaMessage; event: ConsumedEvent<T> }>,
    handle: NonNullable<ConsumerOptions<T>['batchHandler']>,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome | 'failed'> => {
    if (decoded.length === 1) return 'failed';
    for (let n = 1; n <= retry.maxAttempts; n += 1) {
      try {
        await handle(decoded.map((d) => d.event));
        count(topic, decoded.length, 'processed');
        return 'done';
      } catch (err) {
        if (isPermanent(err)) break;
        stats.retries += 1;
        const delay = backoffDelay(n, retry.initialDelayMs, retry.maxDelayMs);
        log.warn({ topic, partition, size: decoded.length, attempt: n, err: (err as Error).message }, 'batch failed; retrying');
        if (!(await sleepUnlessAborted(delay, stopping.signal))) return 'abandoned';
        await heartbeat();
      }
    }
    return 'failed';
  };

  // Checkpointing (write-behind batch mode): offsets resolved since the last checkpoint, per partition.
  let uncheckpointed = new Map<string, string>();
  let checkpointing: Promise<void> = Promise.resolve();
  const runCheckpoint = async () => {
    if (!checkpoint) return;
    const offsets = uncheckpointed;
    uncheckpointed = new Map();
    try {
      await checkpoint.flush();
      if (offsets.size === 0) return;
      await consumer.commitOffsets(
        [...offsets].map(([tp, offset]) => {
          const [topic = '', partition = '0'] = tp.split('\u0000');
          return { topic, partition: Number(partition), offset: (BigInt(offset) + 1n).toString() };
        }),
      );
      stats.checkpoints += 1;
    } catch (err) {
      // Not committed: the next checkpoint commits these offsets (or a replay re-applies them).
      for (const [tp, offset] of offsets) if (!uncheckpointed.has(tp)) uncheckpointed.set(tp, offset);
      log.warn({ err: (err as Error).message }, 'checkpoint failed; retrying at the next one');
    }
  };
  /** Checkpoints never overlap: each waits for the one before. */
  const checkpointNow = () => (checkpointing = checkpointing.then(runCheckpoint));
  const inFlight = new Set<Promise<void>>();
  let checkpointTimer: NodeJS.Timeout | undefined;
  if (checkpoint) {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // What was not checkpointed is replayed by the partitions' owners from the committed offsets.
      // (A checkpoint already writing when the group rebalances finishes: it may store a state the
      // partition's new owner has already moved past, which that owner's next checkpoint repairs.)
      uncheckpointed = new Map();
      checkpoint.reset();
    });
    checkpointTimer = setInterval(() => void checkpointNow(), checkpoint.everyMs);
    checkpointTimer.unref();
  }

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
    eachBatch: async (payload) => {
      const running = handleBatch(payload);
      inFlight.add(running);
      try {
        await running;
      } finally {
        inFlight.delete(running);
      }
    },
  });

  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const lagAttrs = {
      'messaging.consumer.group.name': groupId,
      'messaging.destination.name': batch.topic,
      'messaging.destination.partition.id': String(batch.partition),
    };
    // Behind by the whole batch while it is handled; by what is left after it once done.
    if (!batch.isEmpty()) metrics.lag.set(lagAttrs, Number(batch.offsetLagLow()) + 1);
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
      if (opts.batchHandler) {
        const messages = batch.messages;
        const last = messages.at(-1);
        if (!last || stopping.signal.aborted || !payload.isRunning() || payload.isStale()) return;
        const outcome = await processBatch(batch.topic, batch.partition, messages, heartbeat, opts.batchHandler);
        if (outcome === 'abandoned') return;
        payload.resolveOffset(last.offset);
        // Write-behind: the offset waits for the checkpoint that makes the batch's effects durable.
        if (checkpoint) uncheckpointed.set(`${batch.topic}\u0000${batch.partition}`, last.offset);
        else pending = last.offset;
        return;
      }
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
      metrics.lag.set(lagAttrs, Math.max(0, Number(batch.offsetLag())));
    }
  }

  return {
    stats,
    async stop() {
      stopping.abort();
      if (checkpoint) {
        // The last checkpoint must commit while this member still holds its partitions.
        clearInterval(checkpointTimer);
        await Promise.allSettled([...inFlight]);
        await checkpointNow();
      }
      await consumer.disconnect();
      // Another member owns these partitions now and reports their lag.
      metrics.lag.drop({ 'messaging.consumer.group.name': groupId });
    },
  };
}
