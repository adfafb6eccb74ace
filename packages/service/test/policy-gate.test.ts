import http from 'node:http';
import type { Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import { testLogger } from '@firegov/testing';
import { createYoga } from 'graphql-yoga';
import { addSharedTypes, createSubgraphBuilder } from '../src/subgraph/builder.ts';
import { definePolicy, policyVerdict, rolesExcept } from '../src/subgraph/policy.ts';
import { policyCases, runPolicyCase, verdictOf } from '../src/subgraph/policy-cases.ts';
import { policyGate } from '../src/subgraph/policy-gate.ts';

// The gate in front of a small schema: a scoped list, a public list, a field the table forgets,
// a mutation with a typed error and a subscription. Identities come from the request as JSON, so
// the gate is tested apart from token verification.

interface Ctx {
  identity: Identity | undefined;
}

const builder = createSubgraphBuilder<Ctx>();
addSharedTypes(builder);
const ran: string[] = [];
builder.queryType({
  fields: (t) => ({
    units: t.stringList({
      args: { jurisdictionCode: t.arg.string() },
      resolve: () => (ran.push('units'), ['u1']),
    }),
    kinds: t.stringList({ resolve: () => ['smoke'] }),
    forgotten: t.string({ resolve: () => (ran.push('forgotten'), 'leaked') }),
    agency: t.string({ args: { id: t.arg.id({ required: true }) }, resolve: (_r, a) => String(a.id) }),
  }),
});
const Input = builder.inputType('PlaceInput', { fields: (t) => ({ villageCode: t.string({ required: true }) }) });
builder.mutationType({
  fields: (t) => ({
    register: t.string({
      errors: { types: [AppError] },
      args: { input: t.arg({ type: Input, required: true }) },
      resolve: () => (ran.push('register'), 'ok'),
    }),
  }),
});
builder.subscriptionType({
  fields: (t) => ({
    ticks: t.int({
      subscribe: async function* () {
        yield 1;
      },
      resolve: (n: number) => n,
    }),
  }),
});

const policy = definePolicy({
  'Query.units': { roles: ['county_admin', 'township_officer'], relation: [{ arg: 'jurisdictionCode', relation: 'within' }] },
  'Query.kinds': { roles: [], relation: 'public' },
  'Query.agency': { roles: ['county_admin', 'agency'], relation: [{ arg: 'id', relation: 'own-agency' }] },
  'Mutation.register': {
    roles: ['township_officer'],
    relation: [{ arg: 'input.villageCode', relation: 'within' }],
  },
  'Subscription.ticks': { roles: ['county_admin'], relation: 'data' },
});

const logger = testLogger('policy-gate');
const schema = builder.toSchema();
const gate = policyGate({ schema, policy, logger });
const yoga = createYoga<Record<string, unknown>, Ctx>({
  schema: gate.schema,
  logging: false,
  plugins: [gate.plugin],
  context: ({ request }) => {
    // The matrix runner sends a bearer token: here, the identity itself in base64 JSON.
    const bearer = request.headers.get('authorization')?.replace(/^Bearer /, '');
    const h = request.headers.get('x-identity') ?? (bearer ? Buffer.from(bearer, 'base64').toString() : null);
    return { identity: h ? (JSON.parse(h) as Identity) : undefined };
  },
});
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => (ran.length = 0));

const county: Identity = { subject: 'c', role: 'county_admin', jurisdiction: '500230000000' };
const townshipA: Identity = { subject: 'a', role: 'township_officer', jurisdiction: '500230213000' };
const grid: Identity = { subject: 'g', role: 'village_grid_manager', jurisdiction: '500230213201' };
const agency: Identity = { subject: 'ag', role: 'agency', jurisdiction: '500230000000', agencyId: 'ag1' };

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: string[]; extensions: { code: string; details?: unknown } }>;
}

async function gql(query: string, who?: Identity, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? { 'x-identity': JSON.stringify(who) } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

test('an allowed role inside its jurisdiction reaches the resolver', async () => {
  expect(await gql('{ units(jurisdictionCode: "500230213201") }', townshipA)).toEqual({ data: { units: ['u1'] } });
  expect(ran).toEqual(['units']);
});

test('no token: UNAUTHENTICATED, and nothing runs', async () => {
  const res = await gql('{ units }');
  expect(res.data).toBeNull();
  expect(res.errors).toEqual([
    expect.objectContaining({ path: ['units'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
  ]);
  expect(ran).toEqual([]);
});

test('a role not listed: FORBIDDEN naming the field and the role', async () => {
  const res = await gql('{ units }', grid);
  expect(res.errors![0]).toMatchObject({
    message: 'role village_grid_manager may not call Query.units',
    extensions: { code: 'FORBIDDEN' },
  });
});

test('an argument outside the jurisdiction: FORBIDDEN naming the argument', async () => {
  const res = await gql('query($c: String) { units(jurisdictionCode: $c) }', townshipA, { c: '500230214201' });
  expect(res.errors![0]).toMatchObject({
    message: 'Query.units: argument jurisdictionCode is outside your jurisdiction 500230213000',
    extensions: {
      code: 'FORBIDDEN',
      details: [{ path: '$.jurisdictionCode', reason: 'is outside your jurisdiction 500230213000' }],
    },
  });
  expect(ran).toEqual([]);
});

test('a field with no policy entry is refused and logged, even beside allowed fields', async () => {
  const res = await gql('{ units forgotten }', county);
  expect(res.data).toBeNull();
  expect(res.errors).toEqual([
    expect.objectContaining({
      message: 'Query.forgotten has no authorization policy entry; refused until it has one',
      extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
    }),
  ]);
  expect(ran).toEqual([]);
});

test('fields reached through aliases and fragments are gated too; @skip removes one', async () => {
  const res = await gql('query { ...F } fragment F on Query { ... on Query { hidden: forgotten } }', county);
  expect(res.errors![0]!.path).toEqual(['hidden']);
  expect(await gql('{ units forgotten @skip(if: true) }', county)).toEqual({ data: { units: ['u1'] } });
});

test('public fields need no token; introspection and __typename are not gated', async () => {
  expect(await gql('{ kinds __typename }')).toEqual({ data: { kinds: ['smoke'], __typename: 'Query' } });
  expect((await gql('{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
});

test('own-agency binds an agency caller to its own agency, and no other role', async () => {
  expect(await gql('{ agency(id: "ag1") }', agency)).toEqual({ data: { agency: 'ag1' } });
  expect((await gql('{ agency(id: "ag2") }', agency)).errors![0]).toMatchObject({
    message: 'Query.agency: argument id is not your agency',
    extensions: { code: 'FORBIDDEN' },
  });
  expect(await gql('{ agency(id: "ag2") }', county)).toEqual({ data: { agency: 'ag2' } });
});

describe('a mutation answers its refusal as its typed error, as the services do', () => {
  const register =
    'mutation($v: String!) { register(input: { villageCode: $v }) { __typename ... on MutationError { code message details { path } } ... on MutationRegisterSuccess { data } } }';

  test('a role not listed', async () => {
    const res = await gql(register, county, { v: '500230213201' });
    expect(res.data!.register).toEqual({
      __typename: 'MutationError',
      code: 'FORBIDDEN',
      message: 'role county_admin may not call Mutation.register',
      details: [{ path: '$' }],
    });
    expect(ran).toEqual([]);
  });

  test('an input field outside the jurisdiction, named by its path', async () => {
    const res = await gql(register, townshipA, { v: '500230214201' });
    expect(res.data!.register).toMatchObject({ code: 'FORBIDDEN', details: [{ path: '$.input.villageCode' }] });
    expect(ran).toEqual([]);
  });

  test('allowed', async () => {
    expect((await gql(register, townshipA, { v: '500230213201' })).data!.register).toEqual({
      __typename: 'MutationRegisterSuccess',
      data: 'ok',
    });
  });
});

test('a subscription is gated before it starts', async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-identity': JSON.stringify(townshipA) },
    body: JSON.stringify({ query: 'subscription { ticks }' }),
  });
  expect(await res.text()).toMatch(/"code":"FORBIDDEN"/);
  const allowed = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-identity': JSON.stringify(county) },
    body: JSON.stringify({ query: 'subscription { ticks }' }),
  });
  expect(await allowed.text()).toMatch(/"data":\{"ticks":1\}/);
});

describe("a platform client is held to its token's scope; a person is not", () => {
  const register =
    'mutation($v: String!) { register(input: { villageCode: $v }) { __typename ... on MutationError { code message details { path reason } } ... on MutationRegisterSuccess { data } } }';
  // As the identity service issues them: a client credentials token's subject is its client id.
  const client = (scopes: string[]): Identity => ({ ...townshipA, subject: 'pc_1', client: { id: 'pc_1', scopes } });

  test('read only: the mutation answers FORBIDDEN naming scope write, and nothing runs; the query is answered', async () => {
    const res = await gql(register, client(['read']), { v: '500230213201' });
    expect(res.data!.register).toEqual({
      __typename: 'MutationError',
      code: 'FORBIDDEN',
      message: 'Mutation.register needs scope write; this platform client\'s token carries scope "read"',
      details: [{ path: 'scope', reason: 'a mutation needs write' }],
    });
    expect(await gql('{ units(jurisdictionCode: "500230213201") }', client(['read']))).toEqual({ data: { units: ['u1'] } });
    expect(ran).toEqual(['units']);
  });

  test('read write: the mutation passes the gate', async () => {
    expect((await gql(register, client(['read', 'write']), { v: '500230213201' })).data!.register).toEqual({
      __typename: 'MutationRegisterSuccess',
      data: 'ok',
    });
  });

  test('no scope: a query is refused naming scope read; a subscription too', async () => {
    const res = await gql('{ units }', client([]));
    expect(res.data).toBeNull();
    expect(res.errors![0]).toMatchObject({
      message: "Query.units needs scope read; this platform client's token carries no scope",
      extensions: { code: 'FORBIDDEN' },
    });
    const countyClient: Identity = { ...county, subject: 'pc_2', client: { id: 'pc_2', scopes: ['other'] } };
    const sub = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-identity': JSON.stringify(countyClient) },
      body: JSON.stringify({ query: 'subscription { ticks }' }),
    });
    expect(await sub.text()).toMatch(/Subscription.ticks needs scope read/);
    expect(ran).toEqual([]);
  });

  test('write alone reads too (what its mutations return)', async () => {
    expect(await gql('{ units }', client(['write']))).toEqual({ data: { units: ['u1'] } });
  });

  test("a person's token, issued to the console with any scope, is bound by the role alone", async () => {
    const person: Identity = { ...townshipA, client: { id: 'firegov-console', scopes: ['openid'] } };
    expect((await gql(register, person, { v: '500230213201' })).data!.register).toMatchObject({
      __typename: 'MutationRegisterSuccess',
    });
  });

  test('public fields need no scope', async () => {
    expect(await gql('{ kinds }', client([]))).toEqual({ data: { kinds: ['smoke'] } });
  });
});

describe('policyVerdict', () => {
  test('deny by default, and rolesExcept lists the rest', () => {
    expect(policyVerdict(policy, 'Query.nothing', county, {})?.code).toBe('FORBIDDEN');
    expect(rolesExcept('agency', 'device_gateway', 'learning_platform')).toEqual([
      'county_admin',
      'township_officer',
      'village_grid_manager',
      'department_officer',
      'fire_brigade',
    ]);
  });

  test('a table is checked when defined', () => {
    expect(() => definePolicy({ 'Query.x': { roles: [], relation: 'data' } })).toThrow(/no role may call it/);
    expect(() => definePolicy({ units: { roles: ['county_admin'], relation: 'data' } })).toThrow(/must be Query/);
    expect(() => definePolicy({ 'Query.x': { roles: ['county_admin'], relation: 'public' } })).toThrow(/lists no roles/);
  });
});

describe('the generated matrix of this table', () => {
  const cases = policyCases(schema, policy);
  const token = async (identity: Identity) => Buffer.from(JSON.stringify(identity)).toString('base64');

  test('covers every entry: each role allowed or refused, no token, and each relation from elsewhere', () => {
    const titles = cases.map((c) => c.title);
    expect(titles).toContain('Query.kinds as no token: passes the gate');
    expect(titles).toContain('Query.units as no token: UNAUTHENTICATED');
    expect(titles).toContain('Query.units as agency: FORBIDDEN');
    expect(titles).toContain('Query.units as county_admin of elsewhere naming jurisdictionCode: FORBIDDEN');
    expect(titles).toContain("Query.agency as agency naming another's id: FORBIDDEN");
    expect(titles).toContain('Mutation.register as township_officer of elsewhere naming input.villageCode: FORBIDDEN');
    expect(titles).toContain('Subscription.ticks as county_admin: passes the gate');
    expect(titles).toContain('Mutation.register as township_officer platform client with scope "read": FORBIDDEN');
    expect(titles).toContain('Mutation.register as township_officer platform client with scope "read write": passes the gate');
    expect(titles).toContain('Query.units as county_admin platform client with scope "": FORBIDDEN');
    expect(titles).toContain('Subscription.ticks as county_admin platform client with scope "read": passes the gate');
    // No token, 8 roles, 2 platform clients, the relation from elsewhere.
    expect(cases.filter((c) => c.field === 'Query.units')).toHaveLength(1 + 8 + 2 + 1);
  });

  test('every case meets its expectation over HTTP', async () => {
    const missed: string[] = [];
    for (const c of cases) {
      const outcome = await runPolicyCase(c, { url: url.replace(/\/graphql$/, ''), token });
      if (verdictOf(outcome) !== c.expect) missed.push(`${c.title} (got ${outcome.code ?? 'through'}: ${outcome.message ?? ''})`);
    }
    expect(missed).toEqual([]);
  });
});
