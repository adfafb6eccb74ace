import { parseEnv, type EnvError } from '@firegov/kit';
import { gatewayEnvSchema } from '../src/env.ts';

const secret = 'x'.repeat(32);

test('defaults', () => {
  const env = parseEnv(gatewayEnvSchema, { JWT_SECRET: secret });
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
  });
});

test('SUBGRAPHS is a comma-separated name=url list', () => {
  const env = parseEnv(gatewayEnvSchema, {
    JWT_SECRET: secret,
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
      JWT_SECRET: undefined,
    });
  } catch (err) {
    issues = (err as EnvError).issues;
  }
  expect(issues).toEqual([
    expect.stringMatching(/^JWT_SECRET: is required: at least 32 bytes/),
    'SUBGRAPHS: entry 1 "entities" must be name=url',
    'SUBGRAPHS: entry 2: "ftp://a" is not an http(s) URL',
    'SUBGRAPHS: subgraph "entities" is listed twice',
    expect.stringMatching(/^MAX_DEPTH: /),
  ]);
});

test('a JWT_SECRET shorter than 32 bytes is refused', () => {
  expect(() => parseEnv(gatewayEnvSchema, { JWT_SECRET: 'short' })).toThrow('JWT_SECRET: must be at least 32 bytes');
});
