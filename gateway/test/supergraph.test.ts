import { getIntrospectionQuery } from 'graphql';
import { signToken } from '@firegov/auth';
import { signTestToken, startTestIssuer, testIssuer } from '@firegov/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { postGraphQL, startGatewayWithSubgraphs, tokenFor, type RunningGateway } from './fixtures/gateway.ts';

// The gateway in process in front of two real subgraphs, composed at start: the request path a
// county platform's query takes, minus the network.

let gw: RunningGateway;
let token: string;

beforeAll(async () => {
  gw = await startGatewayWithSubgraphs();
  token = await tokenFor();
});

afterAll(async () => {
  await gw.close();
});

const nested = (depth: number) => `units { id ${'neighbours { id '.repeat(depth - 2)}${'}'.repeat(depth - 1)}`;
const served = () => gw.units.authorizations.length + gw.hazards.authorizations.length;

test('a query crossing both subgraphs returns joined data', async () => {
  const res = await postGraphQL(gw.url, '{ units { id name divisionCode openHazards } hazardCount }', { token });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    data: {
      units: [
        { id: 'u1', name: '青龙乡中心小学', divisionCode: '500230213201', openHazards: 2 },
        { id: 'u2', name: '青龙乡敬老院', divisionCode: '500230213202', openHazards: 0 },
      ],
      hazardCount: 2,
    },
  });
});

test("the caller's Authorization header reaches both subgraphs, entity fetches included", async () => {
  const res = await postGraphQL(gw.url, '{ unitsSeenAuthorization units { hazardsSeenAuthorization } }', { token });
  const data = res.body.data as { unitsSeenAuthorization: string; units: Array<{ hazardsSeenAuthorization: string }> };
  expect(data.unitsSeenAuthorization).toBe(`Bearer ${token}`);
  expect(data.units.map((u) => u.hazardsSeenAuthorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
});

test('the request id is the same at the gateway and in the subgraphs', async () => {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'req-trace-42' },
    body: JSON.stringify({ query: '{ units { openHazards } }' }),
  });
  expect(res.headers.get('x-request-id')).toBe('req-trace-42');
  expect(gw.units.requestIds.at(-1)).toBe('req-trace-42');
  expect(gw.hazards.requestIds.at(-1)).toBe('req-trace-42');
});

test('GET queries work with a token too', async () => {
  const res = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ hazardCount }')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(await res.json()).toEqual({ data: { hazardCount: 2 } });
});

describe('authentication', () => {
  test('no token: 401 in the platform error shape, and no subgraph is asked', async () => {
    const before = served();
    const res = await postGraphQL(gw.url, '{ hazardCount }');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'missing Authorization header (expected "Bearer <token>")', details: [] },
    });
    expect(served()).toBe(before);
  });

  test('a token signed with a key the issuer does not publish: 401 naming the key, and no subgraph is asked', async () => {
    const before = served();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await signToken(
      { subject: 'x', role: 'county_admin', jurisdiction: '500230000000' },
      { privateKey, kid: 'attacker-key', issuer: (await testIssuer()).issuer },
    );
    const res = await postGraphQL(gw.url, '{ hazardCount }', { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'token is signed by a key the issuer does not publish (unknown kid)',
    });
    expect(served()).toBe(before);
  });

  test('an expired token: 401 saying so', async () => {
    const expired = await signTestToken({ subject: 'x', role: 'county_admin', jurisdiction: '500230000000' }, { expiresIn: -60 });
    const res = await postGraphQL(gw.url, '{ hazardCount }', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toMatch(/^token expired at /);
  });

  test('an HS256 token, as the shared secret made them: 401 for its algorithm', async () => {
    const hs256 = await new SignJWT({ role: 'county_admin', jur: '500230000000' })
      .setProtectedHeader({ alg: 'HS256', kid: (await testIssuer()).currentKid })
      .setSubject('x')
      .setIssuer((await testIssuer()).issuer)
      .setAudience('firegov')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('firegov-dev-only-jwt-secret-NOT-FOR-PRODUCTION-0'));
    const res = await postGraphQL(gw.url, '{ hazardCount }', { token: hs256 });
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toBe('token algorithm is not allowed (expected ES256 or EdDSA)');
  });

  test("the issuer's JWKS unreachable: 503 UNAVAILABLE with Retry-After, not 401, and no subgraph is asked", async () => {
    const issuer = await startTestIssuer();
    const own = await startGatewayWithSubgraphs({ ...issuer.env, RATE_LIMIT_PER_MINUTE: '0' });
    try {
      issuer.setAvailable(false);
      const before = own.units.authorizations.length + own.hazards.authorizations.length;
      const res = await postGraphQL(own.url, '{ hazardCount }', {
        token: await issuer.signToken({ subject: 'x', role: 'county_admin', jurisdiction: '500230000000' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(own.units.authorizations.length + own.hazards.authorizations.length).toBe(before);
      issuer.setAvailable(true);
      const again = await postGraphQL(own.url, '{ hazardCount }', {
        token: await issuer.signToken({ subject: 'x', role: 'county_admin', jurisdiction: '500230000000' }),
      });
      expect(again.status).toBe(200);
    } finally {
      await own.close();
      await issuer.close();
    }
  });

  test('a header that is not Bearer: 401', async () => {
    const res = await postGraphQL(gw.url, '{ hazardCount }', { authorization: `Token ${token}` });
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toBe('Authorization header must be "Bearer <token>"');
  });
});

describe('limits', () => {
  test(`a query deeper than MAX_DEPTH (10) is refused with QUERY_TOO_DEEP`, async () => {
    expect((await postGraphQL(gw.url, `{ ${nested(10)} }`, { token })).status).toBe(200);
    const before = served();
    const res = await postGraphQL(gw.url, `{ ${nested(11)} }`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Query depth limit of 10 exceeded, found 11.', extensions: { code: 'QUERY_TOO_DEEP' } },
    ]);
    expect(served()).toBe(before);
  });

  test('more than MAX_ALIASES (15) aliases is refused with TOO_MANY_ALIASES', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: hazardCount`).join(' ')} }`;
    expect((await postGraphQL(gw.url, aliases(15), { token })).status).toBe(200);
    const res = await postGraphQL(gw.url, aliases(16), { token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Aliases limit of 15 exceeded, found 16.', extensions: { code: 'TOO_MANY_ALIASES' } },
    ]);
  });

  test('a query costing more than MAX_COST (5000) is refused with QUERY_TOO_COSTLY', async () => {
    // Within the depth and alias limits, but 15 wide subtrees 9 levels deep.
    const wide = nested(9).replace(/id /g, 'id name divisionCode openHazards ');
    const res = await postGraphQL(gw.url, `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: ${wide}`).join(' ')} }`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COSTLY' });
    expect(res.body.errors?.[0]?.message).toMatch(/^Query Cost limit of 5000 exceeded, found \d+/);
  });

  test('a document of more than MAX_TOKENS (2000) tokens is refused with TOO_MANY_TOKENS', async () => {
    const res = await postGraphQL(gw.url, `{ ${'hazardCount '.repeat(2001)}}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Token limit of 2000 exceeded.', extensions: { code: 'TOO_MANY_TOKENS' } }]);
  });

  test('a body over MAX_BODY_BYTES is refused with 413 PAYLOAD_TOO_LARGE, JSON or not', async () => {
    const json = await postGraphQL(gw.url, '', {
      token,
      rawBody: JSON.stringify({ query: '{ hazardCount }', variables: { pad: 'x'.repeat(100_000) } }),
    });
    expect(json.status).toBe(413);
    expect(json.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large', details: [] } });
    const text = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/graphql', authorization: `Bearer ${token}` },
      body: `{ hazardCount }${' '.repeat(100_000)}`,
    });
    expect(text.status).toBe(413);
  });

  test('more than 50 directives is refused with TOO_MANY_DIRECTIVES', async () => {
    const res = await postGraphQL(gw.url, `{ ${'hazardCount @include(if: true) '.repeat(51)}}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Directives limit of 50 exceeded, found 51.', extensions: { code: 'TOO_MANY_DIRECTIVES' } },
    ]);
  });

  test('a body that is not JSON is refused with 400 MALFORMED_REQUEST', async () => {
    const res = await postGraphQL(gw.url, '', { token, rawBody: '{"query": ' });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('MALFORMED_REQUEST');
  });

  test('field suggestions are not given away', async () => {
    const res = await postGraphQL(gw.url, '{ hazardCoun }', { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('an empty body gets a real answer, not "invalid JSON"', async () => {
    const res = await postGraphQL(gw.url, '', { token, rawBody: '{}' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toBe('Must provide query string.');
  });
});

describe('errors', () => {
  test("a subgraph's coded error reaches the client with its code", async () => {
    const res = await postGraphQL(gw.url, '{ forbiddenThing }', { token });
    expect(res.body.errors).toEqual([
      { message: 'not in your jurisdiction', path: ['forbiddenThing'], extensions: { code: 'FORBIDDEN', serviceName: 'units' } },
    ]);
  });

  test('internal error details never reach the client', async () => {
    const res = await postGraphQL(gw.url, '{ brokenThing }', { token });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|mongodb/);
    expect(res.body.errors?.[0]?.path).toEqual(['brokenThing']);
  });
});

describe('GraphiQL and introspection', () => {
  test('GET /graphql from a browser serves GraphiQL without a token', async () => {
    const res = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>firegov GraphQL</title>');
    expect(html).toContain('Authorization');
    // County networks often have no internet: the editor's scripts and styles come with the page.
    expect(html.match(/<(script|link)[^>]*(src|href)=["']?https?:/gi)).toBeNull();
    expect(html).not.toContain('unpkg.com');
  });

  test("GraphiQL's full introspection query passes the limits", async () => {
    const res = await postGraphQL(gw.url, getIntrospectionQuery(), { token });
    expect(res.status).toBe(200);
    const types = (res.body.data as { __schema: { types: Array<{ name: string }> } }).__schema.types.map((t) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Query', 'Unit']));
    // The federation plumbing stays internal.
    expect(types).not.toContain('_Entity');
    expect(types.some((t) => t.startsWith('join__'))).toBe(false);
  });

  test('introspection needs a token like any other operation', async () => {
    expect((await postGraphQL(gw.url, '{ __schema { queryType { name } } }')).status).toBe(401);
  });
});

test('/healthz answers and /readyz checks every subgraph', async () => {
  expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  const res = await fetch(`${gw.url}/readyz`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
  expect(Object.keys(body.checks).sort()).toEqual(['subgraph:hazards', 'subgraph:units']);
});
