import { eventually } from '@firegov/testing';
import { createHash } from 'node:crypto';
import { clientCredentials, countyAdmin, startHarness, type Harness } from '../../services/identity/test/harness.ts';
import { TrustedDocumentCodes } from '../src/trusted-documents.ts';
import { postGraphQL, startGatewayWithSubgraphs, type GraphQLAnswer, type RunningGateway } from './fixtures/gateway.ts';

// End to end: the real identity service (on the real stack) issues the platform clients' tokens and
// keeps their trusted documents; the gateway verifies the tokens against its JWKS, reads a limited
// client's documents from it, and runs them against two subgraphs.

let h: Harness;
let gw: RunningGateway;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const UNITS = '{ units { id name } }';
const COUNT = 'query Count { hazardCount }';
const CACHE_MS = 1500;

let limited: string;
let limitedId: string;
let other: string;
let ordinary: string;

async function clientToken(trustedDocumentsOnly: boolean, documents: string[]): Promise<{ id: string; token: string }> {
  const issued = await h.services.clients.register(countyAdmin, {
    name: '县级平台',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
    trustedDocumentsOnly,
  });
  if (documents.length > 0) await h.services.clients.registerDocuments(countyAdmin, { clientId: issued.client._id, documents });
  const { body } = await clientCredentials(h.issuer, issued.client._id, issued.clientSecret);
  return { id: issued.client._id, token: String(body.access_token) };
}

beforeAll(async () => {
  h = await startHarness('gateway-trusted-docs');
  gw = await startGatewayWithSubgraphs({
    AUTH_ISSUER: h.issuer,
    AUTH_JWKS_URL: `${h.issuer}/jwks`,
    TRUSTED_DOCUMENTS_CACHE_MS: String(CACHE_MS),
    RATE_LIMIT_PER_MINUTE: '0',
  });
  ({ id: limitedId, token: limited } = await clientToken(true, [UNITS]));
  ({ token: other } = await clientToken(true, [COUNT]));
  ({ token: ordinary } = await clientToken(false, []));
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await h?.stop();
});

/** A persisted operation as Apollo sends it (hash only), or by documentId. */
async function byHash(token: string, hash: string, as: 'apollo' | 'documentId' = 'apollo'): Promise<GraphQLAnswer> {
  const body = as === 'apollo' ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { documentId: hash };
  return postGraphQL(gw.url, '', { token, rawBody: JSON.stringify(body) });
}

const served = () => gw.units.authorizations.length + gw.hazards.authorizations.length;

test('a limited client runs its registered document by its hash (Apollo persisted query, or documentId)', async () => {
  const apollo = await byHash(limited, sha256(UNITS));
  expect(apollo.status).toBe(200);
  expect(apollo.body).toEqual({
    data: {
      units: [
        { id: 'u1', name: '青龙乡中心小学' },
        { id: 'u2', name: '青龙乡敬老院' },
      ],
    },
  });
  const documentId = await byHash(limited, sha256(UNITS), 'documentId');
  expect(documentId.body.data).toEqual(apollo.body.data);
});

test('a limited client sending a query text is refused, even the text of its own document, and no subgraph is asked', async () => {
  const before = served();
  for (const query of [UNITS, '{ hazardCount }']) {
    const res = await postGraphQL(gw.url, query, { token: limited });
    expect(res.status).toBe(403);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('may run only its registered documents'),
        extensions: expect.objectContaining({ code: TrustedDocumentCodes.only }),
      }),
    ]);
  }
  expect(served()).toBe(before);
});

test("an unknown hash, or another client's document's hash, is refused as not in the client's list", async () => {
  const before = served();
  for (const hash of [sha256('{ units { id } }'), sha256(COUNT), 'not-a-hash']) {
    const res = await byHash(limited, hash);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: TrustedDocumentCodes.notInList });
  }
  // The other client runs its own document.
  expect((await byHash(other, sha256(COUNT))).body).toEqual({ data: { hazardCount: 2 } });
  expect(served()).toBe(before + 1);
});

test('every other caller is unchanged: an ordinary client and a person send any query', async () => {
  const res = await postGraphQL(gw.url, '{ units { id } hazardCount }', { token: ordinary });
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual({ units: [{ id: 'u1' }, { id: 'u2' }], hazardCount: 2 });

  const person = await h.personToken('county');
  expect((await postGraphQL(gw.url, '{ hazardCount }', { token: person })).body).toEqual({ data: { hazardCount: 2 } });

  // A hash alone from an ordinary caller is "not found", which Apollo's automatic persisted queries answer with the text.
  const hashOnly = await byHash(ordinary, sha256(UNITS));
  expect(hashOnly.body.errors?.[0]).toMatchObject({
    message: 'PersistedQueryNotFound',
    extensions: { code: TrustedDocumentCodes.notFound },
  });
});

test('a removed document stops working within the cache time; a new one works about as soon', async () => {
  await h.services.clients.removeDocuments(countyAdmin, { clientId: limitedId, hashes: [sha256(UNITS)] });
  const removedAt = Date.now();
  await eventually(async () => {
    expect((await byHash(limited, sha256(UNITS))).body.errors?.[0]?.extensions).toMatchObject({
      code: TrustedDocumentCodes.notInList,
    });
  });
  expect(Date.now() - removedAt).toBeLessThan(CACHE_MS + 1000);

  await h.services.clients.registerDocuments(countyAdmin, { clientId: limitedId, documents: [COUNT] });
  await eventually(async () => expect((await byHash(limited, sha256(COUNT))).body).toEqual({ data: { hazardCount: 2 } }));
});
