import { createKafka, ensureTopicsExist, fromKafkaMessage, headerString, type EventEnvelope } from '@firegov/events';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { testEnv } from './env.ts';
import { testLogger } from './logger.ts';
import { eventually } from './eventually.ts';

export function testKafka(clientId = 'test', brokers: string[] = testEnv.KAFKA_BROKERS): Kafka {
  return createKafka({ brokers, clientId, logger: testLogger('kafka') });
}

/**
 * Creates topics up front so consumers and producers never race auto-creation. The platform's own
 * creator, not kafkajs's `waitForLeaders`: that polls metadata and, while a fresh topic is still
 * unknown to the broker, rejects with UNKNOWN_TOPIC_OR_PARTITION (one CI run lost a suite to it).
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 3): Promise<void> {
  await ensureTopicsExist(kafka, topics, numPartitions);
}

export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  headers: Record<string, string | undefined>;
  /** The decoded CloudEvent, when the message is one. */
  envelope: EventEnvelope | undefined;
  raw: KafkaMessage;
}

export interface TopicCollector {
  readonly messages: readonly CollectedMessage[];
  /** Resolves with the matching messages once at least `count` match, or rejects after `timeoutMs`. */
  waitFor(predicate: (m: CollectedMessage) => boolean, count?: number, timeoutMs?: number): Promise<CollectedMessage[]>;
  stop(): Promise<void>;
}

const SUBSCRIBE_WAIT_MS = 20_000;

/**
 * Subscribes once the broker's metadata knows `topics`. A topic another process has just created is
 * briefly unknown to the broker's metadata, and kafkajs's subscribe rejects then instead of waiting
 * (a newcomer run lost an e2e file's `beforeAll` to it): asked again until it is known, or 20 s.
 */
async function subscribeWhenKnown(consumer: Consumer, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + SUBSCRIBE_WAIT_MS;
  for (;;) {
    try {
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Reads `topics` from the beginning in the background, for "wait for an event on a topic" assertions. */
export async function collectTopics(kafka: Kafka, topics: readonly string[]): Promise<TopicCollector> {
  const messages: CollectedMessage[] = [];
  const consumer = kafka.consumer({ groupId: `collector-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await subscribeWhenKnown(consumer, topics);
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const decoded = fromKafkaMessage(message);
      const headers: Record<string, string | undefined> = {};
      for (const name of Object.keys(message.headers ?? {})) headers[name] = headerString(message.headers, name);
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8'),
        headers,
        envelope: decoded.ok ? decoded.envelope : undefined,
        raw: message,
      });
    },
  });
  return {
    messages,
    async waitFor(predicate, count = 1, timeoutMs = 20_000) {
      let matched: CollectedMessage[] = [];
      await eventually(
        () => {
          matched = messages.filter(predicate);
          if (matched.length < count)
            throw new Error(`saw ${matched.length}/${count} matching messages (of ${messages.length}) on ${topics.join(', ')}`);
        },
        { timeoutMs },
      );
      return matched;
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
