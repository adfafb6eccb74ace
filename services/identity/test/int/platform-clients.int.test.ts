import { clientCredentials, countyAdmin, startHarness, type Harness } from '../harness.ts';

// A county administrator registers, lists, rotates and revokes platform clients through the
// subgraph, signed in at this very provider; each change is an event on Kafka.

let h: Harness;
let adminToken: string;
let townshipToken: string;

beforeAll(async () => {
  h = await startHarness('identity-gql');
  adminToken = await h.personToken('county');
  townshipToken = await h.personToken('township');
}, 60_000);
afterAll(() => h?.stop());

interface GqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
async function gql(query: string, variables: Record<string, unknown>, token: string): Promise<GqlAnswer> {
  const res = await fetch(`${h.issuer}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlAnswer;
}

const REGISTER = `mutation($input: RegisterPlatformClientInput!) {
  registerPlatformClient(input: $input) {
    __typename
    ... on MutationRegisterPlatformClientSuccess { data { clientSecret client { id name role jurisdiction access status } } }
    ... on MutationError { code details { path reason } }
  }
}`;
const ROTATE = `mutation($id: ID!) {
  rotatePlatformClientSecret(id: $id) {
    __typename
    ... on MutationRotatePlatformClientSecretSuccess { data { clientSecret client { id secretRotatedAt } } }
    ... on MutationError { code }
  }
}`;
const REVOKE = `mutation($id: ID!) {
  revokePlatformClient(id: $id) {
    __typename
    ... on MutationRevokePlatformClientSuccess { data { id status revokedAt } }
    ... on MutationError { code details { path reason } }
  }
}`;

const township = { name: '青龙乡平台', role: 'township_officer', jurisdiction: '500230213000', access: 'write' };

test('an administrator registers a client: the secret is shown once, stored hashed, and announced without it', async () => {
  const out = await gql(REGISTER, { input: township }, adminToken);
  const answer = out.data?.registerPlatformClient as {
    __typename: string;
    data: { clientSecret: string; client: { id: string } };
  };
  expect(answer.__typename).toBe('MutationRegisterPlatformClientSuccess');
  const { clientSecret, client } = answer.data;
  expect(client).toMatchObject({
    name: '青龙乡平台',
    role: 'township_officer',
    jurisdiction: '500230213000',
    access: 'write',
    status: 'active',
  });
  expect(clientSecret).toMatch(/^fgs_/);

  const stored = await h.models.clients.findOne({ _id: client.id }).lean();
  expect(stored!.secretHash).toMatch(/^scrypt\$/);
  expect(JSON.stringify(stored)).not.toContain(clientSecret);

  const [event] = await h.events.waitFor(
    (m) => m.envelope?.type === 'identity.client.registered' && m.envelope.subject === client.id,
  );
  expect(event!.key).toBe('500230213000');
  expect(JSON.stringify(event!.envelope)).not.toMatch(/secret|scrypt/i);

  const read = await gql('query($id: ID!) { platformClient(id: $id) { id status } }', { id: client.id }, adminToken);
  expect(read.data?.platformClient).toEqual({ id: client.id, status: 'active' });
  const list = await gql('{ platformClients(first: 10) { totalCount nodes { id } } }', {}, adminToken);
  expect(list.data?.platformClients).toMatchObject({ totalCount: 1, nodes: [{ id: client.id }] });

  const token = await clientCredentials(h.issuer, client.id, clientSecret, 'read write');
  expect(token.status).toBe(200);
});

test('rotating the secret replaces it at once; revoking stops the client at once', async () => {
  const reg = await gql(REGISTER, { input: { ...township, name: '将轮换' } }, adminToken);
  const { clientSecret: first, client } = (
    reg.data?.registerPlatformClient as { data: { clientSecret: string; client: { id: string } } }
  ).data;

  const rotated = await gql(ROTATE, { id: client.id }, adminToken);
  const second = (rotated.data?.rotatePlatformClientSecret as { data: { clientSecret: string } }).data.clientSecret;
  expect(second).not.toBe(first);
  expect((await clientCredentials(h.issuer, client.id, first)).status).toBe(401);
  expect((await clientCredentials(h.issuer, client.id, second)).status).toBe(200);
  await h.events.waitFor((m) => m.envelope?.type === 'identity.client.secret_rotated' && m.envelope.subject === client.id);

  const revoked = await gql(REVOKE, { id: client.id }, adminToken);
  expect((revoked.data?.revokePlatformClient as { data: { status: string } }).data.status).toBe('revoked');
  expect((await clientCredentials(h.issuer, client.id, second)).body.error).toBe('invalid_client');
  await h.events.waitFor((m) => m.envelope?.type === 'identity.client.revoked' && m.envelope.subject === client.id);

  const again = await gql(REVOKE, { id: client.id }, adminToken);
  expect(again.data?.revokePlatformClient).toMatchObject({ __typename: 'MutationError', code: 'CONFLICT' });
});

test('only a county administrator, and only within their jurisdiction', async () => {
  const refused = await gql(REGISTER, { input: township }, townshipToken);
  expect(refused.data?.registerPlatformClient).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  const list = await gql('{ platformClients { totalCount } }', {}, townshipToken);
  expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  // Another county (500231): refused at the policy gate, naming the argument.
  const elsewhere = await gql(REGISTER, { input: { ...township, jurisdiction: '500231000000' } }, adminToken);
  expect(elsewhere.data?.registerPlatformClient).toMatchObject({
    __typename: 'MutationError',
    code: 'FORBIDDEN',
    details: [{ path: expect.stringContaining('jurisdiction') }],
  });
  expect(await h.models.clients.countDocuments({ jurisdiction: '500231000000' })).toBe(0);

  // A platform client acting as county_admin (for reading) cannot register itself a write client.
  const machine = await h.services.clients.register(countyAdmin, {
    name: '县平台',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
  });
  const machineToken = String((await clientCredentials(h.issuer, machine.client._id, machine.clientSecret)).body.access_token);
  const escalation = await gql(REGISTER, { input: { ...township, access: 'write' } }, machineToken);
  expect(escalation.data?.registerPlatformClient).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  const keys = await gql('mutation { rotateSigningKey { __typename ... on MutationError { code } } }', {}, machineToken);
  expect(keys.data?.rotateSigningKey).toEqual({ __typename: 'MutationError', code: 'FORBIDDEN' });
  const anonymous = await fetch(`${h.issuer}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ platformClients { totalCount } }' }),
  });
  expect(((await anonymous.json()) as GqlAnswer).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('bad input names the field and changes nothing', async () => {
  const before = await h.models.clients.countDocuments();
  const out = await gql(
    REGISTER,
    { input: { name: ' ', role: 'agency', jurisdiction: '500230213000', access: 'admin' } },
    adminToken,
  );
  expect(out.data?.registerPlatformClient).toEqual({
    __typename: 'MutationError',
    code: 'VALIDATION_FAILED',
    details: [
      { path: '$.name', reason: 'must not be empty' },
      { path: '$.role', reason: expect.stringContaining('must be one of') },
      { path: '$.access', reason: 'must be read or write' },
    ],
  });
  expect(await h.models.clients.countDocuments()).toBe(before);
});

test('the national learning platform is a platform client too: its token carries its role for xAPI', async () => {
  const reg = await gql(
    REGISTER,
    { input: { name: '全民消防学习云平台', role: 'learning_platform', jurisdiction: '500230000000', access: 'write' } },
    adminToken,
  );
  const issued = (reg.data?.registerPlatformClient as { data: { clientSecret: string; client: { id: string; role: string } } })
    .data;
  expect(issued.client.role).toBe('learning_platform');
  const token = await clientCredentials(h.issuer, issued.client.id, issued.clientSecret, 'read write');
  expect(token.status).toBe(200);
  const claims = JSON.parse(Buffer.from(String(token.body.access_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  expect(claims).toMatchObject({
    role: 'learning_platform',
    jur: '500230000000',
    client_id: issued.client.id,
    scope: 'read write',
  });
});
