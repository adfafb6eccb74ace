import type { Identity } from '@firegov/auth';
import { personalDataReadTopics } from '@firegov/contracts';
import { createPublisher, personalDataReadPublisher, type Publisher } from '@firegov/events';
import { collectTopics, deleteTopicsWithPrefix, ensureTopics, testKafka, testLogger, testNamespace } from '@firegov/testing';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { parsePurpose, personalDataAuditPlugin, showPersonalData, type PersonalDataAuditSink } from '../src/index.ts';

// The audit plugin with a real publisher: an answer that shows a phone unmasked is announced before
// it leaves; when the announcement cannot be made (the producer is gone) the answer is withheld.

const officer: Identity = { subject: 'officer', role: 'township_officer', jurisdiction: '500230213000' };
const brigade: Identity = { subject: 'brigade', role: 'fire_brigade', jurisdiction: '500230000000' };

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      phone: {
        type: GraphQLString,
        resolve: (_r, _a, ctx: { identity: Identity }) =>
          showPersonalData(ctx, ctx.identity, 'Query.phone') ? '13912345678' : '139****5678',
      },
    },
  }),
});

function server(identity: Identity, sink?: PersonalDataAuditSink) {
  return createYoga({
    schema,
    logging: false,
    context: () => ({ identity }),
    plugins: sink ? [personalDataAuditPlugin({ sink, logger: testLogger(), identityOf: () => identity })] : [],
  });
}

async function ask(yoga: ReturnType<typeof server>, headers: Record<string, string> = {}) {
  const res = await yoga.fetch('http://subgraph/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ phone }' }),
  });
  return (await res.json()) as { data?: { phone: string } | null; errors?: Array<{ extensions?: { code?: string } }> };
}

const ns = testNamespace('pii-plugin');
const kafka = testKafka();
let publisher: Publisher;

beforeAll(async () => {
  await ensureTopics(kafka, [`${ns.topicPrefix}${personalDataReadTopics.entities.name}`]);
  publisher = await createPublisher({ kafka, source: 'entities', topicPrefix: ns.topicPrefix });
});

afterAll(async () => {
  await publisher.disconnect().catch(() => undefined);
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
});

test('an unmasked answer is announced once, with the declared purpose decoded', async () => {
  const topic = `${ns.topicPrefix}${personalDataReadTopics.entities.name}`;
  const collector = await collectTopics(kafka, [topic]);
  try {
    const answer = await ask(server(officer, personalDataReadPublisher(publisher, 'entities')), {
      'x-access-purpose': encodeURIComponent('隐患复查'),
    });
    expect(answer.data?.phone).toBe('13912345678');
    const [m] = await collector.waitFor((x) => x.topic === topic);
    expect(m?.envelope?.data).toMatchObject({
      service: 'entities',
      purpose: '隐患复查',
      reader: { subject: 'officer' },
      revealed: [{ field: 'Query.phone', count: 1 }],
      operation: { type: 'query', name: null, rootFields: [{ field: 'Query.phone', args: {} }] },
    });
    expect(m?.key).toBe('officer');
  } finally {
    await collector.stop();
  }
});

test('a masked answer is not announced', async () => {
  const sent: unknown[] = [];
  const answer = await ask(server(brigade, async (r) => void sent.push(r)));
  expect(answer.data?.phone).toBe('139****5678');
  expect(sent).toEqual([]);
});

test('when the announcement cannot be made the answer is withheld', async () => {
  const gone = await createPublisher({ kafka, source: 'entities', topicPrefix: ns.topicPrefix });
  await gone.disconnect();
  const answer = await ask(server(officer, personalDataReadPublisher(gone, 'entities')));
  expect(answer.data ?? null).toBeNull();
  expect(answer.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  expect(JSON.stringify(answer)).not.toContain('13912345678');
});

test('without an audit nothing personal is shown unmasked', async () => {
  const answer = await ask(server(officer));
  expect(answer.data?.phone).toBe('139****5678');
});

test('a declared purpose is trimmed, decoded and bounded', () => {
  expect(parsePurpose(null)).toEqual({ ok: true, purpose: null });
  expect(parsePurpose('   ')).toEqual({ ok: true, purpose: null });
  expect(parsePurpose(` ${encodeURIComponent('入户核查')} `)).toEqual({ ok: true, purpose: '入户核查' });
  expect(parsePurpose('%E4%ZZ')).toEqual({ ok: false, reason: 'is not valid percent-encoding' });
  expect(parsePurpose('x'.repeat(201))).toEqual({ ok: false, reason: 'must be at most 200 characters' });
});
