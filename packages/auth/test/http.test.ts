import { createHttpApp, createLogger, finishApp, listen, type RunningServer } from '@firegov/kit';
import { startTestIssuer, type TestIssuer } from '@firegov/testing';
import {
  identityFromAuthorizationHeader,
  identityOf,
  requireIdentity,
  type Identity,
  type VerifyTokenOptions,
} from '../src/index.ts';

const admin: Identity = {
  subject: 'admin-1',
  role: 'county_admin',
  jurisdiction: '500230000000',
  client: { id: 'firegov-console', scopes: ['read', 'write'] },
};
let server: RunningServer;
let issuer: TestIssuer;
let verify: VerifyTokenOptions;
const signToken = (identity: Identity) => issuer.signToken(identity);

beforeAll(async () => {
  issuer = await startTestIssuer();
  verify = issuer.verification();
  const logger = createLogger({ service: 'test', level: 'silent' });
  const app = createHttpApp({ logger, readiness: [] });
  app.get('/me', requireIdentity(verify), (_req, res) => {
    res.json(identityOf(res));
  });
  finishApp(app, logger);
  server = await listen(app, 0);
});

afterAll(async () => {
  await server.close();
  await issuer.close();
});

describe('identityFromAuthorizationHeader', () => {
  test('accepts Bearer with any case and spacing', async () => {
    const token = await signToken(admin);
    await expect(identityFromAuthorizationHeader(`Bearer ${token}`, verify)).resolves.toEqual(admin);
    await expect(identityFromAuthorizationHeader(`bearer   ${token}`, verify)).resolves.toEqual(admin);
  });

  test.each([
    [undefined, 'missing Authorization header (expected "Bearer <token>")'],
    ['', 'missing Authorization header (expected "Bearer <token>")'],
    ['Basic dXNlcjpwYXNz', 'Authorization header must be "Bearer <token>"'],
    ['Bearer', 'Authorization header must be "Bearer <token>"'],
    ['Bearer a b', 'Authorization header must be "Bearer <token>"'],
  ])('%p is refused', async (header, message) => {
    await expect(identityFromAuthorizationHeader(header, verify)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message });
  });
});

describe('requireIdentity', () => {
  test('puts the identity on res.locals', async () => {
    const token = await signToken(admin);
    const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(admin);
  });

  test('answers 401 in the platform error shape with a Bearer challenge', async () => {
    const res = await fetch(`${server.url}/me`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="firegov", error="invalid_token"/);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    expect(body.error.message).toMatch(/^token is malformed/);
    expect(body.error.details).toEqual([]);
  });

  test('answers 401 without a header', async () => {
    const res = await fetch(`${server.url}/me`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  test("answers 503 with Retry-After and no challenge while the issuer's keys cannot be fetched", async () => {
    const token = await signToken(admin);
    const logger = createLogger({ service: 'test', level: 'silent' });
    const app = createHttpApp({ logger, readiness: [] });
    // A verifier of its own, so its JWKS is not cached yet.
    app.get('/me', requireIdentity(issuer.verification()), (_req, res) => {
      res.json(identityOf(res));
    });
    finishApp(app, logger);
    const own = await listen(app, 0);
    issuer.setAvailable(false);
    try {
      const res = await fetch(`${own.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    } finally {
      issuer.setAvailable(true);
      await own.close();
    }
  });
});
