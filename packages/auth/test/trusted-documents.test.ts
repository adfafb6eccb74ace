import {
  bearerToken,
  GATEWAY_FORWARD_HEADER,
  gatewayForwardProof,
  gatewayForwardRefusal,
  isForwardedByGateway,
  unverifiedClaims,
} from '../src/index.ts';

// The gateway's proof that it forwarded a request: an HMAC of the bearer token under a key the
// gateway and the subgraphs share. Pure; the subgraph's use of it is tested in packages/service and
// end to end in gateway/test/forward-and-cutoffs.int.test.ts.

const KEY = 'gateway-forward-key-for-unit-tests-0123456789';
const OLD_KEY = 'gateway-forward-key-of-last-month-0123456789';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwY18xIn0.c2ln';

test("the proof is the gateway's for this token only, under any of the subgraph's keys", () => {
  const proof = gatewayForwardProof(KEY, TOKEN);
  expect(proof).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(isForwardedByGateway([KEY], TOKEN, proof)).toBe(true);
  // During a key change the subgraphs accept the old key and the new one.
  expect(isForwardedByGateway([KEY, OLD_KEY], TOKEN, gatewayForwardProof(OLD_KEY, TOKEN))).toBe(true);
  expect(isForwardedByGateway([KEY], `${TOKEN}x`, proof)).toBe(false);
  expect(isForwardedByGateway([OLD_KEY], TOKEN, proof)).toBe(false);
  expect(isForwardedByGateway([KEY], TOKEN, proof.slice(1))).toBe(false);
  expect(isForwardedByGateway([KEY], TOKEN, null)).toBe(false);
});

test('a token limited to trusted documents needs the proof: FORBIDDEN naming why; every other token does not', () => {
  const limited = { trustedDocumentsOnly: true as const };
  expect(gatewayForwardRefusal(limited, TOKEN, gatewayForwardProof(KEY, TOKEN), [KEY])).toBeUndefined();
  const none = gatewayForwardRefusal(limited, TOKEN, null, [KEY]);
  expect(none?.code).toBe('FORBIDDEN');
  expect(none?.message).toBe(
    'this platform client may run only its trusted documents, through the gateway; this request did not come through the gateway',
  );
  expect(none?.details).toEqual([{ path: 'trusted_documents', reason: `no ${GATEWAY_FORWARD_HEADER} header` }]);
  expect(gatewayForwardRefusal(limited, TOKEN, 'forged', [KEY])?.details[0]?.reason).toBe(
    `the ${GATEWAY_FORWARD_HEADER} header is not the gateway's proof for this token`,
  );
  // A subgraph without keys cannot tell: it refuses (fail closed).
  expect(gatewayForwardRefusal(limited, TOKEN, gatewayForwardProof(KEY, TOKEN), undefined)?.code).toBe('FORBIDDEN');
  expect(gatewayForwardRefusal({}, TOKEN, null, [KEY])).toBeUndefined();
});

test('bearerToken and unverifiedClaims read the header every reader agrees on', () => {
  expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
  expect(bearerToken(`bearer \t${TOKEN} `)).toBe(TOKEN);
  expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined();
  expect(bearerToken(null)).toBeUndefined();
  expect(unverifiedClaims(TOKEN)).toEqual({ sub: 'pc_1' });
  expect(unverifiedClaims('a.bm90IGpzb24.c')).toBeUndefined();
  expect(unverifiedClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeUndefined();
  expect(unverifiedClaims(undefined)).toBeUndefined();
});
