import { GATEWAY_FORWARD_HEADER, gatewayForwardProof, type Identity } from '@firegov/auth';
import { startTestIssuer, TEST_GATEWAY_FORWARD_KEY, testLogger, type TestIssuer } from '@firegov/testing';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { SignJWT } from 'jose';
import { rolesExcept } from '../src/subgraph/policy.ts';
import { createSubgraphYoga } from '../src/subgraph/yoga.ts';

// A subgraph authenticates every request itself against the identity service's JWKS (here a test
// issuer over real HTTP): the gateway forwards the header but is never the only check.

const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, { identity: Identity | undefined }>({
    name: 'Query',
    fields: { whoami: { type: GraphQLString, resolve: (_root, _args, ctx) => ctx.identity?.subject ?? null } },
  }),
});
const officer: Identity = { subject: 'officer-9', role: 'township_officer', jurisdiction: '500230213000' };

let issuer: TestIssuer;

beforeEach(async () => {
  issuer = await startTestIssuer();
});

afterEach(async () => {
  await issuer.close();
});

interface Answer {
  data?: { whoami: string | null } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function ask(token: string): Promise<Answer> {
  // A verifier of its own per test, so each starts with nothing cached.
  const yoga = createSubgraphYoga<{ identity: Identity | undefined }>({
    schema,
    auth: issuer.verification({ cooldownMs: 0 }),
    logger: testLogger('subgraph-auth'),
    context: (identity) => ({ identity }),
    policy: { 'Query.whoami': { roles: rolesExcept(), relation: 'data' } },
  });
  const res = await yoga.fetch('http://subgraph/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ whoami }' }),
  });
  return (await res.json()) as Answer;
}

test("the identity service's token is accepted", async () => {
  const answer = await ask(await issuer.signToken(officer));
  expect(answer).toEqual({ data: { whoami: 'officer-9' } });
});

test('a token of a key the issuer does not publish is UNAUTHENTICATED, naming the key', async () => {
  const stranger = await issuer.addKey({ publish: false });
  const answer = await ask(await issuer.signToken(officer, { kid: stranger }));
  expect(answer.errors?.[0]).toMatchObject({
    message: 'token is signed by a key the issuer does not publish (unknown kid)',
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('an HS256 token is UNAUTHENTICATED for its algorithm', async () => {
  const hs256 = await new SignJWT({ role: 'county_admin', jur: '500230000000' })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid })
    .setSubject('x')
    .setIssuer(issuer.issuer)
    .setAudience('firegov')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('a-secret-read-from-some-service-environment-0123'));
  const answer = await ask(hs256);
  expect(answer.errors?.[0]).toMatchObject({
    message: 'token algorithm is not allowed (expected ES256 or EdDSA)',
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('a JWKS that cannot be fetched is UNAVAILABLE (retry), not UNAUTHENTICATED', async () => {
  issuer.setAvailable(false);
  const answer = await ask(await issuer.signToken(officer));
  expect(answer.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  expect(answer.errors?.[0]?.message).toMatch(/^the token issuer's keys could not be fetched/);
});

describe('a platform client limited to trusted documents', () => {
  const limited: Identity = {
    subject: 'pc_7',
    role: 'county_admin',
    jurisdiction: '500230000000',
    client: { id: 'pc_7', scopes: ['read'] },
    trustedDocumentsOnly: true,
  };

  async function askWith(token: string, headers: Record<string, string>): Promise<Answer> {
    const yoga = createSubgraphYoga<{ identity: Identity | undefined }>({
      schema,
      auth: issuer.verification({ cooldownMs: 0 }),
      logger: testLogger('subgraph-auth'),
      context: (identity) => ({ identity }),
      policy: { 'Query.whoami': { roles: rolesExcept(), relation: 'data' } },
    });
    const res = await yoga.fetch('http://subgraph/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query: '{ whoami }' }),
    });
    return (await res.json()) as Answer;
  }

  test("is refused without the gateway's proof, FORBIDDEN naming why, and served with it", async () => {
    const token = await issuer.signToken(limited);
    const direct = await askWith(token, {});
    expect(direct.data ?? null).toBeNull();
    expect(direct.errors?.[0]).toMatchObject({
      message:
        'this platform client may run only its trusted documents, through the gateway; this request did not come through the gateway',
      extensions: { code: 'FORBIDDEN' },
    });
    // A proof made for another token is no proof for this one.
    const other = await issuer.signToken({ ...limited, subject: 'pc_8', client: { id: 'pc_8', scopes: ['read'] } });
    const borrowed = await askWith(token, { [GATEWAY_FORWARD_HEADER]: gatewayForwardProof(TEST_GATEWAY_FORWARD_KEY, other) });
    expect(borrowed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forwarded = await askWith(token, { [GATEWAY_FORWARD_HEADER]: gatewayForwardProof(TEST_GATEWAY_FORWARD_KEY, token) });
    expect(forwarded).toEqual({ data: { whoami: 'pc_7' } });
  });

  test('an ordinary platform client needs no proof', async () => {
    const { trustedDocumentsOnly: _limited, ...ordinary } = limited;
    expect(await askWith(await issuer.signToken(ordinary), {})).toEqual({ data: { whoami: 'pc_7' } });
  });
});
