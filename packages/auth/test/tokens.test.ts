import { AppError } from '@firegov/kit';
import { SignJWT } from 'jose';
import { signToken, verifyToken, type Identity } from '../src/index.ts';

const secret = 'test-only-secret-0123456789abcdefghijklmnopqrstuv';
const officer: Identity = {
  subject: 'user-42',
  role: 'township_officer',
  jurisdiction: '500230213000',
  name: '张三',
};

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** Signs arbitrary claims, to build tokens signToken would refuse to make. */
function rawToken(claims: Record<string, unknown>, opts: { key?: string; exp?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('firegov')
    .setAudience('firegov')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.key ?? secret));
}

test('sign then verify gives back the identity', async () => {
  const token = await signToken(officer, { secret });
  expect(token.split('.')).toHaveLength(3);
  expect(await verifyToken(token, { secret })).toEqual(officer);
});

test('claims are sub, role, jur, name and agency', async () => {
  const token = await signToken({ subject: 'a-1', role: 'agency', jurisdiction: '500230000000', agencyId: 'AG-7' }, { secret });
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  expect(payload).toMatchObject({
    sub: 'a-1',
    role: 'agency',
    jur: '500230000000',
    agency: 'AG-7',
    iss: 'firegov',
    aud: 'firegov',
  });
  expect(payload.exp - payload.iat).toBe(8 * 3600);
});

test('an expired token is refused as expired', async () => {
  const token = await signToken(officer, { secret, expiresIn: '1h' });
  const err = await rejectionOf(verifyToken(token, { secret, now: new Date(Date.now() + 2 * 3600_000) }));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.status).toBe(401);
  expect(err.message).toMatch(/^token expired at \d{4}-/);
});

test('a token signed with another secret is refused for its signature', async () => {
  const token = await signToken(officer, { secret: 'another-secret-that-is-long-enough-0123456789' });
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toBe('token signature is invalid');
});

test('a tampered payload is refused for its signature', async () => {
  const [header, payload, signature] = (await signToken(officer, { secret })).split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  claims.role = 'county_admin';
  claims.jur = '500230000000';
  const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  const err = await rejectionOf(verifyToken(forged, { secret }));
  expect(err.message).toBe('token signature is invalid');
});

test('a token for another audience is refused', async () => {
  const token = await signToken(officer, { secret, audience: 'someone-else' });
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.message).toBe('token audience is not accepted here');
  expect(err.details[0]?.path).toBe('aud');
  await expect(verifyToken(token, { secret, audience: 'someone-else' })).resolves.toEqual(officer);
});

test('a token from another issuer is refused', async () => {
  const token = await signToken(officer, { secret, issuer: 'elsewhere' });
  expect((await rejectionOf(verifyToken(token, { secret }))).message).toBe('token issuer is not accepted here');
});

test('a token without a role is refused naming the claim', async () => {
  const token = await rawToken({ sub: 'user-1', jur: '500230213000' });
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.message).toBe('missing claim role');
  expect(err.details).toEqual([{ path: 'role', reason: 'missing' }]);
});

test('an unknown role and a bad jurisdiction are both reported', async () => {
  const token = await rawToken({ sub: 'user-1', role: 'mayor', jur: '5002302130' });
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.message).toMatch(/^invalid claim role: "mayor" is not a known value/);
  expect(err.details.map((d) => d.path)).toEqual(['role', 'jur']);
  expect(err.details[1]?.reason).toBe('must be 12 digits, got 10');
});

test('an agency token without its agency is refused', async () => {
  const token = await rawToken({ sub: 'a-1', role: 'agency', jur: '500230000000' });
  expect((await rejectionOf(verifyToken(token, { secret }))).message).toBe('missing claim agency');
});

test('a token without an expiry is refused', async () => {
  const token = await new SignJWT({ sub: 'u', role: 'county_admin', jur: '500230000000' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('firegov')
    .setAudience('firegov')
    .sign(new TextEncoder().encode(secret));
  expect((await rejectionOf(verifyToken(token, { secret }))).message).toBe('missing claim exp');
});

test('an unsigned (alg none) token is refused', async () => {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = `${enc({ alg: 'none' })}.${enc({ sub: 'u', role: 'county_admin', jur: '500230000000', iss: 'firegov', aud: 'firegov', exp })}.`;
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.code).toBe('UNAUTHENTICATED');
});

test.each([['not-a-jwt'], ['a.b.c'], ['']])('malformed token %p is refused as malformed', async (token) => {
  const err = await rejectionOf(verifyToken(token, { secret }));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toMatch(/^token is malformed/);
});

test('a secret shorter than 32 bytes is refused for signing and verifying', async () => {
  await expect(signToken(officer, { secret: 'short' })).rejects.toThrow('JWT secret must be at least 32 bytes, got 5');
  await expect(verifyToken('x.y.z', { secret: 'a'.repeat(31) })).rejects.toThrow('at least 32 bytes, got 31');
  // Bytes, not characters: 11 Chinese characters are 33 bytes in UTF-8.
  await expect(signToken(officer, { secret: '消防安全工作要点青龙乡乡' })).resolves.toEqual(expect.any(String));
});

test('signToken refuses an invalid identity naming the field', async () => {
  const err = await rejectionOf(signToken({ ...officer, jurisdiction: '123' }, { secret }));
  expect(err.code).toBe('VALIDATION_FAILED');
  expect(err.details[0]?.path).toBe('$.jurisdiction');
});
