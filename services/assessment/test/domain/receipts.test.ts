import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { receiptHash, receiptKeyFromSeed, signReceipt, verifyChain, verifyReceipt } from '../../src/domain/receipts.ts';
import type { ReceiptBody, SignedReceipt } from '../../src/domain/receipts.ts';

// RFC 8032 §7.1, TEST 1.
const RFC_SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_EMPTY_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

const keys = receiptKeyFromSeed(Buffer.alloc(32, 7));

function body(overrides: Partial<ReceiptBody> = {}): ReceiptBody {
  return {
    agencyId: 'agency_1',
    assessmentId: 'as_1',
    version: 1,
    bodyHash: 'a'.repeat(64),
    receivedAt: '2024-03-02T01:00:00.000Z',
    previousReceiptHash: null,
    ...overrides,
  };
}

/** A valid chain of `n` signed receipts. */
function chain(n: number): SignedReceipt[] {
  const receipts: SignedReceipt[] = [];
  for (let version = 1; version <= n; version++) {
    const previous = receipts.at(-1);
    receipts.push(
      signReceipt(
        body({ version, bodyHash: String(version).repeat(64), previousReceiptHash: previous?.hash ?? null }),
        keys.privateKey,
      ),
    );
  }
  return receipts;
}

describe('receiptKeyFromSeed', () => {
  test('derives the RFC 8032 key pair from its seed', () => {
    const { privateKey, publicKey, publicKeyPem } = receiptKeyFromSeed(RFC_SEED);
    const jwk = publicKey.export({ format: 'jwk' });
    expect(Buffer.from(jwk.x ?? '', 'base64url').toString('hex')).toBe(RFC_PUBLIC);
    expect(sign(null, Buffer.alloc(0), privateKey).toString('hex')).toBe(RFC_EMPTY_SIGNATURE);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(publicKeyPem).export({ format: 'jwk' }).x).toBe(jwk.x);
  });

  test('refuses a seed that is not 32 bytes', () => {
    expect(() => receiptKeyFromSeed(Buffer.alloc(31))).toThrow('32 bytes, got 31');
  });
});

describe('receiptHash', () => {
  test('is the sha256 of the canonical JSON of the six fields', () => {
    const canonical =
      '{"agencyId":"agency_1","assessmentId":"as_1","bodyHash":"' +
      'a'.repeat(64) +
      '","previousReceiptHash":null,"receivedAt":"2024-03-02T01:00:00.000Z","version":1}';
    expect(receiptHash(body())).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  test('ignores extra fields such as the hash and signature of a signed receipt', () => {
    const signed = signReceipt(body(), keys.privateKey);
    expect(receiptHash(signed)).toBe(signed.hash);
  });
});

describe('signReceipt / verifyReceipt', () => {
  test('signs the hash with Ed25519, base64url, deterministically', () => {
    const signed = signReceipt(body(), keys.privateKey);
    expect(signed).toMatchObject({ ...body(), hash: receiptHash(body()) });
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(signReceipt(body(), keys.privateKey).signature).toBe(signed.signature);
    expect(verifyReceipt(signed, keys.publicKey)).toBe(true);
  });

  test.each<[string, Partial<SignedReceipt>]>([
    ['agencyId', { agencyId: 'agency_2' }],
    ['assessmentId', { assessmentId: 'as_2' }],
    ['version', { version: 2 }],
    ['bodyHash', { bodyHash: 'b'.repeat(64) }],
    ['receivedAt', { receivedAt: '2024-03-01T01:00:00.000Z' }],
    ['previousReceiptHash', { previousReceiptHash: 'c'.repeat(64) }],
  ])('changing %s breaks verification', (_field, change) => {
    const signed = signReceipt(body(), keys.privateKey);
    expect(verifyReceipt({ ...signed, ...change }, keys.publicKey)).toBe(false);
  });

  test('a recomputed hash without the private key still fails on the signature', () => {
    const signed = signReceipt(body(), keys.privateKey);
    const forged = { ...signed, version: 9, hash: receiptHash({ ...signed, version: 9 }) };
    expect(verifyReceipt(forged, keys.publicKey)).toBe(false);
  });

  test('another key, a garbled signature or a wrong key type is false, not a throw', () => {
    const signed = signReceipt(body(), keys.privateKey);
    const other = receiptKeyFromSeed(Buffer.alloc(32, 8));
    expect(verifyReceipt(signed, other.publicKey)).toBe(false);
    expect(verifyReceipt({ ...signed, signature: 'AAAA' }, keys.publicKey)).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(verifyReceipt(signed, rsa)).toBe(false);
  });

  test('refuses to sign with a public or non-Ed25519 key', () => {
    expect(() => signReceipt(body(), keys.publicKey)).toThrow('ed25519 private key');
  });
});

describe('verifyChain', () => {
  test('accepts a valid chain, an empty one, and checks signatures when given a key', () => {
    expect(verifyChain(chain(3))).toEqual({ ok: true });
    expect(verifyChain([])).toEqual({ ok: true });
    expect(verifyChain(chain(3), keys.publicKey)).toEqual({ ok: true });
    expect(verifyChain(chain(3), receiptKeyFromSeed(Buffer.alloc(32, 9)).publicKey)).toMatchObject({ ok: false, brokenAt: 0 });
  });

  test('a dropped version breaks the chain where the gap is', () => {
    const [v1, , v3] = chain(3);
    expect(verifyChain([v1!, v3!])).toEqual({ ok: false, brokenAt: 1, reason: 'version 3 follows version 1; expected 2' });
  });

  test('a rewritten receipt breaks its own hash, and re-hashing it breaks the next link', () => {
    const receipts = chain(3);
    const edited = { ...receipts[1]!, bodyHash: 'f'.repeat(64) };
    expect(verifyChain([receipts[0]!, edited, receipts[2]!])).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: expect.stringMatching(/altered/) as unknown,
    });
    const rehashed = { ...edited, hash: receiptHash(edited) };
    expect(verifyChain([receipts[0]!, rehashed, receipts[2]!])).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'previousReceiptHash does not link to the receipt of version 2',
    });
  });

  test('the chain starts at version 1 with no previous receipt', () => {
    const [, v2] = chain(2);
    expect(verifyChain([v2!])).toMatchObject({ ok: false, brokenAt: 0, reason: 'the chain must start at version 1, got 2' });
    const linked = signReceipt(body({ previousReceiptHash: 'd'.repeat(64) }), keys.privateKey);
    expect(verifyChain([linked])).toMatchObject({ ok: false, brokenAt: 0 });
  });

  test('receipts of another assessment do not belong in the chain', () => {
    const [v1] = chain(1);
    const foreign = signReceipt(body({ assessmentId: 'as_2', version: 2, previousReceiptHash: v1!.hash }), keys.privateKey);
    expect(verifyChain([v1!, foreign])).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
