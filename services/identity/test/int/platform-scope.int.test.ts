import { remoteKeys, signInWithPassword, type Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import { addSharedTypes, createSubgraphBuilder, createSubgraphYoga, definePolicy } from '@firegov/service';
import { testLogger } from '@firegov/testing';
import { clientCredentials, countyAdmin, DEMO_PASSWORD, startHarness, type Harness } from '../harness.ts';

// A platform client registered read-only holds a role that may write; the scope its tokens carry is
// what keeps it to reading. Real tokens from this provider (client credentials, and a person's code
// + PKCE), verified against its JWKS by the policy gate every subgraph runs: this service's own
// subgraph, and a small subgraph served by createSubgraphYoga as every service serves its own.

let h: Harness;
let readToken: string;
let readClientId: string;
let writeToken: string;
let writeClientId: string;

beforeAll(async () => {
  h = await startHarness('identity-scope');
  const read = await h.services.clients.register(countyAdmin, {
    name: '只读平台',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
  });
  const write = await h.services.clients.register(countyAdmin, {
    name: '读写平台',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'write',
  });
  readClientId = read.client._id;
  writeClientId = write.client._id;
  readToken = String((await clientCredentials(h.issuer, readClientId, read.clientSecret, 'read')).body.access_token);
  writeToken = String((await clientCredentials(h.issuer, writeClientId, write.clientSecret, 'read write')).body.access_token);
}, 60_000);
afterAll(() => h?.stop());

interface Answer {
  data?: Record<string, { __typename?: string; code?: string; message?: string } | string> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

// The subgraph every service builds: the shared types (MutationError), a query and a mutation.
const builder = createSubgraphBuilder<{ identity: Identity | undefined }>();
addSharedTypes(builder);
builder.queryType({
  fields: (t) => ({
    whoami: t.string({ resolve: (_r, _a, ctx) => `${ctx.identity?.subject} ${ctx.identity?.client?.scopes.join(' ')}` }),
  }),
});
builder.mutationType({
  fields: (t) => ({ touch: t.string({ errors: { types: [AppError] }, resolve: () => 'touched' }) }),
});
const everyone = ['county_admin'] as const;
const schema = builder.toSchema();
let subgraph: ReturnType<typeof createSubgraphYoga<{ identity: Identity | undefined }>> | undefined;
const yoga = () =>
  (subgraph ??= createSubgraphYoga<{ identity: Identity | undefined }>({
    schema,
    auth: { keys: remoteKeys(`${h.issuer}/jwks`, { cooldownMs: 0 }), issuer: h.issuer, audience: 'firegov' },
    logger: testLogger('platform-scope'),
    context: (identity) => ({ identity }),
    policy: definePolicy({
      'Query.whoami': { roles: [...everyone], relation: 'data' },
      'Mutation.touch': { roles: [...everyone], relation: 'data' },
    }),
  }));

async function ask(url: string | undefined, query: string, token: string): Promise<Answer> {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  };
  const res = url ? await fetch(url, init) : await yoga().fetch('http://subgraph/graphql', init);
  return (await res.json()) as Answer;
}
const TOUCH = 'mutation { touch { __typename ... on MutationError { code message } ... on MutationTouchSuccess { data } } }';

test('read only: a mutation is refused at the gate naming scope write; a query is answered', async () => {
  const refused = await ask(undefined, TOUCH, readToken);
  expect(refused.data?.touch).toEqual({
    __typename: 'MutationError',
    code: 'FORBIDDEN',
    message: 'Mutation.touch needs scope write; this platform client\'s token carries scope "read"',
  });
  expect(await ask(undefined, '{ whoami }', readToken)).toEqual({ data: { whoami: `${readClientId} read` } });
});

test('read write: the mutation passes the gate', async () => {
  expect((await ask(undefined, TOUCH, writeToken)).data?.touch).toEqual({ __typename: 'MutationTouchSuccess', data: 'touched' });
});

test('a token the client got without asking for a scope reads nothing', async () => {
  const issued = await h.services.clients.register(countyAdmin, {
    name: '未申请权限',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'write',
  });
  const token = String((await clientCredentials(h.issuer, issued.client._id, issued.clientSecret, '')).body.access_token);
  const answer = await ask(undefined, '{ whoami }', token);
  expect(answer.errors?.[0]).toMatchObject({
    message: "Query.whoami needs scope read; this platform client's token carries no scope",
    extensions: { code: 'FORBIDDEN' },
  });
});

test("this service's own subgraph: a read-only client's rotateSigningKey is refused for scope, a write client's passes the gate", async () => {
  const ROTATE = 'mutation { rotateSigningKey { __typename ... on MutationError { code message } } }';
  expect((await ask(`${h.issuer}/graphql`, ROTATE, readToken)).data?.rotateSigningKey).toEqual({
    __typename: 'MutationError',
    code: 'FORBIDDEN',
    message: 'Mutation.rotateSigningKey needs scope write; this platform client\'s token carries scope "read"',
  });
  // Past the gate, the service keeps signing keys to a county administrator signed in as a person.
  expect((await ask(`${h.issuer}/graphql`, ROTATE, writeToken)).data?.rotateSigningKey).toMatchObject({
    code: 'FORBIDDEN',
    message: expect.stringMatching(/^a platform client does not manage signing keys/),
  });
});

test('a person is bound by the role alone, whatever scopes the console asked for', async () => {
  const person = await signInWithPassword({
    issuer: h.issuer,
    username: 'county',
    password: DEMO_PASSWORD,
    scope: 'openid profile',
  });
  // openid and profile are not the API's scopes: the person's access token carries none at all.
  expect(person.scope ?? '').toBe('');
  expect((await ask(undefined, TOUCH, person.access_token)).data?.touch).toEqual({
    __typename: 'MutationTouchSuccess',
    data: 'touched',
  });
});
