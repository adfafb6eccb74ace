import { randomUUID } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { personalDataReadTopics, type PersonalDataRead } from '@firegov/contracts';
import type { RunningConsumer } from '@firegov/events';
import { eventually, testLogger } from '@firegov/testing';
import { startPersonalDataTrailConsumer } from '../../src/events/inbound/personal-data-reads.ts';
import { brigade, COUNTY, countyAdmin, seedTree, startHarness, townshipA, validUnit, type Harness } from '../harness.ts';

// 个人信息查询记录: a township officer's answer that shows a responsible person's phone and ID number
// unmasked is announced on the entities personal-data-reads topic before it is returned, kept in
// the county's trail through the real topic, and read back by the county administrator; a masked
// answer records nothing, and only county administrators read the trail, of their own county.

let h: Harness;
let consumer: RunningConsumer | undefined;
let unitId: string;

const otherCountyAdmin: Identity = { subject: 'other-admin', role: 'county_admin', jurisdiction: '500231000000' };

async function ask(identity: Identity, query: string, variables: Record<string, unknown>, purpose?: string) {
  const res = await fetch(`${h.server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await h.token(identity)}`,
      ...(purpose !== undefined ? { 'x-access-purpose': purpose } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string; details?: unknown } }>;
  };
}

const UNIT = `query Check($id: ID!) { unit(id: $id) { name responsiblePerson { name phone idNumber } } }`;
const TRAIL = `query Trail($reader: String, $first: Int, $after: String) {
  personalDataReads(reader: $reader, first: $first, after: $after) {
    totalCount hasNextPage endCursor
    nodes { id at service purpose operationType operationName traceId
      reader { subject role jurisdiction }
      rootFields { field arguments }
      revealed { field count } }
  }
}`;

type TrailPage = {
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  nodes: Array<{
    id: string;
    service: string;
    purpose: string | null;
    operationType: string;
    operationName: string | null;
    reader: { subject: string; role: string; jurisdiction: string };
    rootFields: Array<{ field: string; arguments: string }>;
    revealed: Array<{ field: string; count: number }>;
  }>;
};

const trail = async (who: Identity, vars: Record<string, unknown> = {}) =>
  (await ask(who, TRAIL, vars)).data?.personalDataReads as TrailPage;

beforeAll(async () => {
  h = await startHarness('entities-pii-audit');
  await seedTree(h);
  consumer = await startPersonalDataTrailConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    trail: h.trail,
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('pii-trail'),
  });
  await h.trail.rebuildIfLost();
  unitId = (await h.services.units.register(townshipA, validUnit()))._id;
});

afterAll(async () => {
  await consumer?.stop();
  await h?.close();
});

test('an unmasked answer is announced with who, why and what, and lands in the county trail', async () => {
  const purpose = encodeURIComponent('入户核查：消防安全责任人联系方式');
  const answer = await ask(townshipA, UNIT, { id: unitId }, purpose);
  expect(answer.errors).toBeUndefined();
  expect(answer.data?.unit).toMatchObject({ responsiblePerson: { phone: '13912345678', idNumber: '11010519491231002X' } });

  const [message] = await h.events.waitFor(
    (m) => m.topic === h.topic(personalDataReadTopics.entities.name) && m.envelope?.type === 'entities.personal_data.read',
  );
  const read = message?.envelope?.data as PersonalDataRead;
  expect(read).toMatchObject({
    service: 'entities',
    reader: { subject: townshipA.subject, role: 'township_officer', jurisdiction: townshipA.jurisdiction },
    purpose: '入户核查：消防安全责任人联系方式',
    operation: { type: 'query', name: 'Check', rootFields: [{ field: 'Query.unit', args: { id: unitId } }] },
  });
  expect(read.revealed).toEqual(
    expect.arrayContaining([
      { field: 'Person.phone', count: 1 },
      { field: 'Person.idNumber', count: 1 },
    ]),
  );

  const page = await eventually(async () => {
    const p = await trail(countyAdmin);
    expect(p.totalCount).toBe(1);
    return p;
  });
  expect(page.nodes[0]).toMatchObject({
    id: read.readId,
    service: 'entities',
    purpose: '入户核查：消防安全责任人联系方式',
    operationName: 'Check',
    reader: { subject: townshipA.subject },
    rootFields: [{ field: 'Query.unit', arguments: JSON.stringify({ id: unitId }) }],
  });
});

test('a masked answer records nothing', async () => {
  const before = (await trail(countyAdmin)).totalCount;
  const answer = await ask(brigade, UNIT, { id: unitId });
  expect(answer.data?.unit).toMatchObject({ responsiblePerson: { phone: '139****5678' } });
  // A read that would be recorded, sent after the masked one: once it is in, the masked one would be too.
  await ask(townshipA, UNIT, { id: unitId }, 'follow-up');
  await eventually(async () => expect((await trail(countyAdmin)).totalCount).toBe(before + 1));
  const latest = (await trail(countyAdmin, { first: 1 })).nodes[0];
  expect(latest?.purpose).toBe('follow-up');
  expect((await trail(countyAdmin, { reader: brigade.subject })).totalCount).toBe(0);
});

test('the trail pages newest first with stable cursors, and filters by reader', async () => {
  const all = await trail(countyAdmin);
  expect(all.totalCount).toBeGreaterThanOrEqual(2);
  const first = await trail(countyAdmin, { first: 1 });
  expect(first.hasNextPage).toBe(true);
  const second = await trail(countyAdmin, { first: 1, after: first.endCursor });
  expect(second.nodes[0]?.id).toBe(all.nodes[1]?.id);
  expect(second.nodes[0]?.id).not.toBe(first.nodes[0]?.id);
  const mine = await trail(countyAdmin, { reader: townshipA.subject });
  expect(mine.totalCount).toBe(all.totalCount);
});

test('only a county administrator reads the trail, and only of readers in their county', async () => {
  const refused = await ask(townshipA, TRAIL, {});
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const elsewhere = await trail(otherCountyAdmin);
  expect(elsewhere.totalCount).toBe(0);
  expect(elsewhere.nodes).toEqual([]);
  expect(COUNTY).not.toBe(otherCountyAdmin.jurisdiction);
});

test('a purpose over 200 characters is refused, naming the header, and nothing is shown', async () => {
  const answer = await ask(townshipA, UNIT, { id: unitId }, 'x'.repeat(201));
  expect(answer.data ?? null).toBeNull();
  expect(answer.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    details: [{ path: 'x-access-purpose', reason: 'must be at most 200 characters' }],
  });
});

test('a bad cursor and a reversed time range name the argument', async () => {
  const cursor = await ask(countyAdmin, TRAIL, { after: 'nope' });
  expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.after' }] });
  const range = await ask(
    countyAdmin,
    `{ personalDataReads(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } }`,
    {},
  );
  expect(range.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.from' }] });
});

test('reads of one millisecond page without loss, and a time range takes whole milliseconds', async () => {
  const at = '2026-01-15T08:00:00.000Z';
  const reader = { subject: 'tie-reader', role: 'township_officer', jurisdiction: townshipA.jurisdiction };
  const made = Array.from({ length: 60 }, () => randomUUID());
  for (const readId of made) {
    await h.trail.record({
      readId,
      at,
      service: 'entities',
      reader,
      purpose: null,
      operation: { type: 'query', name: null, rootFields: [{ field: 'Query.units', args: {} }] },
      revealed: [{ field: 'Person.phone', count: 1 }],
      traceId: null,
    });
  }
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page = await trail(countyAdmin, { reader: reader.subject, first: 25, after });
    seen.push(...page.nodes.map((n) => n.id));
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
  expect(seen).toHaveLength(60);
  expect(new Set(seen)).toEqual(new Set(made));
  const within = await ask(
    countyAdmin,
    `query($r: String) { personalDataReads(reader: $r, from: "${at}", to: "${at}") { totalCount } }`,
    { r: reader.subject },
  );
  expect(within.data?.personalDataReads).toEqual({ totalCount: 60 });
  const before = await ask(
    countyAdmin,
    `query($r: String) { personalDataReads(reader: $r, to: "2026-01-15T07:59:59.999Z") { totalCount } }`,
    { r: reader.subject },
  );
  expect(before.data?.personalDataReads).toEqual({ totalCount: 0 });
});

test('the trail comes back from the store when Redis loses it', async () => {
  const before = (await trail(countyAdmin)).totalCount;
  for await (const keys of h.redis.scanStream({ match: `${h.ns.dbName}:pii:*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await h.redis.unlink(...keys);
  }
  expect((await trail(countyAdmin)).totalCount).toBe(0);
  expect(await h.trail.rebuildIfLost()).toBe(before);
  expect((await trail(countyAdmin)).totalCount).toBe(before);
  expect(await h.trail.rebuildIfLost()).toBeNull();
});
