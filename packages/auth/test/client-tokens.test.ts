import { createHttpApp, createLogger, finishApp, listen, type RunningServer } from '@firegov/kit';
import { decodeJwt, SignJWT } from 'jose';
import { signTestToken } from '@firegov/testing';
import { clientCredentialsTokens, hashSecret, OAuthError, oauthTokenHandler, type TokenClient } from '../src/index.ts';

const KEY = 'test-only-client-token-key-0123456789abcdef';
const SECRET = 'fgs_the-secret';
const HASH = hashSecret(SECRET, Buffer.alloc(16, 7));
let now = new Date('2024-03-10T00:00:00Z');

const clients = new Map<string, TokenClient>([
  ['gw_1.a', { ownerId: 'gw_1', secrets: [{ id: 's1', hash: HASH, createdAt: '2024-01-01T00:00:00Z' }] }],
  [
    'gw_1.revoked',
    {
      ownerId: 'gw_1',
      secrets: [{ id: 's2', hash: HASH, createdAt: '2024-01-01T00:00:00Z' }],
      revokedAt: '2024-02-01T00:00:00Z',
    },
  ],
  [
    'gw_2.a',
    {
      ownerId: 'gw_2',
      secrets: [{ id: 's3', hash: HASH, createdAt: '2024-01-01T00:00:00Z' }],
      inactiveReason: 'gateway is suspended',
    },
  ],
]);

const tokens = clientCredentialsTokens({
  audience: 'test-api',
  issuer: 'test-issuer',
  secret: KEY,
  ttlS: 600,
  now: () => now,
  ownerClaim: 'gateway',
  findClient: async (id) => clients.get(id) ?? null,
});

const grant = { grant_type: 'client_credentials' };
const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
  throw new Error('expected an OAuthError');
}

describe('issue', () => {
  test('a token for the client, naming its owner, valid for ttlS', async () => {
    const res = await tokens.issue(basic(`gw_1.a:${SECRET}`), grant);
    expect(res).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const claims = decodeJwt(res.access_token);
    expect(claims).toMatchObject({ sub: 'gw_1.a', gateway: 'gw_1', aud: 'test-api', iss: 'test-issuer' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    const viaForm = await tokens.issue(undefined, { ...grant, client_id: 'gw_1.a', client_secret: SECRET });
    expect(decodeJwt(viaForm.access_token).sub).toBe('gw_1.a');
  });

  test('one answer for an unknown id, a wrong secret, a revoked client and no credentials', async () => {
    for (const auth of [basic(`gw_9.a:${SECRET}`), basic('gw_1.a:fgs_wrong'), basic(`gw_1.revoked:${SECRET}`), undefined]) {
      const err = await refusal(tokens.issue(auth, grant));
      expect([err.status, err.error, err.message]).toEqual([401, 'invalid_client', 'client authentication failed']);
    }
  });

  test('a wrong grant and an inactive owner are 400s', async () => {
    const wrongGrant = await refusal(tokens.issue(basic(`gw_1.a:${SECRET}`), { grant_type: 'password' }));
    expect([wrongGrant.status, wrongGrant.error]).toEqual([400, 'unsupported_grant_type']);
    const inactive = await refusal(tokens.issue(basic(`gw_2.a:${SECRET}`), grant));
    expect([inactive.status, inactive.error, inactive.message]).toEqual([400, 'unauthorized_client', 'gateway is suspended']);
  });

  test('a key shorter than 32 bytes is a configuration error', () => {
    expect(() =>
      clientCredentialsTokens({
        audience: 'a',
        issuer: 'i',
        secret: 'short',
        ttlS: 1,
        now: () => now,
        ownerClaim: 'o',
        findClient: async () => null,
      }),
    ).toThrow('at least 32 bytes');
  });
});

describe('verify', () => {
  const sign = (claims: Record<string, unknown>, o: { key?: string; audience?: string; exp?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(o.audience ?? 'test-api')
      .setIssuer('test-issuer')
      .setExpirationTime(o.exp ?? Math.floor(now.getTime() / 1000) + 60)
      .sign(new TextEncoder().encode(o.key ?? KEY));

  test('returns the owner and client of a valid token', async () => {
    const { access_token } = await tokens.issue(basic(`gw_1.a:${SECRET}`), grant);
    await expect(tokens.verify(`Bearer ${access_token}`)).resolves.toEqual({ ownerId: 'gw_1', clientId: 'gw_1.a' });
  });

  test.each([
    ['no header', async () => undefined, 'a bearer token from /oauth/token is required'],
    ['another scheme', async () => 'Basic abc', 'a bearer token from /oauth/token is required'],
    [
      'another key',
      async () => `Bearer ${await sign({ sub: 'gw_1.a', gateway: 'gw_1' }, { key: `${KEY}x` })}`,
      'invalid token: signature verification failed',
    ],
    [
      'another audience',
      async () => `Bearer ${await sign({ sub: 'gw_1.a', gateway: 'gw_1' }, { audience: 'firegov' })}`,
      /^invalid token: unexpected "aud"/,
    ],
    ['no owner claim', async () => `Bearer ${await sign({ sub: 'gw_1.a' })}`, 'invalid token claims'],
    [
      'an owner that is not the client’s',
      async () => `Bearer ${await sign({ sub: 'gw_1.a', gateway: 'gw_2' })}`,
      'invalid token claims',
    ],
    [
      'a revoked client',
      async () => `Bearer ${await sign({ sub: 'gw_1.revoked', gateway: 'gw_1' })}`,
      'the client of this token was revoked',
    ],
    [
      'an unknown client',
      async () => `Bearer ${await sign({ sub: 'gw_9.a', gateway: 'gw_9' })}`,
      'the client of this token was revoked',
    ],
  ])('%s is UNAUTHENTICATED', async (_name, header, message) => {
    await expect(tokens.verify(await header())).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message });
  });

  test("a user token of the platform is not accepted, nor one with this API's key made out for the platform", async () => {
    const user = await signTestToken({ subject: 'u', role: 'county_admin', jurisdiction: '500230000000' });
    await expect(tokens.verify(`Bearer ${user}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // Scoped by audience and issuer: the right key is not enough for a token meant for another API.
    const elsewhere = await new SignJWT({ gateway: 'gw_1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('gw_1.a')
      .setAudience('firegov')
      .setIssuer('test-issuer')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(KEY));
    await expect(tokens.verify(`Bearer ${elsewhere}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^invalid token: unexpected "aud" claim value/),
    });
  });

  test('an expired token is refused at the injected time', async () => {
    const { access_token } = await tokens.issue(basic(`gw_1.a:${SECRET}`), grant);
    const issuedAt = now;
    now = new Date(issuedAt.getTime() + 601_000);
    try {
      await expect(tokens.verify(`Bearer ${access_token}`)).rejects.toMatchObject({
        message: expect.stringMatching(/^invalid token: .*"exp"/),
      });
    } finally {
      now = issuedAt;
    }
  });
});

describe('oauthTokenHandler', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const logger = createLogger({ service: 'test', level: 'silent' });
    const app = createHttpApp({ logger, readiness: [] });
    // The app's JSON parser stands in for the urlencoded one a service mounts: the handler reads req.body either way.
    app.post('/oauth/token', oauthTokenHandler(tokens, 'test-realm'));
    finishApp(app, logger);
    server = await listen(app, 0);
  });

  afterAll(async () => {
    await server.close();
  });

  const post = (body: Record<string, string>, authorization?: string) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  test('answers the token, not to be cached', async () => {
    const res = await post(grant, basic(`gw_1.a:${SECRET}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
  });

  test('answers refusals in RFC 6749 §5.2 shape, with a Basic challenge on 401', async () => {
    const unauthorized = await post(grant, basic('gw_1.a:fgs_wrong'));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toBe('Basic realm="test-realm"');
    expect(await unauthorized.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    const badGrant = await post({ grant_type: 'password' });
    expect(badGrant.status).toBe(400);
    expect(badGrant.headers.get('www-authenticate')).toBeNull();
    expect(await badGrant.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant_type must be client_credentials',
    });
  });
});
