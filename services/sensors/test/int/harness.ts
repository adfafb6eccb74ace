import type { Identity } from '@firegov/auth';
import type { TopicDef, UnitSnapshot } from '@firegov/contracts';
import { createPublisher, startOutboxRelay, type OutboxRelay, type Publisher, type RunningConsumer } from '@firegov/events';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import { upsertUnit } from '@firegov/registry';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  eventually,
  signTestToken,
  startApp,
  testEnv,
  testKafka,
  testLogger,
  testMongo,
  testTokenVerification,
  testNamespace,
  TestClock,
  type CollectedMessage,
  type TopicCollector,
} from '@firegov/testing';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createSensorsApp, type SensorsAppEnv, type SensorsServices } from '../../src/app.ts';
import { NO_LIVE_STATE, SINGLE_POINT, type DeviceLive } from '../../src/domain/device.ts';
import type { DeviceKind } from '../../src/domain/kinds.ts';
import { startReadingEvaluator } from '../../src/events/inbound/readings.ts';
import type { readingEvaluator } from '../../src/service/evaluator.ts';
import type { IngestResult } from '../../src/service/ingest.ts';
import { liveStore } from '../../src/service/live-store.ts';
import { liveDatabaseOf, sensorsModels, outboxCollections, type SensorsModels } from '../../src/store/models.ts';

// The sensors service against the real stack (FerretDB, Redis, Kafka), in a database and topic
// prefix of its own, with a clock the test moves.

export const COUNTY = '500230000000';
export const TOWNSHIP = '500230213000';
export const VILLAGE = '500230213201';
export const OTHER_TOWNSHIP = '500230214000';

export const countyAdmin: Identity = { subject: 'u-county', role: 'county_admin', jurisdiction: COUNTY };
export const township: Identity = { subject: 'u-township', role: 'township_officer', jurisdiction: TOWNSHIP };
export const otherTownship: Identity = { subject: 'u-other', role: 'township_officer', jurisdiction: OTHER_TOWNSHIP };
export const gridManager: Identity = { subject: 'u-grid', role: 'village_grid_manager', jurisdiction: VILLAGE };

export const testUnit = (id: string, over: Partial<UnitSnapshot> = {}): UnitSnapshot => ({
  id,
  version: 1,
  name: `测试单位 ${id}`,
  category: 'small_venue',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP,
  villageCode: VILLAGE,
  address: '青龙乡 1 号',
  buildingUse: 'commercial',
  floors: 2,
  undergroundFloors: 0,
  heightM: 7,
  occupancy: 20,
  keyUnit: false,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'low',
  riskScore: 0,
  status: 'active',
  demo: false,
  ...over,
});

export const TEST_ENV: SensorsAppEnv = {
  GATEWAY_TOKEN_SECRET: 'gateway-token-secret-for-tests-0123456789abcdef',
  GATEWAY_TOKEN_TTL_S: 900,
  INGEST_RATE_LIMIT_PER_MINUTE: 1000,
  READING_MAX_AGE_HOURS: 72,
  READING_MAX_SKEW_SECONDS: 300,
  DEVICE_CACHE_TTL_MS: 0,
  READING_CHECKPOINT_MS: 0,
  REDIS_KEY_PREFIX: 'test:sensors:',
};

/** A registered gateway and its ingest bearer token. */
export interface IngestGateway {
  gatewayId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** ISO times `s` seconds after `base` (epoch ms): readings of a test on one timeline. */
export const timeline =
  (base: number) =>
  (s: number): string =>
    new Date(base + s * 1000).toISOString();

/**
 * Messages with duplicates left out: the outbox relay delivers at least once (a kick and a sweep may
 * both send an entry), and consumers de-duplicate by event id, as this does.
 */
export function distinctEvents(messages: readonly CollectedMessage[]): CollectedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const id = m.envelope?.id;
    if (id === undefined || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export interface SensorsHarness {
  url: string;
  ns: ReturnType<typeof testNamespace>;
  kafka: Kafka;
  conn: Connection;
  models: SensorsModels;
  services: SensorsServices;
  publisher: Publisher;
  relay: OutboxRelay;
  redis: Redis;
  clock: TestClock;
  gql: (
    query: string,
    variables: Record<string, unknown>,
    who: Identity,
  ) => Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;
  /** A registered gateway of the township with a client; `token` is a bearer token for ingest. */
  gateway: (name?: string) => Promise<IngestGateway>;
  /** Registers a device of `gw` at a unit over the gateway REST API; resolves to its platform id. */
  register: (gw: IngestGateway, serial: string, kind: DeviceKind, unitId?: string) => Promise<string>;
  /** Posts readings to the ingest API as `gw`. */
  send: (gw: IngestGateway, readings: unknown[]) => Promise<{ status: number; body: IngestResult }>;
  /** Waits until the evaluator has applied the reading of `deviceId` at `point` (or the single point) and `at`. */
  applied: (deviceId: string, at: string, point?: string) => Promise<void>;
  /** Creates these topics in the namespace and collects them from the beginning (stopped by `stop`). */
  collect: (topics: readonly TopicDef[]) => Promise<TopicCollector>;
  /**
   * Starts the reading evaluator (consumer group sensors.evaluator of this prefix): the app's own, or
   * `evaluator` (a fresh one stands in for a restarted process).
   */
  /** The evaluator's consumer; `checkpointMs` 0 (the default) writes every batch through. */
  /** A device's stored live state (latest values, rule state). */
  live: (deviceId: string) => Promise<DeviceLive>;
  startEvaluator: (evaluator?: ReturnType<typeof readingEvaluator>, checkpointMs?: number) => Promise<RunningConsumer>;
  stop: () => Promise<void>;
}

export async function startSensors(
  name: string,
  opts: { clock?: string; env?: Partial<SensorsAppEnv>; units?: UnitSnapshot[] } = {},
): Promise<SensorsHarness> {
  const ns = testNamespace(name);
  const kafka = testKafka();
  const logger = testLogger();
  const clock = new TestClock(opts.clock ?? new Date().toISOString());
  const conn = await testMongo(ns.dbName);
  const models = sensorsModels(conn);
  const liveOf = async (deviceId: string) => (await liveStore(models).load([deviceId])).get(deviceId) ?? NO_LIVE_STATE;
  await ensureModelIndexes(models);
  for (const u of opts.units ?? [testUnit('u_sensor_1')]) await upsertUnit(models, u);
  const redis = await connectRedis(testEnv.REDIS_URL);
  const publisher = await createPublisher({ kafka, source: 'sensors', topicPrefix: ns.topicPrefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 500 });
  const built = createSensorsApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    publisher,
    logger,
    auth: await testTokenVerification(),
    now: clock.now,
    env: { ...TEST_ENV, REDIS_KEY_PREFIX: `test:${ns.id}:`, ...opts.env },
  });
  // The online rate reads its Redis counts (the store only until they are built, as in production).
  await built.services.healthCounts.rebuild();
  // alarmStats reads its Redis counts likewise.
  await built.services.alarmCounts.rebuild();
  const server: RunningServer = await startApp(built.app, 0);
  const consumers: RunningConsumer[] = [];
  const collectors: TopicCollector[] = [];

  const gql: SensorsHarness['gql'] = async (query, variables, who) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signTestToken(who)}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };

  return {
    url: server.url,
    ns,
    kafka,
    conn,
    models,
    services: built.services,
    publisher,
    relay,
    redis,
    clock,
    gql,
    async gateway(gwName = 'vendor') {
      const issued = await built.services.gateways.register(township, {
        name: `${gwName} IoT platform`,
        vendor: gwName,
        jurisdictionCode: TOWNSHIP,
        contact: { name: '王工', phone: '13800138000' },
      });
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: issued.clientId,
        client_secret: issued.clientSecret,
      });
      const res = await fetch(`${server.url}/oauth/token`, { method: 'POST', body: form });
      const { access_token: token } = (await res.json()) as { access_token: string };
      return { gatewayId: issued.gatewayId, clientId: issued.clientId, clientSecret: issued.clientSecret, token };
    },
    async register(gw, serial, kind, unitId = 'u_sensor_1') {
      const res = await fetch(`${server.url}/v1/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
        body: JSON.stringify({ serial, kind, name: `${kind} ${serial}`, unitId, place: '一楼' }),
      });
      if (res.status !== 201) throw new Error(`registering ${serial}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { _id: string })._id;
    },
    async send(gw, readings) {
      const res = await fetch(`${server.url}/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
        body: JSON.stringify({ readings }),
      });
      return { status: res.status, body: (await res.json()) as IngestResult };
    },
    live: liveOf,
    async applied(deviceId, at, point = SINGLE_POINT) {
      await eventually(async () => {
        const d = await liveOf(deviceId);
        if (!d.latest[point] || d.latest[point].at < at) throw new Error(`${deviceId} ${point} has not reached ${at}`);
      });
    },
    async collect(topics) {
      const names = topics.map((t) => `${ns.topicPrefix}${t.name}`);
      await ensureTopics(kafka, names);
      const c = await collectTopics(kafka, names);
      collectors.push(c);
      return c;
    },
    async startEvaluator(evaluator = built.services.evaluator, checkpointMs = 0) {
      const c = await startReadingEvaluator({
        kafka,
        publisher,
        logger,
        evaluator,
        topicPrefix: ns.topicPrefix,
        checkpointMs,
      });
      consumers.push(c);
      return c;
    },
    async stop() {
      for (const c of collectors) await c.stop();
      for (const c of consumers) await c.stop();
      await server.close();
      await built.closeReadiness();
      await relay.stop();
      await publisher.disconnect();
      for await (const keys of redis.scanStream({ match: `test:${ns.id}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
      redis.disconnect();
      await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
      await liveDatabaseOf(conn)
        .dropDatabase()
        .catch(() => undefined);
      await dropAndClose(conn);
    },
  };
}
