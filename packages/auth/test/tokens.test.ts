import { AppError } from '@firegov/kit';
import { startTestIssuer, type TestIssuer } from '@firegov/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  isPlatformClient,
  signToken,
  verifyToken,
  verifiedTokens,
  type ClientCutoff,
  type ClientCutoffs,
  type Identity,
  type VerifyTokenOptions,
} from '../src/index.ts';

const officer: Identity = {
  subject: 'user-42',
  role: 'township_officer',
  jurisdiction: '500230213000',
  name: '张三',
  client: { id: 'firegov-console', scopes: ['openid', 'read', 'write'] },
};

let issuer: TestIssuer;
let verify: VerifyTokenOptions;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verify = issuer.verification();
});

afterAll(async () => {
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

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
/** Claims as the issuer would sign them, to change one at a time. */
const claims = (extra: Record<string, unknown>) => ({ iss: issuer.issuer, aud: 'firegov', exp: inAnHour(), ...extra });

test('sign then verify gives back the identity', async () => {
  const token = await issuer.signToken(officer);
  expect(token.split('.')).toHaveLength(3);
  expect(await verifyToken(token, verify)).toEqual(officer);
});

test("the token has the identity service's layout: ES256 with a kid, and sub, role, jur, name, agency, client_id, scope, jti", async () => {
  const token = await issuer.signToken(
    { subject: 'a-1', role: 'agency', jurisdiction: '500230000000', agencyId: 'AG-7' },
    { clientId: 'county-platform', scope: 'firegov:read' },
  );
  const [header, payload = {}] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, number>);
  expect(header).toEqual({ alg: 'ES256', kid: issuer.currentKid, typ: 'at+jwt' });
  expect(payload).toMatchObject({
    sub: 'a-1',
    role: 'agency',
    jur: '500230000000',
    agency: 'AG-7',
    iss: issuer.issuer,
    aud: 'firegov',
    client_id: 'county-platform',
    scope: 'firegov:read',
    jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(8 * 3600);
});

test("a client credentials token's client and scopes are read from client_id and scope (sub is the client)", async () => {
  const token = await issuer.signClaims(
    claims({ sub: 'pc_1', client_id: 'pc_1', scope: 'read  write', role: 'county_admin', jur: '500230000000' }),
  );
  const who = await verifyToken(token, verify);
  expect(who.client).toEqual({ id: 'pc_1', scopes: ['read', 'write'] });
  expect(isPlatformClient(who)).toBe(true);
  const noScope = await verifyToken(
    await issuer.signClaims(claims({ sub: 'pc_1', client_id: 'pc_1', role: 'county_admin', jur: '500230000000' })),
    verify,
  );
  expect(noScope.client).toEqual({ id: 'pc_1', scopes: [] });
  // A token naming no client (development tools) is a person's, unbound by scopes.
  const bare = await verifyToken(
    await issuer.signClaims(claims({ sub: 'u', role: 'county_admin', jur: '500230000000' })),
    verify,
  );
  expect(bare.client).toBeUndefined();
  expect(isPlatformClient(bare)).toBe(false);
});

test('a scope claim that is not a string is refused naming scope', async () => {
  const token = await issuer.signClaims(
    claims({ sub: 'pc_1', client_id: 'pc_1', scope: ['read'], role: 'county_admin', jur: '500230000000' }),
  );
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.details[0]?.path).toBe('scope');
});

test('an expired token is refused as expired', async () => {
  const token = await issuer.signToken(officer, { expiresIn: '1h' });
  const err = await rejectionOf(verifyToken(token, { ...verify, now: new Date(Date.now() + 2 * 3600_000) }));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.status).toBe(401);
  expect(err.message).toMatch(/^token expired at \d{4}-/);
});

test('a token signed with another key under a published kid is refused for its signature', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const token = await signToken(officer, { privateKey, kid: issuer.currentKid, issuer: issuer.issuer });
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toBe('token signature is invalid');
});

test('a tampered payload is refused for its signature', async () => {
  const [header, payload, signature] = (await issuer.signToken(officer)).split('.');
  const forgedClaims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  forgedClaims.role = 'county_admin';
  forgedClaims.jur = '500230000000';
  const forged = [header, Buffer.from(JSON.stringify(forgedClaims)).toString('base64url'), signature].join('.');
  const err = await rejectionOf(verifyToken(forged, verify));
  expect(err.message).toBe('token signature is invalid');
});

test('a token for another audience is refused', async () => {
  const token = await issuer.signToken(officer, { audience: 'someone-else' });
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.message).toBe('token audience is not accepted here');
  expect(err.details[0]?.path).toBe('aud');
  await expect(verifyToken(token, { ...verify, audience: 'someone-else' })).resolves.toEqual(officer);
});

test('a token from another issuer is refused', async () => {
  const token = await issuer.signToken(officer, { issuer: 'http://elsewhere.example' });
  expect((await rejectionOf(verifyToken(token, verify))).message).toBe('token issuer is not accepted here');
});

test('a token without a role is refused naming the claim', async () => {
  const token = await issuer.signClaims(claims({ sub: 'user-1', jur: '500230213000' }));
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.message).toBe('missing claim role');
  expect(err.details).toEqual([{ path: 'role', reason: 'missing' }]);
});

test('an unknown role and a bad jurisdiction are both reported', async () => {
  const token = await issuer.signClaims(claims({ sub: 'user-1', role: 'mayor', jur: '5002302130' }));
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.message).toMatch(/^invalid claim role: "mayor" is not a known value/);
  expect(err.details.map((d) => d.path)).toEqual(['role', 'jur']);
  expect(err.details[1]?.reason).toBe('must be 12 digits, got 10');
});

test('an agency token without its agency is refused', async () => {
  const token = await issuer.signClaims(claims({ sub: 'a-1', role: 'agency', jur: '500230000000' }));
  expect((await rejectionOf(verifyToken(token, verify))).message).toBe('missing claim agency');
});

test('a token without an expiry is refused', async () => {
  const token = await issuer.signClaims({
    sub: 'u',
    role: 'county_admin',
    jur: '500230000000',
    iss: issuer.issuer,
    aud: 'firegov',
  });
  expect((await rejectionOf(verifyToken(token, verify))).message).toBe('missing claim exp');
});

test.each([['not-a-jwt'], ['a.b.c'], ['']])('malformed token %p is refused as malformed', async (token) => {
  const err = await rejectionOf(verifyToken(token, verify));
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toMatch(/^token is malformed/);
});

test('signToken refuses an invalid identity naming the field', async () => {
  const err = await rejectionOf(issuer.signToken({ ...officer, jurisdiction: '123' }));
  expect(err.code).toBe('VALIDATION_FAILED');
  expect(err.details[0]?.path).toBe('$.jurisdiction');
});

describe('only access tokens (typ at+jwt)', () => {
  test('an ID token of the same issuer and key (typ JWT), even with the API audience, is refused naming its type', async () => {
    const idToken = await issuer.signClaims(
      claims({ sub: 'user-42', role: 'township_officer', jur: '500230213000', iat: Math.floor(Date.now() / 1000) }),
      { typ: 'JWT' },
    );
    const err = await rejectionOf(verifyToken(idToken, verify));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toBe('token is not an access token (typ must be at+jwt; an ID token is not accepted here)');
    expect(err.details[0]?.path).toBe('typ');
  });

  test('a token without typ is refused the same way', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
    const token = await new SignJWT({ role: 'township_officer', jur: '500230213000' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-42')
      .setIssuer('http://issuer.test')
      .setAudience('firegov')
      .setExpirationTime('1h')
      .sign(privateKey);
    const err = await rejectionOf(verifyToken(token, { keys, issuer: 'http://issuer.test' }));
    expect(err.message).toMatch(/^token is not an access token \(typ must be at\+jwt/);
  });
});

describe('trusted_documents', () => {
  const limited: Identity = {
    subject: 'pc_1',
    role: 'county_admin',
    jurisdiction: '500230000000',
    client: { id: 'pc_1', scopes: ['read'] },
    trustedDocumentsOnly: true,
  };

  test('the claim is signed and read back as trustedDocumentsOnly; absent or false, the identity carries nothing', async () => {
    const token = await issuer.signToken(limited);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload.trusted_documents).toBe(true);
    expect(await verifyToken(token, verify)).toEqual(limited);
    const notLimited = await issuer.signClaims(
      claims({ sub: 'pc_2', client_id: 'pc_2', role: 'county_admin', jur: '500230000000', trusted_documents: false }),
    );
    expect(await verifyToken(notLimited, verify)).not.toHaveProperty('trustedDocumentsOnly');
  });

  test('a claim that is not a boolean is refused naming it', async () => {
    const token = await issuer.signClaims(
      claims({ sub: 'pc_2', client_id: 'pc_2', role: 'county_admin', jur: '500230000000', trusted_documents: 'yes' }),
    );
    const err = await rejectionOf(verifyToken(token, verify));
    expect(err.message).toBe('invalid claim trusted_documents: must be a boolean');
  });
});

describe('client cutoffs (revoked clients, rotated secrets)', () => {
  const client: Identity = {
    subject: 'pc_9',
    role: 'county_admin',
    jurisdiction: '500230000000',
    client: { id: 'pc_9', scopes: ['read'] },
  };
  const now = () => Math.floor(Date.now() / 1000);
  const table = (entries: Record<string, ClientCutoff>): ClientCutoffs & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      cutoffOf: (id) => {
        asked.push(id);
        return Promise.resolve(entries[id]);
      },
      record: () => Promise.resolve(),
    };
  };

  test("a platform client's token issued at or before its cutoff is refused naming why; one issued after passes", async () => {
    const token = await issuer.signToken(client);
    const cutoffs = table({ pc_9: { at: now(), reason: 'secret_rotated' } });
    const err = await rejectionOf(verifyToken(token, { ...verify, cutoffs }));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/^token was issued before its platform client's secret was rotated \(.+Z\); get a new token$/);
    await expect(
      verifyToken(token, { ...verify, cutoffs: table({ pc_9: { at: now() - 5, reason: 'revoked' } }) }),
    ).resolves.toEqual(client);
    const revoked = await rejectionOf(
      verifyToken(token, { ...verify, cutoffs: table({ pc_9: { at: now() + 1, reason: 'revoked' } }) }),
    );
    expect(revoked.message).toMatch(/^token was issued before its platform client was revoked \(.+Z\)$/);
  });

  test("a person's token is never looked up, even one whose client has a cutoff", async () => {
    const cutoffs = table({ 'firegov-console': { at: now() + 60, reason: 'revoked' } });
    await expect(verifyToken(await issuer.signToken(officer), { ...verify, cutoffs })).resolves.toEqual(officer);
    expect(cutoffs.asked).toEqual([]);
  });

  test('cutoffs that cannot be read refuse as UNAVAILABLE', async () => {
    const failing: ClientCutoffs = {
      cutoffOf: () => Promise.reject(new AppError('UNAVAILABLE', 'no answer')),
      record: () => Promise.resolve(),
    };
    const err = await rejectionOf(verifyToken(await issuer.signToken(client), { ...verify, cutoffs: failing }));
    expect(err.code).toBe('UNAVAILABLE');
  });
});

describe('tokens verified lately (verified-tokens.ts)', () => {
  const client: Identity = {
    subject: 'pc_7',
    role: 'county_admin',
    jurisdiction: '500230000000',
    client: { id: 'pc_7', scopes: ['read'] },
  };
  /** The issuer's keys, counting how often a signature is checked (each check looks its key up). */
  const counted = () => {
    const base = issuer.verification();
    let lookups = 0;
    const keys: VerifyTokenOptions['keys'] = (header, token) => {
      lookups += 1;
      return base.keys(header, token);
    };
    return { options: { ...base, keys, verified: verifiedTokens({ ttlMs: 60_000 }) }, lookups: () => lookups };
  };

  test("a token's signature is checked once, and the same frozen identity answers its later requests", async () => {
    const { options, lookups } = counted();
    const token = await issuer.signToken(officer);
    const first = await verifyToken(token, options);
    const again = await verifyToken(token, options);
    expect(again).toEqual(officer);
    expect(again).toBe(first);
    expect(Object.isFrozen(again) && Object.isFrozen(again.client?.scopes)).toBe(true);
    expect(lookups()).toBe(1);
    // Another token is checked on its own.
    await verifyToken(await issuer.signToken({ ...officer, subject: 'user-43' }), options);
    expect(lookups()).toBe(2);
  });

  test('a remembered token past its expiry, or past the time it is remembered, is checked again', async () => {
    const { options, lookups } = counted();
    const token = await issuer.signToken(officer, { expiresIn: 120 });
    await verifyToken(token, options);
    // 61 s later: remembered no longer, checked again (and still valid).
    await verifyToken(token, { ...options, now: new Date(Date.now() + 61_000) });
    expect(lookups()).toBe(2);
    // After its expiry: refused as expired, whatever was remembered.
    const err = await rejectionOf(verifyToken(token, { ...options, now: new Date(Date.now() + 10 * 60_000) }));
    expect(err.message).toMatch(/^token expired/);
  });

  test("a remembered platform client's token is still refused once its client is revoked", async () => {
    const { options, lookups } = counted();
    const token = await issuer.signToken(client);
    const table: { pc_7?: ClientCutoff } = {};
    const cutoffs: ClientCutoffs = { cutoffOf: () => Promise.resolve(table.pc_7), record: () => Promise.resolve() };
    await expect(verifyToken(token, { ...options, cutoffs })).resolves.toEqual(client);
    table.pc_7 = { at: Math.floor(Date.now() / 1000) + 1, reason: 'revoked' };
    const err = await rejectionOf(verifyToken(token, { ...options, cutoffs }));
    expect(err.message).toMatch(/revoked/);
    expect(lookups()).toBe(1);
  });

  test('a refused token is not remembered: it is refused each time', async () => {
    const { options } = counted();
    const token = await issuer.signToken(officer);
    const tampered = `${token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 2; i += 1) expect((await rejectionOf(verifyToken(tampered, options))).code).toBe('UNAUTHENTICATED');
  });
});
