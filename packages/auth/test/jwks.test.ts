import { AppError } from '@firegov/kit';
import { freePort, startTestIssuer, type TestIssuer } from '@firegov/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { authEnvShape, remoteKeys, tokenVerification, verifyToken, type Identity } from '../src/index.ts';
import { z } from 'zod';

// Verification against the issuer's published keys (JWKS) over real HTTP: rotation, unknown keys,
// algorithms that must never verify, and an issuer that cannot be reached.

// A person signed in at the console: the token names the person and the app, and comes back whole.
const officer: Identity = {
  subject: 'user-7',
  role: 'township_officer',
  jurisdiction: '500230213000',
  client: { id: 'firegov-console', scopes: ['openid', 'read', 'write'] },
};

let issuer: TestIssuer;

beforeEach(async () => {
  issuer = await startTestIssuer();
});

afterEach(async () => {
  await issuer.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('a token signed by a key the issuer never published is refused as an unknown key', async () => {
  const verify = issuer.verification();
  const stranger = await issuer.addKey({ publish: false });
  const err = await rejectionOf(verifyToken(await issuer.signToken(officer, { kid: stranger }), verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toBe('token is signed by a key the issuer does not publish (unknown kid)');
  expect(err.details).toEqual([{ path: 'kid', reason: 'no key of the issuer has this id' }]);
});

test('a key published after the verifier cached the JWKS is picked up by one refetch', async () => {
  const verify = issuer.verification({ cooldownMs: 0 });
  await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
  expect(issuer.jwksFetches).toBe(1);

  const rotatedIn = await issuer.addKey({ current: true });
  const token = await issuer.signToken(officer);
  expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(rotatedIn);
  await expect(verifyToken(token, verify)).resolves.toEqual(officer);
  expect(issuer.jwksFetches).toBe(2);
  // Known now: no further fetch.
  await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
  expect(issuer.jwksFetches).toBe(2);
});

test('within the cooldown an unknown kid is refused without fetching again, so forged kids cannot hammer the issuer', async () => {
  const verify = issuer.verification({ cooldownMs: 60_000 });
  await verifyToken(await issuer.signToken(officer), verify);
  const stranger = await issuer.addKey({ publish: false });
  for (let i = 0; i < 5; i += 1) {
    const err = await rejectionOf(verifyToken(await issuer.signToken(officer, { kid: stranger }), verify));
    expect(err.message).toMatch(/unknown kid/);
  }
  expect(issuer.jwksFetches).toBe(1);
});

test("the old key's tokens verify while it is published and are refused once the issuer drops it", async () => {
  const verify = issuer.verification({ cacheMaxAgeMs: 200, cooldownMs: 0 });
  const oldKid = issuer.currentKid;
  const oldToken = await issuer.signToken(officer);
  await expect(verifyToken(oldToken, verify)).resolves.toEqual(officer);

  // Rotation: the new key signs from now on, the old one stays published until its tokens expire.
  await issuer.addKey({ current: true });
  await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
  await expect(verifyToken(oldToken, verify)).resolves.toEqual(officer);

  issuer.unpublish(oldKid);
  // Past the cache's age the verifier fetches the JWKS again and no longer finds the old key.
  await sleep(250);
  const err = await rejectionOf(verifyToken(oldToken, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toMatch(/unknown kid/);
  await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
});

test('an HS256 token is refused for its algorithm before any key is fetched', async () => {
  const verify = issuer.verification();
  const secret = new TextEncoder().encode('a-shared-secret-anyone-with-the-env-could-read-0123');
  const token = await new SignJWT({ role: 'county_admin', jur: '500230000000' })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid })
    .setSubject('intruder')
    .setIssuer(issuer.issuer)
    .setAudience('firegov')
    .setExpirationTime('1h')
    .sign(secret);
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toBe('token algorithm is not allowed (expected ES256 or EdDSA)');
  expect(issuer.jwksFetches).toBe(0);
});

test('an unsigned (alg none) token is refused', async () => {
  const verify = issuer.verification();
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = `${enc({ alg: 'none', kid: issuer.currentKid })}.${enc({ sub: 'u', role: 'county_admin', jur: '500230000000', iss: issuer.issuer, aud: 'firegov', exp })}.`;
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toMatch(/^token algorithm is not allowed|^token is malformed/);
  expect(issuer.jwksFetches).toBe(0);
});

test('a token without a kid is refused naming the header', async () => {
  const verify = issuer.verification();
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const signed = await issuer.signClaims({
    sub: 'u',
    role: 'county_admin',
    jur: '500230000000',
    iss: issuer.issuer,
    aud: 'firegov',
    exp,
  });
  const [, payload, signature] = signed.split('.');
  const err = await rejectionOf(verifyToken(`${enc({ alg: 'ES256' })}.${payload}.${signature}`, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toBe('token names no signing key (missing kid header)');
});

test('an EdDSA token verifies against its published key', async () => {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'ed-1', alg: 'EdDSA' }] });
  const token = await new SignJWT({ role: 'township_officer', jur: '500230213000' })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt' })
    .setSubject('user-7')
    .setIssuer('http://issuer.test')
    .setAudience('firegov')
    .setExpirationTime('1h')
    .sign(privateKey);
  await expect(verifyToken(token, { keys, issuer: 'http://issuer.test' })).resolves.toEqual({
    subject: 'user-7',
    role: 'township_officer',
    jurisdiction: '500230213000',
  });
});

describe('an issuer that cannot be reached', () => {
  test('a JWKS answering 503 makes the request UNAVAILABLE (503, retryable), not a refusal', async () => {
    const verify = issuer.verification();
    issuer.setAvailable(false);
    const err = await rejectionOf(verifyToken(await issuer.signToken(officer), verify));
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`the token issuer's keys could not be fetched from ${issuer.issuer}; retry shortly`);
    // Back up: the same token verifies.
    issuer.setAvailable(true);
    await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
  });

  test('nothing listening at the JWKS URL is UNAVAILABLE', async () => {
    const port = await freePort();
    const verify = { keys: remoteKeys(`http://127.0.0.1:${port}/jwks`), issuer: issuer.issuer };
    const err = await rejectionOf(verifyToken(await issuer.signToken(officer), verify));
    expect(err.code).toBe('UNAVAILABLE');
  });

  test('a JWKS already fetched keeps verifying known keys while the issuer is down', async () => {
    const verify = issuer.verification({ cooldownMs: 0 });
    await verifyToken(await issuer.signToken(officer), verify);
    issuer.setAvailable(false);
    await expect(verifyToken(await issuer.signToken(officer), verify)).resolves.toEqual(officer);
    // A key it has not seen needs a fetch, which fails: UNAVAILABLE, since the key may well be real.
    const rotatedIn = await issuer.addKey();
    const err = await rejectionOf(verifyToken(await issuer.signToken(officer, { kid: rotatedIn }), verify));
    expect(err.code).toBe('UNAVAILABLE');
  });
});

describe('authEnvShape', () => {
  const schema = z.object(authEnvShape);

  const forwardKey = 'a-gateway-forward-key-of-32-chars-or-more';

  test('reads the issuer, the JWKS URL, the audience (default firegov) and the forward keys into a verification', async () => {
    const env = schema.parse({
      AUTH_ISSUER: issuer.issuer,
      AUTH_JWKS_URL: issuer.jwksUrl,
      GATEWAY_FORWARD_KEYS: `${forwardKey}-new, ${forwardKey}`,
    });
    expect(env.AUTH_AUDIENCE).toBe('firegov');
    expect(env.AUTH_CLIENT_CUTOFF_PREFIX).toBe('firegov:auth:client-cutoff:');
    const verification = tokenVerification(env);
    expect(verification.gatewayForwardKeys).toEqual([`${forwardKey}-new`, forwardKey]);
    // Without Redis no cutoffs are read (a process under test that has none).
    expect(verification.cutoffs).toBeUndefined();
    await expect(verifyToken(await issuer.signToken(officer), verification)).resolves.toEqual(officer);
  });

  test('a gateway-forward key shorter than 32 characters is refused, naming the variable', () => {
    const result = schema.safeParse({
      AUTH_ISSUER: issuer.issuer,
      AUTH_JWKS_URL: issuer.jwksUrl,
      GATEWAY_FORWARD_KEYS: `${forwardKey},short`,
    });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'GATEWAY_FORWARD_KEYS.1: each key must be at least 32 characters',
    ]);
  });

  test('both URLs are required and must be http(s), naming the variable', () => {
    const result = schema.safeParse({ AUTH_JWKS_URL: 'ftp://x/jwks', GATEWAY_FORWARD_KEYS: forwardKey });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      "AUTH_ISSUER: is required: the identity service's issuer, e.g. http://127.0.0.1:4006",
      'AUTH_JWKS_URL: must be an http(s) URL',
    ]);
  });
});
