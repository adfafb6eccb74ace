import { parseEnv } from '@firegov/kit';
import { gatewayEnvSchema, trustedDocumentsUrl } from '../src/env.ts';
import { limitedClientOf, needsFetch } from '../src/trusted-documents.ts';

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
  const base = { AUTH_ISSUER: 'http://127.0.0.1:4006', AUTH_JWKS_URL: 'http://identity:4006/jwks' };
  const env = parseEnv(gatewayEnvSchema, base);
  expect(trustedDocumentsUrl(env)).toBe('http://identity:4006/trusted-documents');
  expect(env.TRUSTED_DOCUMENTS_CACHE_MS).toBe(30_000);
  expect(trustedDocumentsUrl(parseEnv(gatewayEnvSchema, { ...base, TRUSTED_DOCUMENTS_URL: 'https://id.example/docs' }))).toBe(
    'https://id.example/docs',
  );
  expect(() => parseEnv(gatewayEnvSchema, { ...base, TRUSTED_DOCUMENTS_URL: 'ftp://x/y' })).toThrow(/TRUSTED_DOCUMENTS_URL/);
});
