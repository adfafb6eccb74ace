import type { Identity } from '@firegov/auth';
import { assessmentTopic, personalDataReadTopics, type UnitSnapshot } from '@firegov/contracts';
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
import { createHash, randomBytes } from 'node:crypto';
import { createAssessmentApp, type AssessmentServices } from '../src/app.ts';
import { upsertUnit } from '@firegov/registry';
import type { AssessmentDeps } from '../src/service/deps.ts';
import { assessmentModels, ensureIndexes, outboxCollections, type AssessmentModels } from '../src/store/models.ts';

export const COUNTY = '500230000000';
export const TOWNSHIP_A = '500230213000';
export const VILLAGE_A1 = '500230213201';
export const countyAdmin: Identity = { subject: 'admin', role: 'county_admin', jurisdiction: COUNTY };
export const townshipA: Identity = { subject: 'a-officer', role: 'township_officer', jurisdiction: TOWNSHIP_A };

export interface Harness {
  ns: TestNamespace;
  conn: Connection;
  models: AssessmentModels;
  kafka: Kafka;
  redis: Redis;
  publisher: Publisher;
  relay: OutboxRelay;
  server: RunningServer;
  services: AssessmentServices;
  deps: AssessmentDeps;
  clock: TestClock;
  events: TopicCollector;
  topic: (name: string) => string;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity,
  ) => Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** A raw HTTP call to the service; `json` is whatever came back, for the test to look into. */
  http: (
    method: string,
    path: string,
    opts?: { token?: string; key?: string; body?: unknown; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ) => Promise<{ status: number; json: any; headers: Headers }>;
  close: () => Promise<void>;
}

let unitSeq = 0;
export function unitSnapshot(overrides: Partial<UnitSnapshot> = {}): UnitSnapshot {
  unitSeq += 1;
  return {
    id: `u_as${String(unitSeq).padStart(6, '0')}`,
    version: 1,
    name: `评估测试单位${unitSeq}`,
    category: 'supermarket',
    countyCode: COUNTY,
    townshipCode: TOWNSHIP_A,
    villageCode: VILLAGE_A1,
    address: '青龙乡场镇',
    buildingUse: 'public',
    floors: 3,
    undergroundFloors: 0,
    heightM: 12,
    occupancy: 80,
    keyUnit: true,
    highRise: false,
    selfBuiltTarget: false,
    riskGrade: 'general',
    riskScore: 30,
    status: 'active',
    demo: false,
    ...overrides,
  };
}

export async function startHarness(
  label: string,
  opts: { start?: string; auditShare?: number; pushPerMinute?: number; topicPrefix?: string } = {},
): Promise<Harness> {
  const ns = testNamespace(label);
  const topicPrefix = opts.topicPrefix ?? ns.topicPrefix;
  const conn = await testMongo(ns.dbName);
  const models = assessmentModels(conn);
  await ensureIndexes(models);
  const kafka = testKafka();
  const topic = (name: string) => `${topicPrefix}${name}`;
  await ensureTopics(kafka, [
    topic(assessmentTopic.name),
    topic(personalDataReadTopics.assessment.name),
    topic(DEFAULT_DLQ_TOPIC),
  ]);
  const redis = await connectRedis(testEnv.REDIS_URL);
  const logger = testLogger('assessment');
  const publisher = await createPublisher({ kafka, source: 'assessment', topicPrefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 500 });
  const clock = new TestClock(opts.start ?? '2026-06-10T02:00:00.000Z');
  const redisPrefix = `t:${ns.id}:`;
  const { app, services, deps, closeReadiness } = createAssessmentApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    publisher,
    logger,
    auth: await testTokenVerification(),
    agencyTokenSecret: randomBytes(32).toString('hex'),
    receiptSeed: createHash('sha256').update(ns.id).digest(),
    auditShare: opts.auditShare ?? 0,
    auditSalt: 'test-salt-0123456789',
    redisPrefix,
    pushPerMinute: opts.pushPerMinute ?? 100_000,
    now: clock.now,
  });
  const server = await startApp(app, 0);
  const events = await collectTopics(kafka, [topic(assessmentTopic.name)]);
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
    deps,
    clock,
    events,
    topic,
    async gql(query, variables, identity) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(identity ? { authorization: `Bearer ${await signTestToken(identity)}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async http(method, path, o = {}) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.key ? { 'idempotency-key': o.key } : {}),
          ...o.headers,
        },
        ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, json, headers: res.headers };
    },
    async close() {
      await server.close();
      await events.stop();
      await closeReadiness();
      await relay.stop();
      await publisher.disconnect();
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await dropAndClose(conn);
      if (!opts.topicPrefix) await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
    },
  };
}

export const seedUnits = async (h: Harness, units: UnitSnapshot[]) => {
  for (const u of units) await upsertUnit(h.models, u);
};

/** A registered agency with one engineer, a contract over `jurisdictionCodes` (or units) and an API client. */
export async function setupAgency(
  h: Harness,
  o: {
    creditCode: string;
    name?: string;
    jurisdictionCodes?: string[];
    unitIds?: string[];
    validFrom?: string;
    validUntil?: string;
    licenceNo?: string;
  },
) {
  const agency = await h.services.agencies.register(countyAdmin, {
    name: o.name ?? '重庆某消防技术服务有限公司',
    creditCode: o.creditCode,
    qualification: 'class_1',
  });
  const licenceNo = o.licenceNo ?? `ENG-${agency._id.slice(-6).toUpperCase()}`;
  await h.services.agencies.registerEngineer(countyAdmin, agency._id, {
    name: '王工程师',
    licenceNo,
    validFrom: '2024-01-01',
    validUntil: '2028-12-31',
  });
  await h.services.agencies.registerContract(countyAdmin, {
    agencyId: agency._id,
    ...(o.jurisdictionCodes ? { jurisdictionCodes: o.jurisdictionCodes } : {}),
    ...(o.unitIds ? { unitIds: o.unitIds } : {}),
    validFrom: o.validFrom ?? '2026-01-01',
    validUntil: o.validUntil ?? '2026-12-31',
  });
  const client = await h.services.agencies.createClient(countyAdmin, agency._id, 'main system');
  return { agencyId: agency._id, licenceNo, ...client };
}

export async function tokenFor(h: Harness, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${h.server.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const json = (await res.json()) as { access_token?: string };
  if (!json.access_token) throw new Error(`no token: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

const SHA = 'a'.repeat(64);
export function submission(unitId: string, licenceNo: string, overrides: Record<string, unknown> = {}, findings = 2) {
  return {
    unit: { unitId },
    engineerLicence: licenceNo,
    assessedOn: '2026-06-05',
    method: 'on_site',
    score: 72.5,
    grade: 'B',
    findings: Array.from({ length: findings }, (_, i) => ({
      id: `f${i + 1}`,
      category: i % 2 ? 'extinguishers' : 'evacuation',
      severity: i === 0 ? 'major' : 'general',
      description: `问题描述${i + 1}：疏散通道堆放货物`,
      location: `${i + 1}F 东侧`,
      evidence: [{ url: `https://files.example.cn/${i}.jpg`, sha256: SHA }],
    })),
    report: { url: 'https://files.example.cn/report.pdf', sha256: SHA },
    ...overrides,
  };
}
