import { scryptSync } from 'node:crypto';
import {
  hashSecret,
  hashSecretAsync,
  newClientSecret,
  parseBasicAuth,
  revokeSecret,
  rotateSecrets,
  usableSecrets,
  verifySecret,
  verifySecretAsync,
  type ClientSecretRecord,
} from '../src/index.ts';
import { DomainError } from '@firegov/contracts';

const SALT = Buffer.alloc(16, 1);
const NOW = new Date('2024-03-10T00:00:00Z');

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function basic(raw: string): string {
  return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
}

describe('newClientSecret', () => {
  test('is fgs_ and 32 random bytes as 43 base64url characters', () => {
    const secret = newClientSecret((size) => Buffer.alloc(size, 0xff));
    expect(secret).toBe(`fgs_${'_'.repeat(42)}8`);
    expect(newClientSecret((size) => Buffer.alloc(size, 0))).toMatch(/^fgs_[A-Za-z0-9_-]{43}$/);
  });

  test('asks for 32 bytes and refuses a short answer', () => {
    const asked: number[] = [];
    newClientSecret((size) => {
      asked.push(size);
      return Buffer.alloc(size);
    });
    expect(asked).toEqual([32]);
    expect(() => newClientSecret(() => Buffer.alloc(16))).toThrow('returned 16 bytes');
  });
});

describe('hashSecret / verifySecret', () => {
  const SECRET = 'fgs_example-secret';
  const encoded = hashSecret(SECRET, SALT);

  test('encodes scrypt parameters, salt and hash', () => {
    const expected = scryptSync(SECRET, SALT, 32, { N: 16384, r: 8, p: 1 }).toString('base64url');
    expect(encoded).toBe(`scrypt$16384$8$1$${SALT.toString('base64url')}$${expected}`);
  });

  test('verifies the right secret only', () => {
    expect(verifySecret(SECRET, encoded)).toBe(true);
    expect(verifySecret(`${SECRET}x`, encoded)).toBe(false);
    expect(verifySecret('', encoded)).toBe(false);
  });

  test('a fresh salt is drawn when none is given', () => {
    const a = hashSecret(SECRET);
    const b = hashSecret(SECRET);
    expect(a).not.toBe(b);
    expect(verifySecret(SECRET, a)).toBe(true);
  });

  test('refuses a short salt', () => {
    expect(() => hashSecret(SECRET, Buffer.alloc(8))).toThrow('at least 16 bytes');
  });

  test('a malformed or tampered hash is false, not a throw', () => {
    const parts = encoded.split('$');
    expect(verifySecret(SECRET, 'plain')).toBe(false);
    expect(verifySecret(SECRET, encoded.replace('scrypt$', 'bcrypt$'))).toBe(false);
    expect(verifySecret(SECRET, [...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'))).toBe(false); // N not a power of 2
    expect(verifySecret(SECRET, [...parts.slice(0, 1), String(1 << 24), ...parts.slice(2)].join('$'))).toBe(false); // too costly
    const otherHash = `${parts.slice(0, 5).join('$')}$${Buffer.alloc(32, 3).toString('base64url')}`;
    expect(verifySecret(SECRET, otherHash)).toBe(false);
  });

  test('the async forms agree with the sync ones and leave the event loop free while hashing', async () => {
    expect(await hashSecretAsync(SECRET, SALT)).toBe(encoded);
    expect(await verifySecretAsync(SECRET, encoded)).toBe(true);
    expect(await verifySecretAsync(`${SECRET}x`, encoded)).toBe(false);
    expect(await verifySecretAsync(SECRET, 'plain')).toBe(false);
    await expect(hashSecretAsync(SECRET, Buffer.alloc(8))).rejects.toThrow('at least 16 bytes');
    // Timers fire while four checks run on the thread pool: the loop is not held for their duration.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const checks = await Promise.all(Array.from({ length: 4 }, () => verifySecretAsync(SECRET, encoded)));
    clearInterval(timer);
    expect(checks).toEqual([true, true, true, true]);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('usableSecrets, rotateSecrets, revokeSecret', () => {
  const HASH = hashSecret('fgs_old', SALT);
  const old: ClientSecretRecord = { id: 's1', hash: HASH, createdAt: '2024-01-01T00:00:00.000Z' };
  const fresh: ClientSecretRecord = { id: 's2', hash: HASH, createdAt: NOW.toISOString() };

  test('usable: not revoked and before notAfter (exclusive)', () => {
    const records: ClientSecretRecord[] = [
      old,
      { id: 'ending', hash: HASH, createdAt: '2024-01-01T00:00:00Z', notAfter: '2024-03-10T00:00:01Z' },
      { id: 'ended', hash: HASH, createdAt: '2024-01-01T00:00:00Z', notAfter: '2024-03-10T00:00:00Z' },
      { id: 'revoked', hash: HASH, createdAt: '2024-01-01T00:00:00Z', revokedAt: '2024-02-01T00:00:00Z' },
    ];
    expect(usableSecrets(records, NOW).map((r) => r.id)).toEqual(['s1', 'ending']);
  });

  test('rotateSecrets ends the current secret after the overlap and adds the new one', () => {
    const rotated = rotateSecrets([old], fresh, NOW, 24);
    expect(rotated).toEqual([{ ...old, notAfter: '2024-03-11T00:00:00.000Z' }, fresh]);
    expect(usableSecrets(rotated, new Date('2024-03-10T23:59:59Z')).map((r) => r.id)).toEqual(['s1', 's2']);
    expect(usableSecrets(rotated, new Date('2024-03-11T00:00:00Z')).map((r) => r.id)).toEqual(['s2']);
    expect(old.notAfter).toBeUndefined(); // inputs untouched
  });

  test('rotateSecrets keeps an earlier end and leaves dead secrets alone', () => {
    const ending = { id: 'e', hash: HASH, createdAt: '2024-01-01T00:00:00Z', notAfter: '2024-03-10T06:00:00.000Z' };
    const revoked = { id: 'r', hash: HASH, createdAt: '2024-01-01T00:00:00Z', revokedAt: '2024-02-01T00:00:00Z' };
    const rotated = rotateSecrets([ending, revoked], fresh, NOW, 720);
    expect(rotated[0]).toEqual(ending);
    expect(rotated[1]).toEqual(revoked);
    expect(rotated[2]).toEqual(fresh);
  });

  test('rotateSecrets validates the overlap and the new record together', () => {
    for (const hours of [0, 0.5, 721, Number.NaN]) {
      expect(caught(() => rotateSecrets([old], fresh, NOW, hours)).details.map((d) => d.path)).toEqual(['$.overlapHours']);
    }
    const error = caught(() => rotateSecrets([old], { ...old, hash: 'x', revokedAt: NOW.toISOString() }, NOW, 0));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toEqual(['$.overlapHours', '$.newRecord.id', '$.newRecord.hash', '$.newRecord']);
    expect(rotateSecrets([old], fresh, NOW, 1)[0]?.notAfter).toBe('2024-03-10T01:00:00.000Z');
  });

  test('revokeSecret stamps one secret now and is idempotent', () => {
    const revoked = revokeSecret([old, fresh], 's1', NOW);
    expect(revoked).toEqual([{ ...old, revokedAt: NOW.toISOString() }, fresh]);
    expect(usableSecrets(revoked, NOW).map((r) => r.id)).toEqual(['s2']);
    expect(revokeSecret(revoked, 's1', new Date('2024-04-01T00:00:00Z'))[0]?.revokedAt).toBe(NOW.toISOString());
    expect(caught(() => revokeSecret([old], 'nope', NOW)).details).toEqual([{ path: '$.id', reason: 'no secret has id "nope"' }]);
  });
});

describe('parseBasicAuth', () => {
  test('reads client id and secret', () => {
    expect(parseBasicAuth(basic('agency_1:fgs_abc'))).toEqual({ clientId: 'agency_1', secret: 'fgs_abc' });
  });

  test('the scheme is case-insensitive and the secret may contain colons', () => {
    const token = Buffer.from('a:b:c').toString('base64');
    expect(parseBasicAuth(`basic   ${token}`)).toEqual({ clientId: 'a', secret: 'b:c' });
    expect(parseBasicAuth(`BASIC ${token}`)).toEqual({ clientId: 'a', secret: 'b:c' });
  });

  test('form-url-decodes both parts (RFC 6749 §2.3.1) and reads UTF-8', () => {
    expect(parseBasicAuth(basic('my%20client:p%2Bw+d%3A'))).toEqual({ clientId: 'my client', secret: 'p+w d:' });
    expect(parseBasicAuth(basic('机构一:密钥'))).toEqual({ clientId: '机构一', secret: '密钥' });
  });

  test.each([
    ['no header', undefined],
    ['another scheme', 'Bearer abc'],
    ['no token', 'Basic '],
    ['not base64', 'Basic ***'],
    ['bad padding', 'Basic YWJj=='],
    ['no colon', basic('agency_1')],
    ['empty client id', basic(':secret')],
    ['empty secret', basic('agency_1:')],
    ['bad %-escape', basic('agency_1:%zz')],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
  ])('%s is null', (_name, header) => {
    expect(parseBasicAuth(header)).toBeNull();
  });
});
