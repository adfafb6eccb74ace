import { createRemoteJWKSet, decodeProtectedHeader, errors, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { keyStore } from '../../src/oidc/keys.ts';
import { testLogger } from '@firegov/testing';
import { clientCredentials, countyAdmin, startHarness, type Harness } from '../harness.ts';

// Signing keys rotate: a new key is published before it signs, the old one stays published until
// its tokens have expired, and a token from a key the JWKS does not publish is refused.

const H = 3_600_000;
// Real time, short spans: the provider stamps iat/exp with the real clock, so the schedule runs on it too.
const TTL_S = 3;
const AHEAD_MS = 1500;
const policy = { rotationIntervalMs: 24 * H, publishAheadMs: AHEAD_MS, retainAfterRetireMs: (TTL_S + 1) * 1000 };
let h: Harness;
let clientId: string;
let secret: string;

beforeAll(async () => {
  h = await startHarness('identity-keys', { accessTokenTtl: TTL_S, keyPolicy: policy });
  const issued = await h.services.clients.register(countyAdmin, {
    name: '轮换测试',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
  });
  clientId = issued.client._id;
  secret = issued.clientSecret;
}, 60_000);

afterAll(() => h?.stop());

const jwksKids = async () =>
  ((await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
const token = async () => String((await clientCredentials(h.issuer, clientId, secret)).body.access_token);
/** Verifies as a service does: a fresh remote key set (no cache from earlier checks). */
const verify = (jwt: string) =>
  jwtVerify(jwt, createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), { issuer: h.issuer, audience: 'firegov' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a rotated key is published ahead, signs from its time, and the old key verifies its tokens until they expire', async () => {
  const k1 = h.ring.activeKid();
  expect(await jwksKids()).toEqual([k1]);
  const listed = await h.services.signingKeys.rotate(countyAdmin, false);
  const k2 = listed.find((k) => k.state === 'upcoming')!.kid;
  expect(await jwksKids()).toEqual([k1, k2]);
  // Published, not signing yet: verifiers that cache the JWKS learn it first.
  const old = await token();
  expect(decodeProtectedHeader(old).kid).toBe(k1);

  // The service switches by itself when the new key's time comes (no request needed).
  await sleep(AHEAD_MS + 300);
  expect(h.ring.activeKid()).toBe(k2);
  const fresh = await token();
  expect(decodeProtectedHeader(fresh).kid).toBe(k2);
  expect(await jwksKids()).toEqual([k2, k1]);
  await expect(verify(old)).resolves.toBeDefined();
  await expect(verify(fresh)).resolves.toBeDefined();

  // Once every token of the old key has expired (TTL + skew after it stopped signing), it is destroyed and unpublished.
  await sleep((TTL_S + 1) * 1000 + 300);
  expect(await jwksKids()).toEqual([k2]);
  expect(await h.models.signingKeys.countDocuments({ _id: k1 })).toBe(0);
  await expect(verify(old)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
});

test('a token signed by a key the JWKS does not publish is refused', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const claims = { role: 'county_admin', jur: '500230000000', client_id: clientId, scope: 'read' };
  const sign = (kid: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(h.issuer)
      .setAudience('firegov')
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  await expect(verify(await sign('unknown-kid'))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  // The active kid with a key that is not the published one: the signature fails.
  await expect(verify(await sign(h.ring.activeKid()))).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  expect(JSON.stringify(await exportJWK(privateKey))).not.toContain(h.ring.activeKid());
});

test('an immediate rotation signs with the new key at once', async () => {
  const before = h.ring.activeKid();
  const listed = await h.services.signingKeys.rotate(countyAdmin, true);
  const active = listed.find((k) => k.state === 'active')!.kid;
  expect(active).not.toBe(before);
  expect(h.ring.activeKid()).toBe(active);
  expect(decodeProtectedHeader(await token()).kid).toBe(active);
  expect(await jwksKids()).toEqual([active, before]);
});

test('replicas rotating at the same moment create one successor; only an administrator rotates', async () => {
  const now = () => new Date();
  const a = keyStore({ models: h.models, policy, now, logger: testLogger() });
  const b = keyStore({ models: h.models, policy, now, logger: testLogger() });
  const [sa, sb] = await Promise.all([a.rotate({ immediate: false }), b.rotate({ immediate: false })]);
  expect(sa.fingerprint).toBe(sb.fingerprint);
  expect(sa.schedule.upcoming.map((k) => k.kid)).toHaveLength(1);
  await expect(
    h.services.signingKeys.rotate({ subject: 'x', role: 'township_officer', jurisdiction: '500230213000' }, true),
  ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  // No API answer carries key material.
  expect(JSON.stringify(await h.services.signingKeys.list(countyAdmin))).not.toMatch(/"d"|"x"|"y"/);
});

test('the rotation CLI publishes a successor from the store; the running service takes it at its next sync', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const cli = `${__dirname}/../../src/rotate-keys-cli.ts`;
  const { stdout } = await promisify(execFile)(process.execPath, [cli], {
    env: { ...process.env, ...h.env, NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning' },
  });
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const upcoming = rows.find((r) => r[1] === 'upcoming')?.[0];
  expect(upcoming).toEqual(expect.any(String));
  await h.ring.sync();
  expect(await jwksKids()).toEqual(expect.arrayContaining([h.ring.activeKid(), upcoming]));
  expect(stdout).not.toMatch(/"d"|privateJwk/);
});
