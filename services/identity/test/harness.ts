import { redisClientCutoffs, remoteKeys, signInWithPassword, type Identity } from '@firegov/auth';
import { identityClientTopic } from '@firegov/contracts';
import { createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  freePort,
  startApp,
  TEST_GATEWAY_FORWARD_KEY,
  testEnv,
  testKafka,
  testLogger,
  testMongo,
  testNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Connection } from 'mongoose';
import { createIdentityApp } from '../src/app.ts';
import type { KeyPolicy } from '../src/domain/keys.ts';
import type { SignInRateLimit } from '../src/http/rate-limits.ts';
import { loadDemoUsers } from '../src/demo/users.ts';
import type { Services } from '../src/schema/context.ts';
import type { ProviderRing } from '../src/oidc/ring.ts';
import { identityModels, outboxCollections, type IdentityModels } from '../src/store/models.ts';

// The identity service against the real stack (FerretDB, Redis, Kafka) in a database, Redis prefix
// and topic prefix of its own, listening on a free port so its issuer URL is known before it starts.

export const DEMO_PASSWORD = 'demo-password-for-identity-tests';
/** The tests' key-encryption key (KEY_ENCRYPTION_KEY): fixed, so a CLI run against the harness opens its keys. */
export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const countyAdmin: Identity = {
  subject: 'demo-county',
  role: 'county_admin',
  jurisdiction: '500230000000',
  name: '县级管理员（演示）',
};

export interface Harness {
  issuer: string;
  /** A demo person's access token, signed in at this provider with the console client (code + PKCE). */
  personToken: (username: string) => Promise<string>;
  /** AUTH_CLIENT_CUTOFF_PREFIX of this harness: where a verifier under test reads its clients' cutoffs. */
  cutoffPrefix: string;
  /** The env a process of this service (a CLI) needs to reach this harness's store, Redis and Kafka. */
  env: Record<string, string>;
  server: RunningServer;
  models: IdentityModels;
  services: Services;
  ring: ProviderRing;
  redis: Redis;
  events: TopicCollector;
  stop(): Promise<void>;
}

export async function startHarness(
  label: string,
  o: {
    keyPolicy?: Partial<KeyPolicy>;
    accessTokenTtl?: number;
    signInRateLimit?: SignInRateLimit;
    trustProxy?: boolean;
    homeJurisdiction?: string;
  } = {},
): Promise<Harness> {
  const ns = testNamespace(label);
  const kafka = testKafka();
  const logger = testLogger();
  const conn: Connection = await testMongo(ns.dbName);
  const models = identityModels(conn);
  await ensureModelIndexes(models);
  await loadDemoUsers(models, DEMO_PASSWORD, () => new Date());
  const topic = `${ns.topicPrefix}${identityClientTopic.name}`;
  await ensureTopics(kafka, [topic]);
  const events = await collectTopics(kafka, [topic]);
  const redis = await connectRedis(testEnv.REDIS_URL);
  const publisher: Publisher = await createPublisher({ kafka, source: 'identity', topicPrefix: ns.topicPrefix });
  const relay: OutboxRelay = startOutboxRelay({
    collections: outboxCollections(models),
    publisher,
    logger,
    sweepIntervalMs: 1000,
  });
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accessToken = o.accessTokenTtl ?? 600;
  // Cutoffs of this harness's clients under its own prefix; a gateway under test reads the same (cutoffPrefix).
  const cutoffPrefix = `t:${ns.id}:client-cutoff:`;
  const cutoffs = redisClientCutoffs(redis, { prefix: cutoffPrefix });
  const built = await createIdentityApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    logger,
    // The subgraph verifies callers against this service's own JWKS, as under npm start.
    auth: {
      keys: remoteKeys(`${issuer}/jwks`, { cooldownMs: 0 }),
      issuer,
      audience: 'firegov',
      cutoffs,
      gatewayForwardKeys: [TEST_GATEWAY_FORWARD_KEY],
    },
    clientCutoffs: cutoffs,
    issuer,
    cookieKeys: ['identity-test-cookie-key-0123456789abcdef'],
    ttl: { accessToken, refreshToken: 3600 },
    keyPolicy: {
      rotationIntervalMs: 86_400_000,
      publishAheadMs: 3_600_000,
      retainAfterRetireMs: (accessToken + 60) * 1000,
      immediateAfterMs: 1000,
      ...o.keyPolicy,
    },
    keyEncryptionKey: TEST_KEY_ENCRYPTION_KEY,
    homeJurisdiction: o.homeJurisdiction ?? '500230000000',
    // High enough that no other test meets it; rate-limit tests pass their own.
    signInRateLimit: o.signInRateLimit ?? { perName: 1000, perAddress: 1000 },
    trustProxy: o.trustProxy ?? false,
    keySyncMs: 60_000,
    redisKeyPrefix: `t:${ns.id}:`,
  });
  const server = await startApp(built.app, port);
  return {
    issuer,
    personToken: async (username) => (await signInWithPassword({ issuer, username, password: DEMO_PASSWORD })).access_token,
    cutoffPrefix,
    env: {
      MONGO_URL: testEnv.MONGO_URL,
      MONGO_DB: ns.dbName,
      REDIS_URL: testEnv.REDIS_URL,
      REDIS_KEY_PREFIX: `t:${ns.id}:`,
      KAFKA_BROKERS: testEnv.KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: ns.topicPrefix,
      COOKIE_KEYS: 'identity-test-cookie-key-0123456789abcdef',
      AUTH_CLIENT_CUTOFF_PREFIX: cutoffPrefix,
      GATEWAY_FORWARD_KEYS: TEST_GATEWAY_FORWARD_KEY,
      KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY.toString('base64'),
      LOG_LEVEL: 'warn',
    },
    server,
    models,
    services: built.services,
    ring: built.ring,
    redis,
    events,
    async stop() {
      await server.close();
      await built.close();
      await relay.stop();
      await publisher.disconnect();
      await events.stop();
      redis.disconnect();
      await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
      await dropAndClose(conn);
    },
  };
}

/** client_credentials at the token endpoint, with HTTP Basic as a platform would. */
export async function clientCredentials(issuer: string, clientId: string, secret: string, scope = 'read') {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
