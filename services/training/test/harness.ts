import { personalDataReadTopics } from '@firegov/contracts';
import type { Identity } from '@firegov/auth';
import { createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  signTestToken,
  startApp,
  testEnv,
  testKafka,
  testLogger,
  TestClock,
  testMongo,
  testTokenVerification,
  testNamespace,
  type TestNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createTrainingApp } from '../src/app.ts';
import type { Services } from '../src/schema/context.ts';
import { outboxCollections, trainingModels, type TrainingModels } from '../src/store/models.ts';

// The training service against the real stack (FerretDB, Redis, Kafka) in a database and topic
// prefix of its own, on port 0, with a clock the test moves.

export const COUNTY = '500230000000';
export const TOWNSHIP_A = '500230213000';
export const VILLAGE_A1 = '500230213201';
export const TOWNSHIP_B = '500230214000';

export const countyAdmin: Identity = { subject: 'admin', role: 'county_admin', jurisdiction: COUNTY };
export const townshipA: Identity = { subject: 'a-officer', role: 'township_officer', jurisdiction: TOWNSHIP_A };
export const townshipB: Identity = { subject: 'b-officer', role: 'township_officer', jurisdiction: TOWNSHIP_B };
export const gridA1: Identity = { subject: 'grid-a1', role: 'village_grid_manager', jurisdiction: VILLAGE_A1 };
export const brigade: Identity = { subject: 'brigade', role: 'fire_brigade', jurisdiction: COUNTY };

export interface Harness {
  ns: TestNamespace;
  conn: Connection;
  models: TrainingModels;
  kafka: Kafka;
  redis: Redis;
  relay: OutboxRelay;
  server: RunningServer;
  services: Services;
  clock: TestClock;
  events: TopicCollector;
  /** POSTs a GraphQL operation as `identity`; returns `data` (errors fail the test loudly). */
  gql: (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}

/** Starts the app; `topics` are the (unprefixed) topic names whose messages `events` collects. */
export async function startHarness(
  label: string,
  topics: readonly string[],
  start = '2026-03-01T01:00:00.000Z',
): Promise<Harness> {
  const ns = testNamespace(label);
  const kafka = testKafka();
  const logger = testLogger();
  const conn = await testMongo(ns.dbName);
  const models = trainingModels(conn);
  await ensureModelIndexes(models);
  const prefixed = topics.map((t) => `${ns.topicPrefix}${t}`);
  // The audit topic of personal data shown unmasked is always there: answers wait on sending to it.
  await ensureTopics(kafka, [...new Set([...prefixed, `${ns.topicPrefix}${personalDataReadTopics.training.name}`])]);
  const events = await collectTopics(kafka, prefixed);
  const redis = await connectRedis(testEnv.REDIS_URL);
  const publisher: Publisher = await createPublisher({ kafka, source: 'training', topicPrefix: ns.topicPrefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 1000 });
  const clock = new TestClock(start);
  const built = createTrainingApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    publisher,
    logger,
    auth: await testTokenVerification(),
    now: clock.now,
  });
  const server = await startApp(built.app, 0);

  const gql: Harness['gql'] = async (query, variables, identity) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await signTestToken(identity)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data ?? {};
  };

  const close = async () => {
    await server.close();
    await built.closeReadiness();
    await relay.stop();
    await publisher.disconnect();
    await events.stop();
    redis.disconnect();
    await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
    await dropAndClose(conn);
  };
  return { ns, conn, models, kafka, redis, relay, server, services: built.services, clock, events, gql, close };
}
