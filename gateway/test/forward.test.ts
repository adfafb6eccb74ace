import { buildSchema, parse, print } from 'graphql';
import { composeSupergraph } from '../src/compose.ts';
import { singleSubgraphOf, supergraphOwnership } from '../src/single-subgraph.ts';
import { postGraphQL, startGatewayWithSubgraphs, tokenFor, type RunningGateway } from './fixtures/gateway.ts';
import { hazardsSchema, sdlOf, unitsSchema } from './fixtures/subgraphs.ts';

// An operation one subgraph answers whole is sent to it as written (forward.ts); everything else is
// planned. Two gateways over the same two subgraphs, one forwarding and one planning every
// operation, must answer every query the same.

describe('which subgraph answers an operation alone (pure)', () => {
  const supergraph = composeSupergraph([
    { name: 'units', url: 'http://units.invalid/graphql', typeDefs: sdlOf(unitsSchema()) },
    { name: 'hazards', url: 'http://hazards.invalid/graphql', typeDefs: sdlOf(hazardsSchema()) },
  ]);
  const ownership = supergraphOwnership(supergraph);
  // The public schema: the supergraph without the federation plumbing is enough for the walk.
  const schema = buildSchema(`
    type Query { units: [Unit!]! unitsSeenAuthorization: String forbiddenThing: String slowThing: String brokenThing: String hazardCount: Int! }
    type Mutation { touchUnit: String! }
    type Subscription { ticks: Int! }
    type Unit { id: ID! name: String! divisionCode: String! neighbours: [Unit!]! openHazards: Int! hazardsSeenAuthorization: String }
  `);
  const route = (query: string, operationName?: string) => singleSubgraphOf(ownership, schema, parse(query), operationName);

  test.each([
    ['{ units { id name } }', 'units'],
    ['{ units { ...F neighbours { ... on Unit { name } } } } fragment F on Unit { id divisionCode }', 'units'],
    ['{ a: units { __typename id } unitsSeenAuthorization }', 'units'],
    ['{ hazardCount }', 'hazards'],
    ['mutation { touchUnit }', 'units'],
    ['query($s: Boolean!) { units @include(if: $s) { id name @skip(if: $s) } }', 'units'],
  ])('%s → %s', (query, subgraph) => {
    expect(route(query)).toBe(subgraph);
  });

  test.each([
    ['a field of another subgraph on the same entity', '{ units { id openHazards } }'],
    ['root fields of two subgraphs', '{ units { id } hazardCount }'],
    ['the same, through a fragment', '{ ...Q } fragment Q on Query { units { id } hazardCount }'],
    ['introspection', '{ __schema { queryType { name } } }'],
    ['a type looked up by name', '{ __type(name: "Unit") { name } units { id } }'],
    ['a directive a subgraph may treat otherwise', '{ units { id ... @defer { name } } }'],
    ['a subscription', 'subscription { ticks }'],
  ])('%s: planned', (_what, query) => {
    expect(route(query)).toBeUndefined();
  });

  test('the operation named in a document of several is the one routed', () => {
    const doc = 'query A { units { id } } query B { hazardCount } query C { units { openHazards } }';
    expect(route(doc, 'A')).toBe('units');
    expect(route(doc, 'B')).toBe('hazards');
    expect(route(doc, 'C')).toBeUndefined();
    // Several operations and no name: not an operation at all.
    expect(route(doc)).toBeUndefined();
  });
});

describe('forwarding and planning answer the same', () => {
  let forwarding: RunningGateway;
  let planning: RunningGateway;
  let token: string;

  beforeAll(async () => {
    [forwarding, planning] = await Promise.all([
      startGatewayWithSubgraphs({ UPSTREAM_TIMEOUT_MS: '300' }),
      startGatewayWithSubgraphs({ UPSTREAM_TIMEOUT_MS: '300', FORWARD_SINGLE_SUBGRAPH: 'false' }),
    ]);
    token = await tokenFor();
  });

  afterAll(async () => {
    await Promise.all([forwarding?.close(), planning?.close()]);
  });

  const both = async (query: string, variables?: Record<string, unknown>) => {
    const [f, p] = await Promise.all([
      postGraphQL(forwarding.url, query, { token, ...(variables ? { variables } : {}) }),
      postGraphQL(planning.url, query, { token, ...(variables ? { variables } : {}) }),
    ]);
    return { f, p };
  };

  test.each([
    [
      'a list with aliases, fragments and __typename',
      '{ all: units { __typename ...F near: neighbours { name } } } fragment F on Unit { id divisionCode }',
    ],
    ['a field a subgraph refuses (a coded error)', '{ forbiddenThing }'],
    ['an internal fault (masked)', '{ brokenThing units { id } }'],
    ['a query crossing both subgraphs', '{ units { id name openHazards } hazardCount }'],
    ['a mutation', 'mutation { touchUnit }'],
  ])('%s', async (_what, query) => {
    const { f, p } = await both(query);
    expect(f.status).toBe(p.status);
    expect(f.body).toEqual(p.body);
    expect(f.body.data ?? f.body.errors).toBeTruthy();
  });

  test('variables: used, and refused with the same error when they do not fit the public schema', async () => {
    const query = 'query($s: Boolean!) { units { id name @include(if: $s) } }';
    const ok = await both(query, { s: true });
    expect(ok.f.body).toEqual(ok.p.body);
    expect((ok.f.body.data?.units as unknown[]).length).toBe(2);
    const bad = await both(query, { s: 'yes' });
    expect(bad.f.status).toBe(bad.p.status);
    expect(bad.f.body).toEqual(bad.p.body);
    expect(bad.f.body.errors?.[0]?.message).toMatch(/\$s/);
  });

  test('a single-subgraph operation reaches its subgraph as the client wrote it; the planner rewrites it', async () => {
    const query = '{ all: units { ...F } } fragment F on Unit { id name }';
    await both(query);
    expect(forwarding.units.queries.at(-1)).toBe(print(parse(query)));
    expect(planning.units.queries.at(-1)).not.toBe(print(parse(query)));
    // Nothing else was asked of the other subgraph.
    const hazardsBefore = forwarding.hazards.queries.length;
    await postGraphQL(forwarding.url, '{ units { id } }', { token });
    expect(forwarding.hazards.queries.length).toBe(hazardsBefore);
  });

  test('of a document with several operations, the subgraph gets the one named and the fragments it uses', async () => {
    const doc =
      'query A { units { ...F } } query C { units { openHazards ...G } } fragment F on Unit { id } fragment G on Unit { name }';
    const [f, p] = (await Promise.all(
      [forwarding, planning].map((g) =>
        fetch(`${g.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: doc, operationName: 'A' }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown })),
      ),
    )) as [{ status: number; body: unknown }, { status: number; body: unknown }];
    expect(f).toEqual(p);
    expect(f.body).toEqual({ data: { units: [{ id: 'u1' }, { id: 'u2' }] } });
    expect(forwarding.units.queries.at(-1)).toBe(print(parse('query A { units { ...F } } fragment F on Unit { id }')));
  });

  test("the caller's token and request id reach the subgraph", async () => {
    const res = await fetch(`${forwarding.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'fwd-42' },
      body: JSON.stringify({ query: '{ unitsSeenAuthorization }' }),
    });
    expect(await res.json()).toEqual({ data: { unitsSeenAuthorization: `Bearer ${token}` } });
    expect(forwarding.units.requestIds.at(-1)).toBe('fwd-42');
  });

  test('a subgraph slower than UPSTREAM_TIMEOUT_MS: an error for the field, not a hung request', async () => {
    const t0 = Date.now();
    const { f, p } = await both('{ slowThing }');
    expect(Date.now() - t0).toBeLessThan(550);
    expect(f.status).toBe(504);
    expect(p.status).toBe(504);
    expect(f.body.data).toEqual({ slowThing: null });
    expect(f.body.data).toEqual(p.body.data);
    expect(f.body.errors).toEqual([
      {
        message: 'subgraph units did not answer in time',
        path: ['slowThing'],
        extensions: { code: 'GATEWAY_TIMEOUT', serviceName: 'units' },
      },
    ]);
    // The planner's error is the same: nothing of the subgraph's address or the request it was sent.
    expect(p.body.errors).toEqual(f.body.errors?.map((e) => ({ ...e, locations: [{ line: 1, column: 3 }] })));
  });
});

test.each([
  ['forwarded', {}],
  ['planned', { FORWARD_SINGLE_SUBGRAPH: 'false' }],
])('a subgraph that is down (%s): 502 naming it, every root field null, nothing internal shown', async (_how, env) => {
  const gw = await startGatewayWithSubgraphs(env);
  try {
    const address = new URL(gw.units.url).host;
    await gw.units.close();
    const res = await postGraphQL(gw.url, '{ a: unitsSeenAuthorization b: forbiddenThing }', { token: await tokenFor() });
    expect(res.status).toBe(502);
    expect(res.body.data).toEqual({ a: null, b: null });
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([
      [['a'], 'SUBGRAPH_UNAVAILABLE', 'units'],
      [['b'], 'SUBGRAPH_UNAVAILABLE', 'units'],
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${address}|127\\.0\\.0\\.1|ECONNREFUSED|"request"`));
  } finally {
    await gw.close();
  }
});
