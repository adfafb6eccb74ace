import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { clientCredentials, countyAdmin, startHarness, type Harness } from '../harness.ts';

// Platform clients get ES256 JWT access tokens with client credentials; anyone verifies them with the published JWKS.

let h: Harness;
let clientId: string;
let secret: string;

beforeAll(async () => {
  h = await startHarness('identity-cc');
  const issued = await h.services.clients.register(countyAdmin, {
    name: '县级平台',
    role: 'township_officer',
    jurisdiction: '500230213000',
    access: 'read',
  });
  clientId = issued.client._id;
  secret = issued.clientSecret;
}, 60_000);

afterAll(() => h?.stop());

test('discovery names the issuer, the JWKS and the endpoints', async () => {
  const res = await fetch(`${h.issuer}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as Record<string, unknown>;
  expect(doc).toMatchObject({
    issuer: h.issuer,
    jwks_uri: `${h.issuer}/jwks`,
    token_endpoint: `${h.issuer}/token`,
    introspection_endpoint: `${h.issuer}/token/introspection`,
    revocation_endpoint: `${h.issuer}/token/revocation`,
    code_challenge_methods_supported: ['S256'],
  });
  expect(doc.grant_types_supported).toEqual(
    expect.arrayContaining(['client_credentials', 'authorization_code', 'refresh_token']),
  );
});

test('client credentials give an ES256 JWT with the platform claims, verifiable against the JWKS', async () => {
  const { status, body } = await clientCredentials(h.issuer, clientId, secret);
  expect(status).toBe(200);
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read' });
  const token = String(body.access_token);
  const header = decodeProtectedHeader(token);
  expect(header).toMatchObject({ alg: 'ES256', kid: h.ring.activeKid() });

  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), {
    issuer: h.issuer,
    audience: 'firegov',
    algorithms: ['ES256'],
  });
  expect(payload).toMatchObject({
    sub: clientId,
    client_id: clientId,
    role: 'township_officer',
    jur: '500230213000',
    scope: 'read',
  });
  expect(payload.exp! - payload.iat!).toBe(600);
  expect(typeof payload.jti).toBe('string');
});

test('a read client cannot get write; the JWKS carries no private key part', async () => {
  const { status, body } = await clientCredentials(h.issuer, clientId, secret, 'read write');
  expect(status).toBe(400);
  expect(body).toMatchObject({ error: 'invalid_scope', scope: 'write' });
  const jwks = (await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
  expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
  for (const key of jwks.keys) {
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.d).toBeUndefined();
  }
});

test('the secret is stored only as a hash, and a wrong secret is refused', async () => {
  const doc = await h.models.clients.findOne({ _id: clientId }).lean();
  expect(doc!.secretHash).toMatch(/^scrypt\$/);
  expect(JSON.stringify(doc)).not.toContain(secret);
  const wrong = await clientCredentials(h.issuer, clientId, `${secret}x`);
  expect(wrong.status).toBe(401);
  expect(wrong.body.error).toBe('invalid_client');
});

test('a revoked client gets no token at once', async () => {
  const issued = await h.services.clients.register(countyAdmin, {
    name: '将吊销',
    role: 'fire_brigade',
    jurisdiction: '500230000000',
    access: 'write',
  });
  const before = await clientCredentials(h.issuer, issued.client._id, issued.clientSecret, 'read write');
  expect(before.status).toBe(200);
  expect(before.body.scope).toBe('read write');
  await h.services.clients.revoke(countyAdmin, { id: issued.client._id });
  const after = await clientCredentials(h.issuer, issued.client._id, issued.clientSecret);
  expect(after.status).toBe(401);
  expect(after.body.error).toBe('invalid_client');
});
