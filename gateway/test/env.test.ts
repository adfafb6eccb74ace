import { parseEnv, type EnvError } from '@firegov/kit';
import { gatewayEnvSchema } from '../src/env.ts';

const auth = {
  AUTH_ISSUER: 'http://127.0.0.1:4006',
  AUTH_JWKS_URL: 'http://127.0.0.1:4006/jwks',
  GATEWAY_FORWARD_KEYS: 'gateway-forward-key-of-at-least-32-chars',
};

test('defaults', () => {
  const env = parseEnv(gatewayEnvSchema, auth);
  expect(env).toMatchObject({
    GATEWAY_PORT: 4000,
    HOST: '127.0.0.1',
    SUBGRAPHS: [
      { name: 'entities', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'inspections', url: 'http://127.0.0.1:4002/graphql' },
      { name: 'assessment', url: 'http://127.0.0.1:4003/graphql' },
    ],
    SUPERGRAPH_PATH: 'gateway/supergraph.graphql',
    MAX_DEPTH: 10,
    MAX_ALIASES: 15,
    MAX_COST: 5000,
    MAX_TOKENS: 2000,
    MAX_BODY_BYTES: 100_000,
    RATE_LIMIT_PER_MINUTE: 600,
    REDIS_URL: 'redis://127.0.0.1:6379',
    AUTH_ISSUER: 'http://127.0.0.1:4006',
    AUTH_JWKS_URL: 'http://127.0.0.1:4006/jwks',
    AUTH_AUDIENCE: 'firegov',
    AUTH_CLIENT_CUTOFF_PREFIX: 'firegov:auth:client-cutoff:',
    GATEWAY_FORWARD_KEYS: ['gateway-forward-key-of-at-least-32-chars'],
  });
  // No secret of any kind: the gateway cannot sign a user's token (its forward key signs none).
  expect(Object.keys(env).filter((k) => /SECRET/.test(k))).toEqual([]);
});

test('SUBGRAPHS is a comma-separated name=url list', () => {
  const env = parseEnv(gatewayEnvSchema, {
    ...auth,
    SUBGRAPHS: ' entities=http://entities:4001/graphql , inspections=https://inspections.internal/graphql,',
  });
  expect(env.SUBGRAPHS).toEqual([
    { name: 'entities', url: 'http://entities:4001/graphql' },
    { name: 'inspections', url: 'https://inspections.internal/graphql' },
  ]);
});

test('every bad variable is reported at once', () => {
  let issues: readonly string[] = [];
  try {
    parseEnv(gatewayEnvSchema, {
      SUBGRAPHS: 'entities,x=ftp://a,entities=http://a,entities=http://b',
      MAX_DEPTH: '0',
      AUTH_JWKS_URL: 'http://127.0.0.1:4006/jwks',
    });
  } catch (err) {
    issues = (err as EnvError).issues;
  }
  expect(issues).toEqual([
    "AUTH_ISSUER: is required: the identity service's issuer, e.g. http://127.0.0.1:4006",
    'GATEWAY_FORWARD_KEYS: is required: the key the gateway proves a forwarded request with (shared by gateway and subgraphs)',
    'SUBGRAPHS: entry 1 "entities" must be name=url',
    'SUBGRAPHS: entry 2: "ftp://a" is not an http(s) URL',
    'SUBGRAPHS: subgraph "entities" is listed twice',
    expect.stringMatching(/^MAX_DEPTH: /),
  ]);
});

test('the issuer and the JWKS must be http(s) URLs', () => {
  expect(() => parseEnv(gatewayEnvSchema, { ...auth, AUTH_JWKS_URL: 'file:///etc/jwks.json' })).toThrow(
    'AUTH_JWKS_URL: must be an http(s) URL',
  );
});
