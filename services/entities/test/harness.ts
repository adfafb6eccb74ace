import type { Identity } from '@firegov/auth';
import {
  committeeTopic,
  fireForceTopic,
  householdTopic,
  jurisdictionTopic,
  unitTopic,
  departmentTopic,
  personalDataReadTopics,
} from '@firegov/contracts';
import { createPublisher, DEFAULT_DLQ_TOPIC, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectRedis, type Redis, type RunningServer } from '@firegov/kit';
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
  testMongo,
  testTokenVerification,
  testNamespace,
  type TestNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createEntitiesApp } from '../src/app.ts';
import type { Services } from '../src/schema/context.ts';
import type { DutyTallies } from '../src/store/duty-tallies.ts';
import type { PersonalDataTrail } from '../src/store/personal-data-trail.ts';
import { ensureIndexes, entitiesModels, outboxCollections, type EntitiesModels } from '../src/store/models.ts';

export interface Harness {
  ns: TestNamespace;
  conn: Connection;
  models: EntitiesModels;
  kafka: Kafka;
  redis: Redis;
  publisher: Publisher;
  relay: OutboxRelay;
  server: RunningServer;
  services: Services;
  duty: DutyTallies;
  trail: PersonalDataTrail;
  events: TopicCollector;
  topic: (name: string) => string;
  token: (identity: Identity) => Promise<string>;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  close: () => Promise<void>;
}

/** The entities service on port 0 against the real stack, in a database and topic prefix of its own. */
export async function startHarness(label: string, now?: () => Date): Promise<Harness> {
  const ns = testNamespace(label);
  const conn = await testMongo(ns.dbName);
  const models = entitiesModels(conn);
  await ensureIndexes(models);
  const kafka = testKafka();
  const topic = (name: string) => `${ns.topicPrefix}${name}`;
  const ownTopics = [
    unitTopic,
    householdTopic,
    fireForceTopic,
    jurisdictionTopic,
    departmentTopic,
    committeeTopic,
    personalDataReadTopics.entities,
  ].map((t) => topic(t.name));
  await ensureTopics(kafka, ownTopics.concat(topic(DEFAULT_DLQ_TOPIC)));
  const redis = await connectRedis(testEnv.REDIS_URL);
  const logger = testLogger('entities');
  const publisher = await createPublisher({ kafka, source: 'entities', topicPrefix: ns.topicPrefix });
  const relay = startOutboxRelay({
    collections: outboxCollections(models),
    publisher,
    logger,
    sweepIntervalMs: 500,
  });
  const { app, services, index, duty, trail, closeReadiness } = createEntitiesApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    publisher,
    logger,
    auth: await testTokenVerification(),
    redisPrefix: `${ns.dbName}:`,
    ...(now ? { now } : {}),
  });
  // As the service does at start: the unit index is built (here from an empty store) before lists read it.
  await index.rebuild(models);
  await duty.rebuildIfMissing();
  const server = await startApp(app, 0);
  const events = await collectTopics(kafka, ownTopics);
  return {
    ns,
    conn,
    models,
    kafka,
    redis,
    publisher,
    relay,
    server,
    services,
    duty,
    trail,
    events,
    topic,
    token: (identity) => signTestToken(identity),
    async gql(query, variables, token) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async close() {
      await server.close();
      await events.stop();
      await closeReadiness();
      await relay.stop();
      await publisher.disconnect();
      // The read models of this namespace (100,000s of keys over a day of test runs otherwise).
      for await (const keys of redis.scanStream({ match: `${ns.dbName}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
      redis.disconnect();
      await dropAndClose(conn);
      await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
    },
  };
}

export const COUNTY = '500230000000';
export const TOWNSHIP_A = '500230213000';
export const VILLAGE_A1 = '500230213201';
export const VILLAGE_A2 = '500230213202';
export const GRID_A1 = '500230213201-G01';
export const TOWNSHIP_B = '500230214000';
export const VILLAGE_B1 = '500230214201';

export const countyAdmin: Identity = { subject: 'admin', role: 'county_admin', jurisdiction: COUNTY };
export const townshipA: Identity = { subject: 'a-officer', role: 'township_officer', jurisdiction: TOWNSHIP_A };
export const townshipB: Identity = { subject: 'b-officer', role: 'township_officer', jurisdiction: TOWNSHIP_B };
export const brigade: Identity = { subject: 'brigade', role: 'fire_brigade', jurisdiction: COUNTY };

/** A small tree: the county, two townships, villages, one grid. */
export async function seedTree(h: Harness): Promise<void> {
  const reg = (input: Record<string, unknown>) => h.services.registry.registerJurisdiction(countyAdmin, input);
  await reg({ code: COUNTY, name: '丰都县', level: 'county' });
  await reg({ code: TOWNSHIP_A, name: '青龙乡', level: 'township', parentCode: COUNTY });
  await reg({ code: TOWNSHIP_B, name: '邻乡', level: 'township', parentCode: COUNTY });
  await reg({ code: VILLAGE_A1, name: '青龙村', level: 'village', parentCode: TOWNSHIP_A });
  await reg({ code: VILLAGE_A2, name: '石龙村', level: 'village', parentCode: TOWNSHIP_A });
  await reg({ code: VILLAGE_B1, name: '邻村', level: 'village', parentCode: TOWNSHIP_B });
  await reg({
    code: GRID_A1,
    name: '青龙村一网格',
    level: 'grid',
    parentCode: VILLAGE_A1,
    gridManagers: [{ name: '王网格', phone: '13800138000' }],
  });
}

export const validUnit = (overrides: Record<string, unknown> = {}) => ({
  name: '青龙场镇张记餐馆',
  category: 'restaurant',
  jurisdictionCode: VILLAGE_A1,
  address: '青龙乡青龙村场镇街 12 号',
  buildingUse: 'public',
  floors: 2,
  heightM: 7.5,
  occupancy: 30,
  responsiblePerson: { name: '张三', phone: '13912345678', idNumber: '11010519491231002X' },
  ...overrides,
});
