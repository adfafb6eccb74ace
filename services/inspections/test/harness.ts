import type { Identity } from '@firegov/auth';
import {
  caseTopic,
  hazardTopic,
  inspectionTopic,
  personalDataReadTopics,
  reportTopic,
  supervisionTopic,
  type UnitSnapshot,
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
  TestClock,
  type TestNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createInspectionsApp } from '../src/app.ts';
import { DEFAULT_POLICY } from '../src/domain/escalation.ts';
import { upsertUnit } from '@firegov/registry';
import type { Services } from '../src/schema/context.ts';
import type { InspectionsDeps } from '../src/service/deps.ts';
import { hazardIndex, type HazardIndex } from '../src/store/hazard-index.ts';
import { ensureIndexes, inspectionsModels, outboxCollections, type InspectionsModels } from '../src/store/models.ts';

export const COUNTY = '500230000000';
export const TOWNSHIP_A = '500230213000';
export const VILLAGE_A1 = '500230213201';
export const VILLAGE_A2 = '500230213202';
export const TOWNSHIP_B = '500230214000';
export const VILLAGE_B1 = '500230214201';

export const countyAdmin: Identity = { subject: 'admin', role: 'county_admin', jurisdiction: COUNTY };
export const townshipA: Identity = { subject: 'a-officer', role: 'township_officer', jurisdiction: TOWNSHIP_A };
export const townshipB: Identity = { subject: 'b-officer', role: 'township_officer', jurisdiction: TOWNSHIP_B };
export const gridA1: Identity = { subject: 'grid-a1', role: 'village_grid_manager', jurisdiction: VILLAGE_A1 };
export const brigade: Identity = { subject: 'brigade', role: 'fire_brigade', jurisdiction: COUNTY };

export interface Harness {
  ns: TestNamespace;
  conn: Connection;
  models: InspectionsModels;
  kafka: Kafka;
  redis: Redis;
  index: HazardIndex;
  publisher: Publisher;
  relay: OutboxRelay;
  server: RunningServer;
  services: Services;
  deps: InspectionsDeps;
  clock: TestClock;
  events: TopicCollector;
  topic: (name: string) => string;
  token: (identity: Identity) => Promise<string>;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity,
  ) => Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  close: () => Promise<void>;
}

const OWN_TOPICS = [hazardTopic, inspectionTopic, reportTopic, caseTopic, supervisionTopic, personalDataReadTopics.inspections];

/** The inspections service on port 0 against the real stack, with its own database, topics, Redis keys and clock. */
export async function startHarness(
  label: string,
  opts: { start?: string; publicRatePerMinute?: number; topicPrefix?: string } = {},
): Promise<Harness> {
  const ns = testNamespace(label);
  const topicPrefix = opts.topicPrefix ?? ns.topicPrefix;
  const conn = await testMongo(ns.dbName);
  const models = inspectionsModels(conn);
  await ensureIndexes(models);
  const kafka = testKafka();
  const topic = (name: string) => `${topicPrefix}${name}`;
  await ensureTopics(kafka, OWN_TOPICS.map((t) => topic(t.name)).concat(topic(DEFAULT_DLQ_TOPIC)));
  const redis = await connectRedis(testEnv.REDIS_URL);
  const index = hazardIndex(`t:${ns.id}:`);
  const logger = testLogger('inspections');
  const publisher = await createPublisher({ kafka, source: 'inspections', topicPrefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 500 });
  const clock = new TestClock(opts.start ?? '2026-03-02T02:00:00.000Z');
  const { app, services, serviceDeps, closeReadiness } = createInspectionsApp({
    conn,
    models,
    redis,
    index,
    kafka,
    relay,
    publisher,
    logger,
    auth: await testTokenVerification(),
    homeJurisdiction: COUNTY,
    publicRatePerMinute: opts.publicRatePerMinute ?? 1000,
    policy: DEFAULT_POLICY,
    now: clock.now,
  });
  await services.campaigns.seed();
  const server = await startApp(app, 0);
  const events = await collectTopics(
    kafka,
    OWN_TOPICS.map((t) => topic(t.name)),
  );
  const token = (identity: Identity) => signTestToken(identity);
  return {
    ns,
    conn,
    models,
    kafka,
    redis,
    index,
    publisher,
    relay,
    server,
    services,
    deps: serviceDeps,
    clock,
    events,
    topic,
    token,
    async gql(query, variables, identity) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(identity ? { authorization: `Bearer ${await token(identity)}` } : {}),
        },
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
      const keys = await redis.keys(`${index.prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await dropAndClose(conn);
      if (!opts.topicPrefix) await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
    },
  };
}

let unitSeq = 0;

/** A registry unit as the entities topic would announce it. */
export function unitSnapshot(overrides: Partial<UnitSnapshot> = {}): UnitSnapshot {
  unitSeq += 1;
  return {
    id: `u_test${String(unitSeq).padStart(6, '0')}`,
    version: 1,
    name: `测试单位${unitSeq}`,
    category: 'restaurant',
    countyCode: COUNTY,
    townshipCode: TOWNSHIP_A,
    villageCode: VILLAGE_A1,
    address: '青龙乡青龙村场镇街 12 号',
    buildingUse: 'public',
    floors: 2,
    undergroundFloors: 0,
    heightM: 7.5,
    occupancy: 30,
    keyUnit: false,
    highRise: false,
    selfBuiltTarget: false,
    riskGrade: 'low',
    riskScore: 10,
    status: 'active',
    demo: false,
    ...overrides,
  };
}

/** Puts units and village names into the service's registry projection, as its consumer would. */
export async function seedRegistry(h: Harness, units: UnitSnapshot[]): Promise<void> {
  const names: Array<[string, string, string, string?]> = [
    [COUNTY, '丰都县', 'county'],
    [TOWNSHIP_A, '青龙乡', 'township', COUNTY],
    [TOWNSHIP_B, '邻乡', 'township', COUNTY],
    [VILLAGE_A1, '青龙村', 'village', TOWNSHIP_A],
    [VILLAGE_A2, '石龙村', 'village', TOWNSHIP_A],
    [VILLAGE_B1, '邻村', 'village', TOWNSHIP_B],
  ];
  for (const [code, name, level, parentCode] of names) {
    await h.models.jurisdictions.collection.replaceOne(
      { _id: code } as never,
      { _id: code, name, level, ...(parentCode ? { parentCode } : {}) },
      { upsert: true },
    );
  }
  for (const u of units) await upsertUnit(h.models, u);
}

export const inDays = (h: Harness, days: number): string => new Date(h.clock.now().getTime() + days * 86_400_000).toISOString();
