import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { connectRedis } from '@firegov/kit';
import { deleteTopicsWithPrefix, dropAndClose, freePort, testEnv, testKafka, testMongo } from '@firegov/testing';
import { loadStackEnv } from '../src/env.ts';
import { startPlatform, type RunningPlatform } from '../src/platform.ts';
import { PLATFORM_SERVICES } from '../src/services.ts';

// Starts the platform's processes exactly as `npm start` does (entities and inspections services, demo loaders,
// supergraph composition, gateway), on free ports with a database and topic prefix of its own,
// then queries through the gateway as a county platform would.

const id = `e2e_${Date.now().toString(36)}`;
let platform: RunningPlatform;

beforeAll(async () => {
  const stack = loadStackEnv(path.resolve(__dirname, '..', '..'));
  platform = await startPlatform({
    stack,
    devSeed: randomBytes(32).toString('hex'),
    ports: Object.fromEntries(await Promise.all(PLATFORM_SERVICES.map(async (s) => [s.name, await freePort()] as const))),
    gatewayPort: await freePort(),
    mongoDbPrefix: `${id}_`,
    redisKeyPrefix: `t:${id}:`,
    topicPrefix: `t.${id}.`,
    demoUnits: 300,
    logDir: path.join(stack.dataDir, 'logs', id),
  });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  for (const s of PLATFORM_SERVICES) await dropAndClose(await testMongo(`${id}_${s.name}`));
  const redis = await connectRedis(testEnv.REDIS_URL);
  const keys = await redis.keys(`t:${id}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await deleteTopicsWithPrefix(testKafka(), `t.${id}.`);
});

const query = async <T>(q: string, token?: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: q, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> },
  };
};

const tokenFor = (role: string) => platform.tokens.find((t) => t.role === role)!.token;

test('a county user queries the demo county through the gateway in one request', async () => {
  const { body } = await query<{
    villageSummaries: Array<{ villageName: string; units: number }>;
    units: { totalCount: number; edges: Array<{ node: { name: string; risk: { grade: string } } }> };
  }>(
    `{ villageSummaries { villageName units } units(first: 5, filter: { keyUnit: true }) { totalCount edges { node { name risk { grade } } } } }`,
    tokenFor('county_admin'),
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.villageSummaries.length).toBeGreaterThanOrEqual(20);
  expect(body.data!.villageSummaries.reduce((n, v) => n + v.units, 0)).toBe(300);
  expect(body.data!.units.totalCount).toBeGreaterThan(0);
  expect(body.data!.units.edges[0]!.node.risk.grade).toMatch(/^(low|general|significant|major)$/);
});

test('through the gateway a village grid manager sees only the village, with personal data; the fire brigade sees masked data', async () => {
  const grid = await query<{ units: { nodes: Array<{ villageCode: string; responsiblePerson: { phone: string } }> } }>(
    `{ units(first: 50) { nodes { villageCode responsiblePerson { phone } } } }`,
    tokenFor('village_grid_manager'),
  );
  const nodes = grid.body.data!.units.nodes;
  expect(nodes.length).toBeGreaterThan(0);
  expect(nodes.every((n) => n.villageCode === '500230213201')).toBe(true);
  expect(nodes[0]!.responsiblePerson.phone).toMatch(/^1\d{10}$/);

  const brigade = await query<{ units: { nodes: Array<{ responsiblePerson: { phone: string } }> } }>(
    `{ units(first: 5) { nodes { responsiblePerson { phone } } } }`,
    tokenFor('fire_brigade'),
  );
  expect(brigade.body.data!.units.nodes[0]!.responsiblePerson.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
});

test('the gateway refuses callers without a token', async () => {
  const { status, body } = await query(`{ units { totalCount } }`);
  expect(status === 401 || body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED').toBe(true);
});

test('one request joins both subgraphs: the overdue work queue with each unit’s registry risk grade, and units with their open hazards', async () => {
  const { body } = await query<{
    hazardQueue: {
      totalCount: number;
      nodes: Array<{ title: string; escalation: { level: string }; unit: { name: string; risk: { grade: string } } }>;
    };
    units: { nodes: Array<{ name: string; openHazardCount: number | null }> };
    hazardStatistics: Array<{ name: string; found: number; rectified: number }>;
  }>(
    `{ hazardQueue(queue: overdue, first: 5) { totalCount nodes { title escalation { level } unit { name risk { grade } } } }
       units(first: 100) { nodes { name openHazardCount } }
       hazardStatistics(jurisdictionCode: "500230213000") { name found rectified } }`,
    tokenFor('county_admin'),
  );
  expect(body.errors).toBeUndefined();
  // The demo history leaves some hazards past their deadline, escalated by the sweep at load time.
  expect(body.data!.hazardQueue.totalCount).toBeGreaterThan(0);
  const first = body.data!.hazardQueue.nodes[0]!;
  expect(first.escalation.level).not.toBe('none');
  expect(first.unit.name.length).toBeGreaterThan(0);
  expect(first.unit.risk.grade).toMatch(/^(low|general|significant|major)$/);
  expect(body.data!.units.nodes.some((u) => (u.openHazardCount ?? 0) > 0)).toBe(true);
  const found = body.data!.hazardStatistics.reduce((n, v) => n + v.found, 0);
  expect(found).toBeGreaterThan(0);
});

test('the demo agency’s client gets a token, and its assessments reached the units through Kafka', async () => {
  const demo = platform.demoAgency!;
  const tokenRes = await fetch(`${platform.serviceUrls.assessment}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(tokenRes.status).toBe(200);
  const { body } = await query<{
    agencies: Array<{ name: string; credit: { score: number } }>;
    units: { nodes: Array<{ latestAssessment: { grade: string } | null }> };
  }>(
    `{ agencies { name credit { score } } units(first: 100) { nodes { latestAssessment { grade } } } }`,
    tokenFor('county_admin'),
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.agencies.map((a) => a.name)).toContain('重庆演示消防技术服务有限公司（演示）');
  expect(body.data!.units.nodes.some((u) => u.latestAssessment !== null)).toBe(true);
});
