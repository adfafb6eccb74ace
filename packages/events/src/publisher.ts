import type { EventData, EventTypeOf, TopicDef } from '@firegov/contracts';
import { AppError, detailsFromZod } from '@firegov/kit';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { newEnvelope, toKafkaMessage, type EventEnvelope } from './envelope.ts';
import { topicName } from './kafka.ts';
import { contextFromTraceHeaders, currentTraceHeaders, failSpan, SpanKind, startSpan } from './tracing.ts';

export interface PublishInput<T extends TopicDef, K extends EventTypeOf<T>> {
  type: K;
  data: EventData<T, K>;
  /** Kafka key: the aggregate id the topic is keyed by (see the topic's keyedBy). */
  key: string;
  subject?: string;
  id?: string;
  time?: string;
}

/** An envelope already built and stored (by the outbox), ready to send as is. */
export interface StoredEvent {
  topic: string;
  key: string;
  envelope: EventEnvelope;
}

export interface Publisher {
  readonly source: string;
  /** Validates the data against the topic's schema, then sends with acks=all. */
  publish<T extends TopicDef, K extends EventTypeOf<T>>(topic: T, input: PublishInput<T, K>): Promise<EventEnvelope>;
  /** Sends stored envelopes in order (per topic), keeping their ids, times and trace context. */
  sendStored(events: readonly StoredEvent[]): Promise<void>;
  /** Sends raw messages (dead-letter copies keep the original bytes and headers). */
  sendRaw(topic: string, messages: Message[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Builds a validated envelope for `topic`; throws VALIDATION_FAILED naming each bad field of `data`. */
export function buildEnvelope<T extends TopicDef, K extends EventTypeOf<T>>(
  topic: T,
  source: string,
  input: PublishInput<T, K>,
): EventEnvelope<EventData<T, K>> {
  const schema = topic.events[input.type];
  if (!schema) throw new AppError('INTERNAL', `event type ${input.type} is not declared on topic ${topic.name}`);
  const parsed = schema.safeParse(input.data);
  if (!parsed.success) {
    throw new AppError('INTERNAL', `event ${input.type} does not match its schema on ${topic.name}`, {
      details: detailsFromZod(parsed.error, '$.data'),
    });
  }
  return newEnvelope({
    type: input.type,
    source,
    subject: input.subject,
    data: parsed.data as EventData<T, K>,
    ...(input.id ? { id: input.id } : {}),
    ...(input.time ? { time: input.time } : {}),
    ...currentTraceHeaders(),
  });
}

/**
 * An idempotent producer (acks=all, one request in flight per broker so retries cannot reorder):
 * Kafka de-duplicates the producer's own retries, and consumers de-duplicate by event id.
 */
export async function createPublisher(opts: { kafka: Kafka; source: string; topicPrefix?: string }): Promise<Publisher> {
  const prefix = opts.topicPrefix ?? '';
  const producer: Producer = opts.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // An idempotent producer keeps retrying (kafkajs warns when its retries are capped): Kafka
    // de-duplicates its resends, so a broker outage delays a publish instead of failing it.
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    allowAutoTopicCreation: true,
    // Java-client-compatible murmur2 partitioning, so keys land where other Kafka clients put them.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  // kafkajs assigns idempotent sequence numbers per request; concurrent sends on one producer can
  // reach the broker out of order (OUT_OF_ORDER_SEQUENCE_NUMBER, kafkajs #598) and then stall in
  // retries. So one send is in flight at a time, and whatever queued meanwhile goes out together
  // in the next request (group commit), in call order, so per-key order holds.
  const queue: Array<{ byTopic: Map<string, Message[]>; resolve: () => void; reject: (err: unknown) => void }> = [];
  let pumping = false;
  const pump = async (): Promise<void> => {
    pumping = true;
    while (queue.length > 0) {
      const group = queue.splice(0, queue.length);
      const merged = new Map<string, Message[]>();
      for (const { byTopic } of group)
        for (const [topic, messages] of byTopic) merged.set(topic, [...(merged.get(topic) ?? []), ...messages]);
      try {
        await producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...merged].map(([topic, messages]) => ({ topic, messages })),
        });
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    pumping = false;
  };
  const sendGrouped = (byTopic: Map<string, Message[]>): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ byTopic, resolve, reject });
      if (!pumping) void pump();
    });

  const sendStored = async (events: readonly StoredEvent[]): Promise<void> => {
    if (events.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    // Each event continues the trace of the request that produced it (for outbox events, the
    // request that wrote the document), through a producer span that covers the send.
    const spans = events.map((e) => {
      const name = topicName(prefix, e.topic);
      const { span, ctx } = startSpan(`${name} publish`, SpanKind.PRODUCER, contextFromTraceHeaders(e.envelope), {
        'messaging.system': 'kafka',
        'messaging.destination.name': name,
        'messaging.message.id': e.envelope.id,
      });
      const list = byTopic.get(name) ?? [];
      list.push(toKafkaMessage({ ...e.envelope, ...currentTraceHeaders(ctx) }, e.key));
      byTopic.set(name, list);
      return span;
    });
    try {
      await sendGrouped(byTopic);
    } catch (err) {
      for (const span of spans) failSpan(span, err);
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  };

  return {
    source: opts.source,
    async publish(topic, input) {
      const envelope = buildEnvelope(topic, opts.source, input);
      await sendStored([{ topic: topic.name, key: input.key, envelope }]);
      return envelope;
    },
    sendStored,
    async sendRaw(topic, messages) {
      await sendGrouped(new Map([[topic, messages]]));
    },
    async disconnect() {
      await producer.disconnect();
    },
  };
}
