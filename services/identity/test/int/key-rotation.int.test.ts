import { createRemoteJWKSet, decodeProtectedHeader, errors, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { keyStore } from '../../src/oidc/keys.ts';
import { keySealer } from '../../src/oidc/seal.ts';
import { collectionOf } from '@firegov/kit';
import { testLogger } from '@firegov/testing';
import { clientCredentials, countyAdmin, startHarness, TEST_KEY_ENCRYPTION_KEY, type Harness } from '../harness.ts';

// Signing keys rotate: a new key is published before it signs, the old one stays published until
// its tokens have expired, and a token from a key the JWKS does not publish is refused.

const H = 3_600_000;
// Real time, short spans: the provider stamps iat/exp with the real clock, so the schedule runs on it too.
const TTL_S = 3;
const AHEAD_MS = 1500;
const IMMEDIATE_MS = 800;
const policy = {
  rotationIntervalMs: 24 * H,
  publishAheadMs: AHEAD_MS,
  retainAfterRetireMs: (TTL_S + 1) * 1000,
  immediateAfterMs: IMMEDIATE_MS,
};
const sealer = keySealer(TEST_KEY_ENCRYPTION_KEY);
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

test('an immediate rotation publishes the new key at once and signs with it once replicas and verifiers can know it', async () => {
  const before = h.ring.activeKid();
  const listed = await h.services.signingKeys.rotate(countyAdmin, true);
  const next = listed.find((k) => k.state === 'upcoming')!;
  expect(Date.parse(next.activeFrom) - Date.now()).toBeGreaterThan(IMMEDIATE_MS - 300);
  // Published now, not signing yet: a verifier that fetches now already holds it when it signs.
  expect(await jwksKids()).toEqual([before, next.kid]);
  expect(decodeProtectedHeader(await token()).kid).toBe(before);
  await sleep(IMMEDIATE_MS + 200);
  expect(h.ring.activeKid()).toBe(next.kid);
  expect(decodeProtectedHeader(await token()).kid).toBe(next.kid);
  expect(await jwksKids()).toEqual([next.kid, before]);
});

test('an immediate rotation racing a replica that created the successor first still brings it forward', async () => {
  await h.ring.sync();
  const active = h.ring.activeKid();
  // This replica read the keys before the other one published a successor (due after AHEAD_MS).
  const snapshot = await h.models.signingKeys.collection.find({}).toArray();
  const other = keyStore({ models: h.models, policy, now: () => new Date(), logger: testLogger(), sealer });
  await other.rotate({ immediate: false });
  const successor = (await h.models.signingKeys.findOne({ after: active }).lean())!;
  expect(successor.activeFrom.getTime() - Date.now()).toBeGreaterThan(AHEAD_MS - 500);

  // Its first read is the stale one, so it tries to create the successor and meets the unique index.
  let reads = 0;
  const collection = h.models.signingKeys.collection;
  const staleCollection = new Proxy(collection, {
    get: (target, prop, receiver) =>
      prop === 'find' && reads++ === 0
        ? () => ({ toArray: async () => snapshot })
        : (Reflect.get(target, prop, receiver) as unknown),
  });
  const staleModels = { ...h.models, signingKeys: { collection: staleCollection } as unknown as typeof h.models.signingKeys };
  const stale = keyStore({ models: staleModels, policy, now: () => new Date(), logger: testLogger(), sealer });
  const set = await stale.rotate({ immediate: true });
  expect(reads).toBeGreaterThan(1);
  // Not swallowed: the existing successor now signs from the immediate time.
  const moved = (await h.models.signingKeys.findOne({ after: active }).lean())!;
  expect(moved._id).toBe(successor._id);
  expect(moved.activeFrom.getTime() - Date.now()).toBeLessThan(IMMEDIATE_MS + 100);
  expect(await h.models.signingKeys.countDocuments({ after: active })).toBe(1);
  expect(set.schedule.upcoming.map((k) => k.kid)).toEqual([successor._id]);
});

test('revoking the signing key unpublishes it at once and a new key signs; its tokens are refused by a fresh verifier', async () => {
  await h.ring.sync();
  const compromised = h.ring.activeKid();
  const stolen = await token();
  expect(decodeProtectedHeader(stolen).kid).toBe(compromised);
  const listed = await h.services.signingKeys.revoke(countyAdmin, compromised);
  expect(listed.map((k) => k.kid)).not.toContain(compromised);
  const active = listed.find((k) => k.state === 'active')!.kid;
  expect(h.ring.activeKid()).toBe(active);
  expect(await jwksKids()).not.toContain(compromised);
  expect(await h.models.signingKeys.countDocuments({ _id: compromised })).toBe(0);
  await expect(verify(stolen)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  const fresh = await token();
  expect(decodeProtectedHeader(fresh).kid).toBe(active);
  await expect(verify(fresh)).resolves.toBeDefined();
  // An unknown kid names the field.
  await expect(h.services.signingKeys.revoke(countyAdmin, 'key_nope')).rejects.toMatchObject({
    code: 'NOT_FOUND',
    details: [{ path: '$.kid' }],
  });
});

test('only the county administrator of HOME_JURISDICTION changes the keys; another county’s may list them', async () => {
  const otherCounty = { subject: 'x', role: 'county_admin' as const, jurisdiction: '500231000000' };
  await expect(h.services.signingKeys.rotate(otherCounty, false)).rejects.toMatchObject({
    code: 'FORBIDDEN',
    details: [{ path: 'jurisdiction' }],
  });
  await expect(h.services.signingKeys.revoke(otherCounty, h.ring.activeKid())).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect((await h.services.signingKeys.list(otherCounty)).length).toBeGreaterThan(0);
  // A platform client carrying county_admin of the home county is not a person: refused.
  const machine = { ...countyAdmin, subject: 'pc_x', client: { id: 'pc_x', scopes: ['read', 'write'] } };
  await expect(h.services.signingKeys.rotate(machine, false)).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

test('private keys are stored sealed under KEY_ENCRYPTION_KEY; a key stored unsealed is sealed on the next read', async () => {
  const docs = await h.models.signingKeys.find({}).lean();
  expect(docs.length).toBeGreaterThan(0);
  for (const d of docs) {
    expect(d.privateJwk).toBeUndefined();
    expect(d.sealedPrivateJwk).toMatchObject({ alg: 'A256GCM' });
    expect(JSON.stringify(d.sealedPrivateJwk)).not.toContain('"d"');
    expect(sealer.open(d.sealedPrivateJwk!, d._id)).toMatchObject({ kid: d._id, d: expect.any(String) });
  }
  // The key id is authenticated: a sealed key moved to another record does not open.
  expect(() => sealer.open(docs[0]!.sealedPrivateJwk!, 'key_other')).toThrow(/KEY_ENCRYPTION_KEY/);
  // Another key-encryption key does not open it either.
  expect(() => keySealer(Buffer.alloc(32, 9)).open(docs[0]!.sealedPrivateJwk!, docs[0]!._id)).toThrow(/cannot be decrypted/);

  // A record from before sealing (plain privateJwk): sealed in place on the next read.
  const d = docs[0]!;
  const plain = sealer.open(d.sealedPrivateJwk!, d._id);
  await collectionOf(h.models.signingKeys).updateOne(
    { _id: d._id },
    { $set: { privateJwk: plain }, $unset: { sealedPrivateJwk: '' } },
  );
  await h.ring.sync();
  const after = (await h.models.signingKeys.findOne({ _id: d._id }).lean())!;
  expect(after.privateJwk).toBeUndefined();
  expect(sealer.open(after.sealedPrivateJwk!, d._id)).toEqual(plain);
});

test('replicas rotating at the same moment create one successor; only an administrator rotates', async () => {
  const now = () => new Date();
  const a = keyStore({ models: h.models, policy, now, logger: testLogger(), sealer });
  const b = keyStore({ models: h.models, policy, now, logger: testLogger(), sealer });
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
  // A successor still upcoming (the previous test leaves one for KEY_PUBLISH_AHEAD) is brought
  // forward rather than joined by another; wait until it signs so the CLI makes a key of its own.
  const store = keyStore({ models: h.models, policy, now: () => new Date(), logger: testLogger(), sealer });
  const deadline = Date.now() + 10_000;
  while ((await store.describe()).some((k) => k.state === 'upcoming') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const before = new Set((await h.models.signingKeys.find({}).lean()).map((d) => d._id));
  const { stdout } = await promisify(execFile)(process.execPath, [cli], {
    env: { ...process.env, ...h.env, NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning' },
  });
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  // The key this run made. Usually still `upcoming` when listed; on a loaded machine the CLI may
  // list it after KEY_PUBLISH_AHEAD (1.5 s here) has passed, when it is already `active`.
  const made = rows.find((r) => r[0] !== undefined && !before.has(r[0]));
  expect(made?.[1]).toMatch(/^(upcoming|active)$/);
  await h.ring.sync();
  expect(await jwksKids()).toEqual(expect.arrayContaining([h.ring.activeKid(), made?.[0]]));
  expect(stdout).not.toMatch(/"d"|privateJwk/);
});

test('the CLI revokes a key by its id: it leaves the store and, at the next sync, the JWKS', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const cli = `${__dirname}/../../src/rotate-keys-cli.ts`;
  await h.ring.sync();
  const victim = h.ring.activeKid();
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--revoke', victim], {
    env: { ...process.env, ...h.env, NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning' },
  });
  // The published keys it prints (its log lines are JSON): the victim is not among them.
  const rows = stdout.split('\n').filter((l) => l.includes('\t'));
  expect(rows.some((r) => r.split('\t')[1] === 'active')).toBe(true);
  expect(rows.join('\n')).not.toContain(victim);
  expect(await h.models.signingKeys.countDocuments({ _id: victim })).toBe(0);
  await h.ring.sync();
  expect(h.ring.activeKid()).not.toBe(victim);
  expect(await jwksKids()).not.toContain(victim);
  // An unknown kid fails the command, naming it.
  const failed = await promisify(execFile)(process.execPath, [cli, '--revoke', 'key_nope'], {
    env: { ...process.env, ...h.env, NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning' },
  }).catch((err: { code: number; stderr: string }) => err);
  expect(failed).toMatchObject({ code: expect.any(Number) });
  expect((failed as { stderr: string }).stderr).toContain('key_nope');
});
