import net from 'node:net';
import { deleteTopicsWithPrefix, eventually, freePort, testEnv, testKafka, testLogger, testNamespace } from '@firegov/testing';
import { Kafka, logLevel } from 'kafkajs';
import { createPublisher, startConsumer, type ConsumedEvent, type Publisher, type RunningConsumer } from '../src/index.ts';
import { counterTopic } from './fixtures/topics.ts';

// A consumer starting while the broker is away (restarting, as in the fault drill) keeps trying and
// joins once it answers, instead of rejecting into the service's start-up and ending the process.
// The broker is reached through a TCP forwarder that refuses connections until it is opened.

const ns = testNamespace('events-broker-down');
const [brokerHost, brokerPort] = testEnv.KAFKA_BROKERS[0]!.split(':') as [string, string];
let forwarder: net.Server | undefined;
let consumer: RunningConsumer | undefined;
let dlq: Publisher | undefined;
const sockets = new Set<net.Socket>();

afterAll(async () => {
  await consumer?.stop();
  await dlq?.disconnect();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => (forwarder ? forwarder.close(resolve) : resolve(undefined)));
  await deleteTopicsWithPrefix(testKafka(), ns.topicPrefix);
});

function openForwarder(port: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(brokerPort), brokerHost);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

test('a consumer started while Kafka is unreachable joins once it answers and consumes', async () => {
  const port = await freePort();
  // Few retries of kafkajs's own, so its connect gives up (and ours tries again) within the test.
  const kafka = new Kafka({
    clientId: 'broker-down',
    brokers: [`127.0.0.1:${port}`],
    connectionTimeout: 500,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  });
  const seen: Array<ConsumedEvent<typeof counterTopic>> = [];
  let settled: 'resolved' | 'rejected' | undefined;
  const starting = startConsumer({
    kafka,
    groupId: ns.group('counting'),
    topics: [counterTopic],
    topicPrefix: ns.topicPrefix,
    publisher: (dlq = await createPublisher({ kafka: testKafka(), source: 'broker-down-dlq', topicPrefix: ns.topicPrefix })),
    logger: testLogger(),
    handler: async (event) => {
      seen.push(event);
    },
  }).then(
    (c) => {
      settled = 'resolved';
      return c;
    },
    (err: unknown) => {
      settled = 'rejected';
      throw err;
    },
  );

  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(settled).toBeUndefined();

  forwarder = await openForwarder(port);
  consumer = await starting;
  expect(settled).toBe('resolved');

  const publisher = await createPublisher({ kafka: testKafka(), source: 'broker-down-test', topicPrefix: ns.topicPrefix });
  try {
    await publisher.publish(counterTopic, { type: 'test.counter.incremented', key: 'c1', data: { counter: 'c1', by: 2 } });
  } finally {
    await publisher.disconnect();
  }
  await eventually(() => expect(seen.map((e) => e.data)).toEqual([{ counter: 'c1', by: 2 }]), { timeoutMs: 30_000 });
});
