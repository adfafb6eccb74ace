import { JWKS_COOLDOWN_MS } from '@firegov/auth';
import { identityEnv, keyPolicyOf } from '../src/env.ts';

// The env's key timings are derived, not trusted to relate: a retired key outlives the replicas'
// sync and an immediate rotation waits for it and the verifiers' cooldown, whatever CLOCK_SKEW is.

const base = {
  COOKIE_KEYS: 'identity-test-cookie-key-0123456789abcdef',
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

test('a retired key is kept TTL + skew + sync, and an immediate rotation signs after sync + the verifiers’ cooldown', () => {
  const env = identityEnv.toolSchema.parse({ ...base, ACCESS_TOKEN_TTL: '600', CLOCK_SKEW: '0', KEY_SYNC_MS: '120000' });
  const policy = keyPolicyOf(env);
  // CLOCK_SKEW 0 is below KEY_SYNC_MS: the sync is still covered.
  expect(policy.retainAfterRetireMs).toBe(600_000 + 120_000);
  expect(policy.immediateAfterMs).toBe(120_000 + JWKS_COOLDOWN_MS);
  expect(JWKS_COOLDOWN_MS).toBe(30_000);
});

test('KEY_ENCRYPTION_KEY is required and must be 32 bytes of base64; errors name it', () => {
  const missing = identityEnv.toolSchema.safeParse({ COOKIE_KEYS: base.COOKIE_KEYS });
  expect(missing.error?.issues).toEqual([
    expect.objectContaining({ path: ['KEY_ENCRYPTION_KEY'], message: expect.stringContaining('is required') }),
  ]);
  const short = identityEnv.toolSchema.safeParse({ ...base, KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') });
  expect(short.error?.issues).toEqual([
    expect.objectContaining({ path: ['KEY_ENCRYPTION_KEY'], message: expect.stringContaining('32 bytes') }),
  ]);
  expect(identityEnv.toolSchema.parse(base).KEY_ENCRYPTION_KEY).toEqual(Buffer.alloc(32, 1));
});

test('HOME_JURISDICTION is a 12-digit code; the sign-in limits are positive', () => {
  expect(identityEnv.toolSchema.parse(base)).toMatchObject({
    HOME_JURISDICTION: '500230000000',
    SIGN_IN_RATE_LIMIT: 10,
    SIGN_IN_RATE_LIMIT_PER_ADDRESS: 60,
  });
  expect(identityEnv.toolSchema.safeParse({ ...base, HOME_JURISDICTION: '5002' }).error?.issues[0]?.path).toEqual([
    'HOME_JURISDICTION',
  ]);
  expect(identityEnv.toolSchema.safeParse({ ...base, SIGN_IN_RATE_LIMIT: '0' }).error?.issues[0]?.path).toEqual([
    'SIGN_IN_RATE_LIMIT',
  ]);
});
