import { signToken, type Identity } from '@firegov/auth';
import { trainingCourseTopic, type UnitSnapshot } from '@firegov/contracts';
import { createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import { upsertUnit } from '@firegov/registry';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  startApp,
  testEnv,
  testKafka,
  testLogger,
  testMongo,
  testNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Connection } from 'mongoose';
import { createTrainingApp } from '../../src/app.ts';
import { trainingModels, outboxCollections } from '../../src/store/models.ts';

// The service against the real stack (FerretDB, Redis, Kafka) in a database and topic prefix of its own.

const JWT_SECRET = 'test-secret-for-training-integration-tests-0123456789';
const ns = testNamespace('training-course');
const kafka = testKafka();
const logger = testLogger();
const township: Identity = { subject: 'u-township', role: 'township_officer', jurisdiction: '500230213000', name: 'township' };
const elsewhere: Identity = {
  subject: 'u-other',
  role: 'township_officer',
  jurisdiction: '500230214000',
  name: 'other township',
};

const unit: UnitSnapshot = {
  id: 'u_training_1',
  version: 1,
  name: '青龙乡测试单位',
  category: 'small_venue',
  countyCode: '500230000000',
  townshipCode: '500230213000',
  villageCode: '500230213201',
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
};

let conn: Connection;
let redis: Redis;
let publisher: Publisher;
let relay: OutboxRelay;
let server: RunningServer;
let events: TopicCollector;
let closeReadiness: () => Promise<void>;

async function gql(query: string, variables: Record<string, unknown>, identity: Identity) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signToken(identity, { secret: JWT_SECRET })}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> };
  return body.data ?? {};
}

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
  const models = trainingModels(conn);
  await ensureModelIndexes(models);
  await upsertUnit(models, unit);
  const topic = `${ns.topicPrefix}${trainingCourseTopic.name}`;
  await ensureTopics(kafka, [topic]);
  events = await collectTopics(kafka, [topic]);
  redis = await connectRedis(testEnv.REDIS_URL);
  publisher = await createPublisher({ kafka, source: 'training', topicPrefix: ns.topicPrefix });
  relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 1000 });
  const built = createTrainingApp({ conn, models, redis, kafka, relay, logger, jwtSecret: JWT_SECRET });
  closeReadiness = built.closeReadiness;
  server = await startApp(built.app, 0);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await closeReadiness?.();
  await relay?.stop();
  await publisher?.disconnect();
  await events?.stop();
  redis?.disconnect();
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
  await dropAndClose(conn);
});

const REGISTER = `mutation($input: RegisterCourseInput!) {
  registerCourse(input: $input) {
    __typename
    ... on MutationRegisterCourseSuccess { data { id unitId name } }
    ... on MutationError { code details { path reason } }
  }
}`;

test('/readyz reports the store, Redis and Kafka', async () => {
  const res = await fetch(`${server.url}/readyz`);
  expect(res.status).toBe(200);
});

test('a course of a registered unit is stored, announced on Kafka, and read back in scope only', async () => {
  const out = await gql(REGISTER, { input: { unitId: unit.id, name: '一号' } }, township);
  const created = out.registerCourse as { __typename: string; data: { id: string } };
  expect(created.__typename).toBe('MutationRegisterCourseSuccess');
  const id = created.data.id;

  const [msg] = await events.waitFor((m) => m.envelope?.type === 'training.course.registered' && m.envelope.subject === id);
  expect(msg!.key).toBe(unit.id);

  const mine = await gql('query($id: ID!) { course(id: $id) { id name } }', { id }, township);
  expect(mine.course).toEqual({ id, name: '一号' });
  const theirs = await gql('query($id: ID!) { course(id: $id) { id } }', { id }, elsewhere);
  expect(theirs.course).toBeNull();

  const list = await gql('{ courses(first: 5) { totalCount nodes { id } } }', {}, township);
  expect(list.courses).toEqual({ totalCount: 1, nodes: [{ id }] });
});

test('bad input names the field and changes nothing', async () => {
  const out = await gql(REGISTER, { input: { unitId: 'u_unknown', name: '' } }, township);
  expect(out.registerCourse).toEqual({
    __typename: 'MutationError',
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.name', reason: 'must not be empty' }],
  });
  const list = await gql('{ courses(first: 5) { totalCount } }', {}, township);
  expect(list.courses).toEqual({ totalCount: 1 });
});
