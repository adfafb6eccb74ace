import { trace, SpanKind as ApiSpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from '@firegov/kit';
import { deleteTopicsWithPrefix, ensureTopics, eventually, testKafka, testLogger, testNamespace } from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import {
  createPublisher,
  DEFAULT_DLQ_TOPIC,
  kafkaReadiness,
  PermanentError,
  startConsumer,
  type Publisher,
  type RunningConsumer,
} from '../src/index.ts';
import { counterTopic } from './fixtures/topics.ts';

const ns = testNamespace('events-tracing');
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let kafka: Kafka;
let publisher: Publisher;
let consumer: RunningConsumer;

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'tracing-test', spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  kafka = testKafka();
  await ensureTopics(kafka, [`${ns.topicPrefix}${counterTopic.name}`, `${ns.topicPrefix}${DEFAULT_DLQ_TOPIC}`]);
  publisher = await createPublisher({ kafka, source: 'tracing-test', topicPrefix: ns.topicPrefix });
});

afterAll(async () => {
  await consumer?.stop();
  await publisher.disconnect();
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
  await telemetry.shutdown();
});

test('a request span, its Kafka publish and the consumer handling it form one trace', async () => {
  let handlerTraceId: string | undefined;
  consumer = await startConsumer({
    kafka,
    groupId: ns.group('trace'),
    topics: [counterTopic],
    topicPrefix: ns.topicPrefix,
    publisher,
    logger: testLogger(),
    handler: async () => {
      handlerTraceId = trace.getActiveSpan()?.spanContext().traceId;
    },
  });
  const tracer = trace.getTracer('test');
  const requestTraceId = await tracer.startActiveSpan('POST /units', { kind: ApiSpanKind.SERVER }, async (span) => {
    await publisher.publish(counterTopic, { type: 'test.counter.reset', key: 'c', data: { counter: 'c' } });
    span.end();
    return span.spanContext().traceId;
  });

  await eventually(() => expect(handlerTraceId).toBe(requestTraceId));
  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === requestTraceId);
  const producer = spans.find((s) => s.kind === ApiSpanKind.PRODUCER)!;
  const consumerSpan = spans.find((s) => s.kind === ApiSpanKind.CONSUMER)!;
  expect(producer.name).toBe(`${ns.topicPrefix}${counterTopic.name} publish`);
  // The consumer span is the child of the producer span, not merely in the same trace.
  expect(consumerSpan.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  expect(consumerSpan.attributes['messaging.consumer.group.name']).toBe(ns.group('trace'));
});

test('a dead-lettered message’s DLQ publish is a span of its own trace, naming the reason', async () => {
  const poisoned = await startConsumer({
    kafka,
    groupId: ns.group('trace-dlq'),
    topics: [counterTopic],
    topicPrefix: ns.topicPrefix,
    publisher,
    logger: testLogger(),
    handler: async (e) => {
      if (e.key === 'poison') throw new PermanentError('counter poison belongs to no unit');
    },
  });
  try {
    const traceId = await trace.getTracer('test').startActiveSpan('POST /poison', async (span) => {
      await publisher.publish(counterTopic, { type: 'test.counter.reset', key: 'poison', data: { counter: 'poison' } });
      span.end();
      return span.spanContext().traceId;
    });
    const dlqSpan = () =>
      exporter
        .getFinishedSpans()
        .find((s) => s.spanContext().traceId === traceId && s.name === `${ns.topicPrefix}${DEFAULT_DLQ_TOPIC} publish`);
    await eventually(() => expect(dlqSpan()).toBeDefined());
    expect(dlqSpan()!.attributes).toMatchObject({
      'messaging.consumer.group.name': ns.group('trace-dlq'),
      'firegov.dlq.reason': 'handler: counter poison belongs to no unit',
    });
  } finally {
    await poisoned.stop();
  }
});

test('kafka readiness answers against the real broker and fails clearly against a dead one', async () => {
  const ok = kafkaReadiness(kafka);
  await expect(ok.check()).resolves.toBeUndefined();
  await ok.close();
  const dead = kafkaReadiness(testKafka('dead', ['127.0.0.1:1']));
  await expect(dead.check()).rejects.toThrow();
  await dead.close();
});
