import { GATEWAY_FORWARD_HEADER, gatewayForwardProof } from '@firegov/auth';
import { TEST_GATEWAY_FORWARD_KEY } from '@firegov/testing';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { clientCredentials, countyAdmin, startHarness, type Harness } from '../harness.ts';

// A county administrator limits a platform client to its trusted documents and registers them
// through the subgraph; the client's tokens say so, each change is an event naming hashes only, and
// the client (its own token) reads its documents back where the gateway does.

let h: Harness;
let adminToken: string;
let townshipToken: string;

beforeAll(async () => {
  h = await startHarness('identity-docs');
  adminToken = await h.personToken('county');
  townshipToken = await h.personToken('township');
}, 60_000);
afterAll(() => h?.stop());

interface GqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
async function gql(
  query: string,
  variables: Record<string, unknown>,
  token: string,
  o: { viaGateway?: boolean } = {},
): Promise<GqlAnswer> {
  // viaGateway: with the proof the gateway adds to what it forwards (a limited client needs it).
  const proof: Record<string, string> = o.viaGateway
    ? { [GATEWAY_FORWARD_HEADER]: gatewayForwardProof(TEST_GATEWAY_FORWARD_KEY, token) }
    : {};
  const res = await fetch(`${h.issuer}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...proof },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlAnswer;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const REGISTER_CLIENT = `mutation($input: RegisterPlatformClientInput!) {
  registerPlatformClient(input: $input) {
    ... on MutationRegisterPlatformClientSuccess { data { clientSecret client { id trustedDocumentsOnly } } }
  }
}`;
const REGISTER_DOCS = `mutation($clientId: ID!, $documents: [String!]!) {
  registerTrustedDocuments(clientId: $clientId, documents: $documents) {
    __typename
    ... on MutationRegisterTrustedDocumentsSuccess { data { hash document registeredBy } }
    ... on MutationError { code details { path reason } }
  }
}`;
const REMOVE_DOCS = `mutation($clientId: ID!, $hashes: [String!]!) {
  removeTrustedDocuments(clientId: $clientId, hashes: $hashes) {
    __typename
    ... on MutationRemoveTrustedDocumentsSuccess { data }
    ... on MutationError { code details { path reason } }
  }
}`;
const SET_ONLY = `mutation($id: ID!, $on: Boolean!) {
  setPlatformClientTrustedDocumentsOnly(id: $id, trustedDocumentsOnly: $on) {
    __typename
    ... on MutationSetPlatformClientTrustedDocumentsOnlySuccess { data { id trustedDocumentsOnly } }
    ... on MutationError { code }
  }
}`;
const LIST_DOCS = 'query($clientId: ID!) { trustedDocuments(clientId: $clientId) { hash document } }';

const UNITS = '{ units { id name } }';
const COUNT = 'query Count { hazardCount }';

async function registerClient(trustedDocumentsOnly: boolean) {
  const out = await gql(
    REGISTER_CLIENT,
    { input: { name: '县级平台', role: 'county_admin', jurisdiction: '500230000000', access: 'read', trustedDocumentsOnly } },
    adminToken,
  );
  return (
    out.data?.registerPlatformClient as { data: { clientSecret: string; client: { id: string; trustedDocumentsOnly: boolean } } }
  ).data;
}

const ownDocuments = (token: string | undefined) =>
  fetch(`${h.issuer}/trusted-documents`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test('a client registered trusted-only: its tokens carry trusted_documents; its documents are stored by sha256 and announced by hash', async () => {
  const { client, clientSecret } = await registerClient(true);
  expect(client.trustedDocumentsOnly).toBe(true);
  const token = String((await clientCredentials(h.issuer, client.id, clientSecret)).body.access_token);
  expect(decodeJwt(token)).toMatchObject({ sub: client.id, client_id: client.id, trusted_documents: true });

  const out = await gql(REGISTER_DOCS, { clientId: client.id, documents: [UNITS, COUNT, UNITS] }, adminToken);
  expect(out.data?.registerTrustedDocuments).toEqual({
    __typename: 'MutationRegisterTrustedDocumentsSuccess',
    data: [
      { hash: sha256(UNITS), document: UNITS, registeredBy: 'demo-county' },
      { hash: sha256(COUNT), document: COUNT, registeredBy: 'demo-county' },
    ],
  });
  const [registered] = await h.events.waitFor(
    (m) => m.envelope?.type === 'identity.client.documents_registered' && m.envelope.subject === client.id,
  );
  expect(registered!.envelope!.data).toMatchObject({
    clientId: client.id,
    jurisdiction: '500230000000',
    hashes: [sha256(UNITS), sha256(COUNT)],
    by: 'demo-county',
  });
  expect(JSON.stringify(registered!.envelope)).not.toContain('units');

  // Registering a known document again changes nothing and announces nothing.
  const version = (await h.models.clients.findOne({ _id: client.id }).lean())!.version;
  await gql(REGISTER_DOCS, { clientId: client.id, documents: [UNITS] }, adminToken);
  expect((await h.models.clients.findOne({ _id: client.id }).lean())!.version).toBe(version);

  const listed = await gql(LIST_DOCS, { clientId: client.id }, adminToken);
  expect(listed.data?.trustedDocuments).toEqual([
    { hash: sha256(UNITS), document: UNITS },
    { hash: sha256(COUNT), document: COUNT },
  ]);

  // The client reads its own documents with its own token (as the gateway does on its behalf).
  const own = await ownDocuments(token);
  expect(own.status).toBe(200);
  expect(own.headers.get('cache-control')).toBe('no-store');
  expect(await own.json()).toEqual({
    clientId: client.id,
    trustedDocumentsOnly: true,
    documents: [
      { hash: sha256(UNITS), document: UNITS },
      { hash: sha256(COUNT), document: COUNT },
    ],
  });

  const removed = await gql(REMOVE_DOCS, { clientId: client.id, hashes: [sha256(COUNT)] }, adminToken);
  expect(removed.data?.removeTrustedDocuments).toEqual({
    __typename: 'MutationRemoveTrustedDocumentsSuccess',
    data: [sha256(COUNT)],
  });
  const [gone] = await h.events.waitFor(
    (m) => m.envelope?.type === 'identity.client.documents_removed' && m.envelope.subject === client.id,
  );
  expect(gone!.envelope!.data).toMatchObject({ hashes: [sha256(COUNT)], by: 'demo-county' });
  expect(((await (await ownDocuments(token)).json()) as { documents: unknown[] }).documents).toEqual([
    { hash: sha256(UNITS), document: UNITS },
  ]);

  const unknown = await gql(REMOVE_DOCS, { clientId: client.id, hashes: [sha256(UNITS), sha256(COUNT)] }, adminToken);
  expect(unknown.data?.removeTrustedDocuments).toEqual({
    __typename: 'MutationError',
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.hashes[1]', reason: 'no document of this client has this hash' }],
  });
});

test('a document that does not parse is named by its index, and nothing is stored', async () => {
  const { client } = await registerClient(true);
  const out = await gql(
    REGISTER_DOCS,
    { clientId: client.id, documents: [UNITS, '{ units { id ', 'type Unit { id: ID }', ''] },
    adminToken,
  );
  expect(out.data?.registerTrustedDocuments).toEqual({
    __typename: 'MutationError',
    code: 'VALIDATION_FAILED',
    details: [
      { path: '$.documents[1]', reason: expect.stringMatching(/^does not parse as GraphQL: Syntax Error/) },
      { path: '$.documents[2]', reason: 'must hold operations and fragments only, not ObjectTypeDefinition' },
      { path: '$.documents[3]', reason: 'must not be empty' },
    ],
  });
  expect((await h.models.clients.findOne({ _id: client.id }).lean())!.documents).toEqual([]);
});

test('the limit is switched per client: an ordinary client’s tokens carry no claim until it is set, and the change is announced', async () => {
  const { client, clientSecret } = await registerClient(false);
  const before = String((await clientCredentials(h.issuer, client.id, clientSecret)).body.access_token);
  expect(decodeJwt(before).trusted_documents).toBeUndefined();

  const set = await gql(SET_ONLY, { id: client.id, on: true }, adminToken);
  expect(set.data?.setPlatformClientTrustedDocumentsOnly).toEqual({
    __typename: 'MutationSetPlatformClientTrustedDocumentsOnlySuccess',
    data: { id: client.id, trustedDocumentsOnly: true },
  });
  const [changed] = await h.events.waitFor(
    (m) => m.envelope?.type === 'identity.client.trusted_documents_only_changed' && m.envelope.subject === client.id,
  );
  expect(changed!.envelope!.data).toMatchObject({ id: client.id, trustedDocumentsOnly: true });
  const after = String((await clientCredentials(h.issuer, client.id, clientSecret)).body.access_token);
  expect(decodeJwt(after).trusted_documents).toBe(true);
});

test('only a county administrator signed in as a person, and only for a client within their jurisdiction', async () => {
  const { client, clientSecret } = await registerClient(true);
  const refused = await gql(REGISTER_DOCS, { clientId: client.id, documents: [UNITS] }, townshipToken);
  expect(refused.data?.registerTrustedDocuments).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  const listRefused = await gql(LIST_DOCS, { clientId: client.id }, townshipToken);
  expect(listRefused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  // A client acting as county_admin cannot register documents, not even its own.
  const machine = String((await clientCredentials(h.issuer, client.id, clientSecret)).body.access_token);
  const selfServe = await gql(REGISTER_DOCS, { clientId: client.id, documents: ['{ anything }'] }, machine, {
    viaGateway: true,
  });
  expect(selfServe.data?.registerTrustedDocuments).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  // Straight to this service's port it is refused before any field: a limited client comes through the gateway.
  const direct = await gql(REGISTER_DOCS, { clientId: client.id, documents: ['{ anything }'] }, machine);
  expect(direct.errors?.[0]).toMatchObject({
    message: expect.stringContaining('may run only its trusted documents, through the gateway'),
    extensions: { code: 'FORBIDDEN' },
  });

  // Another county's client reads as absent to this county's administrator.
  const otherAdmin = { ...countyAdmin, subject: 'other-county-admin', jurisdiction: '500231000000' };
  const elsewhere = await h.services.clients.register(otherAdmin, {
    name: '邻县平台',
    role: 'county_admin',
    jurisdiction: '500231000000',
    access: 'read',
    trustedDocumentsOnly: true,
  });
  const foreign = await gql(REGISTER_DOCS, { clientId: elsewhere.client._id, documents: [UNITS] }, adminToken);
  expect(foreign.data?.registerTrustedDocuments).toMatchObject({ __typename: 'MutationError', code: 'NOT_FOUND' });
  const foreignSet = await gql(SET_ONLY, { id: elsewhere.client._id, on: false }, adminToken);
  expect(foreignSet.data?.setPlatformClientTrustedDocumentsOnly).toMatchObject({ code: 'NOT_FOUND' });
  expect((await h.models.clients.findOne({ _id: elsewhere.client._id }).lean())!.documents).toEqual([]);
});

test("the documents endpoint answers a client its own documents only: a person finds none, no token is refused, a revoked client's token is refused", async () => {
  expect((await ownDocuments(undefined)).status).toBe(401);
  const person = await ownDocuments(adminToken);
  expect(person.status).toBe(404);
  expect(((await person.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');

  const { client, clientSecret } = await registerClient(true);
  const token = String((await clientCredentials(h.issuer, client.id, clientSecret)).body.access_token);
  expect((await ownDocuments(token)).status).toBe(200);
  await h.services.clients.revoke(countyAdmin, { id: client.id });
  // The token predates the revocation: refused outright (its client's cutoff), as at the gateway.
  const revoked = await ownDocuments(token);
  expect(revoked.status).toBe(401);
  expect(((await revoked.json()) as { error: { message: string } }).error.message).toMatch(
    /^token was issued before its platform client was revoked/,
  );
});
