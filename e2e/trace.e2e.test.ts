import { eventually, testEnv } from '@firegov/testing';
import { seedTree, townshipA, VILLAGE_A1 } from './county.ts';
import { startServices, type RunningServices } from './harness.ts';
import { startJaeger, type ReceivedSpan, type TestJaeger } from './jaeger.ts';

// One trace, end to end, as an operator follows it: a client's mutation through the gateway →
// entities → its store write → the outbox relay publishing the event to Kafka (under the trace of the
// write that created it) → inspections consuming it → inspections' own store write. Every process
// exports over OTLP/HTTP to Jaeger, as under `npm start`, and the test finds the chain through
// Jaeger's query API, as an operator's UI does.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let jaeger: TestJaeger;
let s: RunningServices;

beforeAll(async () => {
  if (!testEnv.JAEGER_BIN) throw new Error('JAEGER_BIN is not set: run the tests with `npm test`, which builds Jaeger first');
  jaeger = await startJaeger(testEnv.JAEGER_BIN);
  s = await startServices('trace', ['entities', 'inspections'], { gateway: true, otlpEndpoint: jaeger.otlpEndpoint });
  await seedTree(s);
}, 90_000);
afterAll(async () => {
  await s?.stop();
  await jaeger?.close();
}, 60_000);

test('a mutation’s trace runs from the gateway through the store, Kafka and the consumer in another service to its store', async () => {
  const res = await fetch(`${s.url('gateway')}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await s.token(townshipA)}`,
      // The client starts the trace: every span below must carry this id.
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    },
    body: JSON.stringify({
      query: `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { __typename ... on MutationRegisterUnitSuccess { data { id } } } }`,
      variables: {
        input: {
          name: '追踪测试餐馆',
          category: 'restaurant',
          jurisdictionCode: VILLAGE_A1,
          address: '青龙乡青龙村场镇街 88 号',
          buildingUse: 'public',
          floors: 2,
          heightM: 7.5,
          occupancy: 30,
          responsiblePerson: { name: '李四', phone: '13912345670' },
        },
      },
    }),
  });
  const body = (await res.json()) as { data?: { registerUnit: { __typename: string } } };
  expect(body.data?.registerUnit.__typename).toBe('MutationRegisterUnitSuccess');

  let spans: ReceivedSpan[] = [];
  const trace = () => spans;
  const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
    const byId = new Map(trace().map((x) => [x.spanId, x]));
    const up: ReceivedSpan[] = [];
    for (
      let p = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      p;
      p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined
    )
      up.push(p);
    return up;
  };
  const onUnitsTopic = (x: ReceivedSpan) =>
    String(x.attributes['messaging.destination.name']).endsWith('firegov.entities.units.v1');
  const find = (service: string, kind: number, test: (x: ReceivedSpan) => boolean) =>
    trace().find((x) => x.service === service && x.kind === kind && test(x));
  // Each step is found as a descendant of the step before: one connected trace, not spans that
  // merely share an id.
  const chain = () => {
    const gateway = find('gateway', SERVER, () => true);
    const entities = find('entities', SERVER, (x) => !!gateway && ancestors(x).includes(gateway));
    const entitiesWrite = find(
      'entities',
      CLIENT,
      (x) =>
        x.attributes['db.collection.name'] === 'units' &&
        x.attributes['db.operation.name'] === 'insert' &&
        !!entities &&
        ancestors(x).includes(entities),
    );
    // The relay publishes under the trace of the write that stored the event.
    const publish = find('entities', PRODUCER, (x) => onUnitsTopic(x) && !!entities && ancestors(x).includes(entities));
    const consume = find('inspections', CONSUMER, (x) => onUnitsTopic(x) && !!publish && ancestors(x).includes(publish));
    const inspectionsWrite = find(
      'inspections',
      CLIENT,
      (x) =>
        x.attributes['db.system.name'] === 'mongodb' &&
        trace().some((c) => c.kind === CONSUMER && onUnitsTopic(c) && ancestors(x).includes(c)),
    );
    return { gateway, entities, entitiesWrite, publish, consume, inspectionsWrite };
  };
  // Spans are exported in batches (every few seconds per process).
  await eventually(
    async () => {
      spans = await jaeger.trace(TRACE_ID);
      const c = chain();
      expect(
        Object.entries(c)
          .filter(([, span]) => !span)
          .map(([step]) => step),
      ).toEqual([]);
    },
    { timeoutMs: 45_000, intervalMs: 500 },
  );
  const c = chain();
  expect(c.entitiesWrite?.attributes).toMatchObject({ 'db.system.name': 'mongodb', 'db.namespace': expect.any(String) });
  expect(c.consume?.attributes).toMatchObject({ 'messaging.system': 'kafka' });
}, 120_000);
