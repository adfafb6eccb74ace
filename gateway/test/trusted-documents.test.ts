import { createLogger, parseEnv } from '@firegov/kit';
import { freePort } from '@firegov/testing';
import http from 'node:http';
import { gatewayEnvSchema, trustedDocumentsUrl } from '../src/env.ts';
import { limitedClientOf, needsFetch, trustedDocuments } from '../src/trusted-documents.ts';

// Who is limited to trusted documents (read from the verified token's claims), and when a client's
// cached documents are fetched again.

const bearer = (claims: Record<string, unknown>) =>
  `Bearer eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('a token with trusted_documents: true and a client_id is limited; any other is not', () => {
  expect(limitedClientOf(bearer({ sub: 'pc_1', client_id: 'pc_1', trusted_documents: true }))).toBe('pc_1');
  expect(limitedClientOf(bearer({ sub: 'pc_1', client_id: 'pc_1' }))).toBeUndefined();
  expect(limitedClientOf(bearer({ sub: 'pc_1', client_id: 'pc_1', trusted_documents: 'true' }))).toBeUndefined();
  expect(limitedClientOf(bearer({ sub: 'demo-county', trusted_documents: true }))).toBeUndefined();
  expect(limitedClientOf(null)).toBeUndefined();
  expect(limitedClientOf('Bearer not-a-jwt')).toBeUndefined();
  expect(limitedClientOf('Basic cGM6c2VjcmV0')).toBeUndefined();
});

describe('needsFetch', () => {
  const policy = { ttlMs: 30_000, missRefreshMs: 2000 };
  const entry = { documents: new Map([['a'.repeat(64), '{ x }']]), fetchedAt: 100_000 };

  test('nothing cached, or cached longer than the TTL: fetch', () => {
    expect(needsFetch(undefined, 'a'.repeat(64), 0, policy)).toBe(true);
    expect(needsFetch(entry, 'a'.repeat(64), 130_000, policy)).toBe(true);
  });
  test('a hit within the TTL is answered from the cache', () => {
    expect(needsFetch(entry, 'a'.repeat(64), 129_999, policy)).toBe(false);
  });
  test('a miss fetches again only once the entry is missRefreshMs old', () => {
    expect(needsFetch(entry, 'b'.repeat(64), 101_999, policy)).toBe(false);
    expect(needsFetch(entry, 'b'.repeat(64), 102_000, policy)).toBe(true);
  });
});

test('TRUSTED_DOCUMENTS_URL defaults to the endpoint beside the JWKS; a non-http value is refused', () => {
  const base = {
    AUTH_ISSUER: 'http://127.0.0.1:4006',
    AUTH_JWKS_URL: 'http://identity:4006/jwks',
    GATEWAY_FORWARD_KEYS: 'gateway-forward-key-of-at-least-32-chars',
  };
  const env = parseEnv(gatewayEnvSchema, base);
  expect(trustedDocumentsUrl(env)).toBe('http://identity:4006/trusted-documents');
  expect(env.TRUSTED_DOCUMENTS_CACHE_MS).toBe(30_000);
  expect(trustedDocumentsUrl(parseEnv(gatewayEnvSchema, { ...base, TRUSTED_DOCUMENTS_URL: 'https://id.example/docs' }))).toBe(
    'https://id.example/docs',
  );
  expect(() => parseEnv(gatewayEnvSchema, { ...base, TRUSTED_DOCUMENTS_URL: 'ftp://x/y' })).toThrow(/TRUSTED_DOCUMENTS_URL/);
});

describe('reading a client’s documents', () => {
  const hash = 'a'.repeat(64);
  const limited = new Request('http://gw/graphql', {
    headers: { authorization: bearer({ sub: 'pc_1', client_id: 'pc_1', trusted_documents: true }) },
  });
  const logger = createLogger({ service: 'trusted-documents-test', level: 'silent' });

  test('the identity service unreachable: UNAVAILABLE (503), not "not in the list"', async () => {
    const port = await freePort();
    const docs = trustedDocuments({ url: `http://127.0.0.1:${port}/trusted-documents`, ttlMs: 30_000, logger });
    await expect(docs.getPersistedOperation(hash, limited)).rejects.toMatchObject({
      extensions: { code: 'UNAVAILABLE', http: { status: 503 } },
    });
  });

  test('asked with the caller’s token; an answer for another client is refused; a 404 is no documents', async () => {
    const seen: Array<string | undefined> = [];
    let answer: { status: number; body: unknown } = { status: 200, body: { clientId: 'pc_other', documents: [] } };
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/trusted-documents`;
      const docs = trustedDocuments({ url, ttlMs: 0, logger });
      await expect(docs.getPersistedOperation(hash, limited)).rejects.toMatchObject({ extensions: { code: 'UNAVAILABLE' } });
      expect(seen).toEqual([limited.headers.get('authorization')]);

      answer = { status: 200, body: { clientId: 'pc_1', documents: [{ hash, document: '{ x }' }] } };
      expect(await docs.getPersistedOperation(hash, limited)).toBe('{ x }');
      answer = { status: 404, body: { error: { code: 'NOT_FOUND' } } };
      expect(await docs.getPersistedOperation(hash, limited)).toBeNull();
      // Not limited: nothing is asked, and the caller may send any document.
      const ordinary = new Request('http://gw/graphql', {
        headers: { authorization: bearer({ sub: 'pc_2', client_id: 'pc_2' }) },
      });
      expect(await docs.getPersistedOperation(hash, ordinary)).toBeNull();
      expect(docs.allowArbitraryDocuments(ordinary)).toBe(true);
      expect(docs.allowArbitraryDocuments(limited)).toBe(false);
      expect(seen).toHaveLength(3);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
