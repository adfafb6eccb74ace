import type { Identity } from '@firegov/auth';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import { createServiceApp } from '@firegov/service';
import {
  dropAndClose,
  signTestToken,
  startApp,
  testEnv,
  testKafka,
  testLogger,
  testMongo,
  testNamespace,
  testTokenVerification,
  TestClock,
} from '@firegov/testing';
import { Router } from 'express';
import { decodeJwt } from 'jose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { gatewayOf, oauthRouter, requireGateway } from '../../src/http/oauth.ts';
import { sensorsPolicy } from '../../src/policy.ts';
import { createGraphContext, type Services } from '../../src/schema/context.ts';
import { sensorsSubgraphSchema } from '../../src/schema/index.ts';
import { GATEWAY_TOKEN_AUDIENCE, gatewayTokens, type GatewayTokens } from '../../src/service/gateway-tokens.ts';
import { gatewayCache, gatewayService, type GatewayService } from '../../src/service/gateways.ts';
import { gatewayModel, type GatewayModels } from '../../src/store/gateway-model.ts';

// Device gateways and their OAuth2 client credentials against the real store (FerretDB) and Redis
// (the token endpoint's rate limit): registration, tokens by Basic and by form, refusals, rotation
// with an overlap, revocation, and who may manage which gateway.

const ns = testNamespace('sensors-gateways');
const logger = testLogger();
const kafka = testKafka();
const clock = new TestClock('2026-06-10T02:00:00.000Z');

const COUNTY = '500230000000';
const TOWNSHIP = '500230213000';
const OTHER_TOWNSHIP = '500230214000';
const countyAdmin: Identity = { subject: 'u-county', role: 'county_admin', jurisdiction: COUNTY };
const township: Identity = { subject: 'u-township', role: 'township_officer', jurisdiction: TOWNSHIP };
const otherTownship: Identity = { subject: 'u-other', role: 'township_officer', jurisdiction: OTHER_TOWNSHIP };
const gridManager: Identity = { subject: 'u-grid', role: 'village_grid_manager', jurisdiction: '500230213201' };

let conn: Connection;
let redis: Redis;
let models: GatewayModels;
let gateways: GatewayService;
let tokens: GatewayTokens;
const servers: RunningServer[] = [];
const closers: Array<() => Promise<void>> = [];
let url = '';

/** The token endpoint and subgraph as the service mounts them, plus a probe behind requireGateway. */
async function startTestApp(perMinute: number): Promise<string> {
  const probe = Router();
  probe.get('/v1/whoami', requireGateway(tokens), (_req, res) => {
    res.json(gatewayOf(res));
  });
  // Only the gateway resolvers run in this file.
  const services = { gateways, now: clock.now } as Partial<Services> as Services;
  const { app, close } = createServiceApp({
    logger,
    conn,
    redis,
    kafka,
    routes: [oauthRouter({ tokens, redis, logger, keyPrefix: `t:${ns.id}:${perMinute}:`, perMinute }), probe],
    subgraph: {
      schema: sensorsSubgraphSchema(),
      policy: sensorsPolicy,
      auth: await testTokenVerification(),
      context: (identity) => createGraphContext(services, identity),
    },
  });
  const server = await startApp(app, 0);
  servers.push(server);
  closers.push(close);
  return server.url;
}

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
  models = { gateways: gatewayModel(conn) };
  await ensureModelIndexes(models);
  redis = await connectRedis(testEnv.REDIS_URL);
  const cache = gatewayCache(models);
  gateways = gatewayService({ models, now: clock.now }, cache);
  tokens = gatewayTokens({ secret: randomBytes(32).toString('hex'), ttlS: 900, now: clock.now, gateways: cache });
  url = await startTestApp(10_000);
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const close of closers) await close();
  const keys = await redis.keys(`t:${ns.id}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await dropAndClose(conn);
});

interface GatewayView {
  id: string;
  name: string;
  clients: Array<{ clientId: string; label?: string; revokedAt?: string | null; usableSecrets: number }>;
}
interface IssuedView {
  gatewayId: string;
  clientId: string;
  clientSecret: string;
  oldSecretsValidUntil?: string | null;
}
/** A mutation's answer: `data` on success, `code`/`details` on MutationError. */
interface Answer<T> {
  __typename: string;
  data: T;
  code?: string;
  message?: string;
  details?: Array<{ path: string; reason: string }>;
}

async function gql<T>(query: string, variables: Record<string, unknown>, identity: Identity): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signTestToken(identity)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function tokenRequest(o: { basic?: [string, string]; form?: Record<string, string>; base?: string }) {
  const res = await fetch(`${o.base ?? url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(o.basic ? { authorization: basic(...o.basic) } : {}),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...o.form }).toString(),
  });
  const json = (await res.json()) as { access_token: string; error?: string; error_description?: string; expires_in?: number };
  return { status: res.status, headers: res.headers, json };
}

async function tokenFor(clientId: string, clientSecret: string): Promise<string> {
  const res = await tokenRequest({ basic: [clientId, clientSecret] });
  if (res.status !== 200) throw new Error(`no token: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.access_token;
}

async function whoami(token: string) {
  const res = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
  const json = (await res.json()) as { gatewayId?: string; clientId?: string; error?: { code: string; message: string } };
  return { status: res.status, json };
}

const REGISTER = `mutation($input: RegisterDeviceGatewayInput!) {
  registerDeviceGateway(input: $input) {
    __typename
    ... on MutationRegisterDeviceGatewaySuccess { data { clientId clientSecret gateway { id name vendor jurisdictionCode contactName contactPhone clients { clientId label usableSecrets } } } }
    ... on MutationError { code message details { path reason } }
  }
}`;
const ROTATE = `mutation($clientId: String!, $hours: Int!) {
  rotateDeviceGatewaySecret(clientId: $clientId, overlapHours: $hours) {
    __typename
    ... on MutationRotateDeviceGatewaySecretSuccess { data { gatewayId clientId clientSecret oldSecretsValidUntil } }
    ... on MutationError { code message }
  }
}`;
const REVOKE = `mutation($clientId: String!) {
  revokeDeviceGatewayClient(clientId: $clientId) {
    __typename
    ... on MutationRevokeDeviceGatewayClientSuccess { data { id clients { clientId revokedAt usableSecrets } } }
    ... on MutationError { code message }
  }
}`;
const ADD_CLIENT = `mutation($gatewayId: ID!, $label: String!) {
  addDeviceGatewayClient(gatewayId: $gatewayId, label: $label) {
    __typename
    ... on MutationAddDeviceGatewayClientSuccess { data { gatewayId clientId clientSecret } }
    ... on MutationError { code message }
  }
}`;

const input = (over: Record<string, unknown> = {}) => ({
  name: '青龙乡独立式烟感平台',
  vendor: '某物联网科技有限公司',
  jurisdictionCode: TOWNSHIP,
  contact: { name: '李工', phone: '139 0000 1111' },
  ...over,
});

/** Registers through the subgraph and returns the one-time answer. */
async function register(identity: Identity, over: Record<string, unknown> = {}) {
  type Registration = Answer<{ clientId: string; clientSecret: string; gateway: GatewayView & Record<string, unknown> }>;
  const out = await gql<{ registerDeviceGateway: Registration }>(REGISTER, { input: input(over) }, identity);
  return out.registerDeviceGateway;
}
const rotate = async (identity: Identity, clientId: string, hours: number) =>
  (await gql<{ rotateDeviceGatewaySecret: Answer<IssuedView> }>(ROTATE, { clientId, hours }, identity)).rotateDeviceGatewaySecret;
const revoke = async (identity: Identity, clientId: string) =>
  (await gql<{ revokeDeviceGatewayClient: Answer<GatewayView> }>(REVOKE, { clientId }, identity)).revokeDeviceGatewayClient;
const addClient = async (identity: Identity, gatewayId: string, label: string) =>
  (await gql<{ addDeviceGatewayClient: Answer<IssuedView> }>(ADD_CLIENT, { gatewayId, label }, identity)).addDeviceGatewayClient;

describe('registration', () => {
  test('a township officer registers a gateway of the township; the secret is shown once and stored only as a hash', async () => {
    const reg = await register(township);
    expect(reg.__typename).toBe('MutationRegisterDeviceGatewaySuccess');
    const { gateway, clientId, clientSecret } = reg.data;
    expect(gateway).toMatchObject({
      name: '青龙乡独立式烟感平台',
      jurisdictionCode: TOWNSHIP,
      contactName: '李工',
      contactPhone: '13900001111',
      clients: [{ clientId, label: 'primary', usableSecrets: 1 }],
    });
    expect(gateway.id).toMatch(/^gw_/);
    expect(clientId.startsWith(`${gateway.id}.`)).toBe(true);
    expect(clientSecret).toMatch(/^fgs_[A-Za-z0-9_-]{43}$/);

    const stored = await models.gateways.findById(gateway.id).lean();
    expect(JSON.stringify(stored)).not.toContain(clientSecret);
    expect(stored?.clients[0]?.secrets[0]?.hash).toMatch(/^scrypt\$/);
    expect(stored?.scope).toEqual([COUNTY, TOWNSHIP]);
  });

  test('the township and the county see the gateway; another township does not', async () => {
    const reg = await register(countyAdmin, { name: '县级电气火灾监控平台', jurisdictionCode: COUNTY });
    expect(reg.__typename).toBe('MutationRegisterDeviceGatewaySuccess');
    const names = async (who: Identity) =>
      (await gql<{ deviceGateways: Array<{ name: string }> }>('{ deviceGateways { name } }', {}, who)).deviceGateways.map(
        (g) => g.name,
      );
    expect(await names(countyAdmin)).toEqual(['青龙乡独立式烟感平台', '县级电气火灾监控平台']);
    expect(await names(township)).toEqual(['青龙乡独立式烟感平台']);
    expect(await names(otherTownship)).toEqual([]);
    const single = await gql<{ deviceGateway: unknown }>(
      'query($id: ID!) { deviceGateway(id: $id) { name } }',
      { id: reg.data.gateway.id },
      township,
    );
    expect(single.deviceGateway).toBeNull();
  });

  test('bad input names every bad field', async () => {
    const reg = await register(countyAdmin, {
      name: '',
      jurisdictionCode: '500230213201',
      contact: { name: '李工', phone: '12345' },
    });
    expect(reg.code).toBe('VALIDATION_FAILED');
    expect((reg.details ?? []).map((d) => d.path).sort()).toEqual(['$.contact.phone', '$.jurisdictionCode', '$.name']);
  });
});

describe('tokens', () => {
  let gatewayId = '';
  let clientId = '';
  let clientSecret = '';

  beforeAll(async () => {
    const reg = await register(township, { name: '令牌测试网关' });
    ({ clientId, clientSecret } = reg.data);
    gatewayId = reg.data.gateway.id;
  });

  test('HTTP Basic gets a short-lived ingest token that names the gateway', async () => {
    const res = await tokenRequest({ basic: [clientId, clientSecret] });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const claims = decodeJwt(res.json.access_token);
    expect(claims).toMatchObject({ aud: GATEWAY_TOKEN_AUDIENCE, iss: 'firegov-sensors', sub: clientId, gateway: gatewayId });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(await whoami(res.json.access_token)).toEqual({
      status: 200,
      json: { gatewayId, clientId, jurisdictionCode: TOWNSHIP },
    });
  });

  test('form fields work as well as Basic', async () => {
    const res = await tokenRequest({ form: { client_id: clientId, client_secret: clientSecret } });
    expect(res.status).toBe(200);
    expect((await whoami(res.json.access_token)).json.gatewayId).toBe(gatewayId);
  });

  test('a wrong secret, an unknown client and a wrong grant are refused in RFC 6749 shape', async () => {
    const wrong = await tokenRequest({ basic: [clientId, `${clientSecret}x`] });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="firegov-sensors"');
    const unknown = await tokenRequest({ form: { client_id: `${gatewayId}.000000000000`, client_secret: clientSecret } });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error).toBe('invalid_client');
    const missing = await tokenRequest({});
    expect(missing.status).toBe(401);
    const grant = await tokenRequest({ basic: [clientId, clientSecret], form: { grant_type: 'password' } });
    expect(grant.status).toBe(400);
    expect(grant.json.error).toBe('unsupported_grant_type');
  });

  test('ingest takes no user token, no tampered token and no expired token', async () => {
    const userToken = await signTestToken(township);
    expect((await whoami(userToken)).status).toBe(401);
    const good = await tokenFor(clientId, clientSecret);
    // And the other way round: the subgraph takes only the identity service's tokens, never a gateway's.
    const asUser = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${good}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const refused = (await asUser.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toBe('token algorithm is not allowed (expected ES256 or EdDSA)');
    const [head, , sig] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(good), gateway: 'gw_other' })).toString('base64url');
    const tampered = await whoami(`${head}.${forged}.${sig}`);
    expect(tampered.status).toBe(401);
    expect(tampered.json.error?.code).toBe('UNAUTHENTICATED');
    clock.advanceHours(0.5);
    try {
      expect((await whoami(good)).status).toBe(401);
    } finally {
      clock.advanceHours(-0.5);
    }
    expect((await whoami(good)).status).toBe(200);
  });
});

describe('rotation and revocation', () => {
  test('after a rotation both secrets work through the overlap, then only the new one', async () => {
    const reg = await register(township, { name: '轮换测试网关' });
    const { clientId, clientSecret: oldSecret } = reg.data;
    const rotated = await rotate(township, clientId, 2);
    expect(rotated.__typename).toBe('MutationRotateDeviceGatewaySecretSuccess');
    expect(rotated.data.oldSecretsValidUntil).toBe('2026-06-10T04:00:00.000Z');
    const newSecret = rotated.data.clientSecret;
    expect(newSecret).not.toBe(oldSecret);

    expect((await tokenRequest({ basic: [clientId, oldSecret] })).status).toBe(200);
    expect((await tokenRequest({ basic: [clientId, newSecret] })).status).toBe(200);
    const count = async () => {
      const q = 'query($id: ID!) { deviceGateway(id: $id) { clients { usableSecrets } } }';
      const out = await gql<{ deviceGateway: GatewayView }>(q, { id: rotated.data.gatewayId }, township);
      return out.deviceGateway.clients[0]?.usableSecrets;
    };
    expect(await count()).toBe(2);

    clock.advanceHours(3);
    try {
      expect((await tokenRequest({ basic: [clientId, oldSecret] })).status).toBe(401);
      expect((await tokenRequest({ basic: [clientId, newSecret] })).status).toBe(200);
      expect(await count()).toBe(1);
    } finally {
      clock.advanceHours(-3);
    }
  });

  test('an overlap outside 1-720 hours is refused and changes nothing', async () => {
    const reg = await register(township, { name: '轮换校验网关' });
    expect((await rotate(township, reg.data.clientId, 0)).code).toBe('VALIDATION_FAILED');
    const stored = await models.gateways.findById(reg.data.gateway.id).lean();
    expect(stored?.version).toBe(1);
    expect(stored?.clients[0]?.secrets).toHaveLength(1);
  });

  test('revocation stops the client’s tokens at once; a new client replaces it', async () => {
    const reg = await register(township, { name: '吊销测试网关' });
    const { clientId, clientSecret } = reg.data;
    const token = await tokenFor(clientId, clientSecret);
    expect((await whoami(token)).status).toBe(200);

    const out = await revoke(township, clientId);
    expect(out.__typename).toBe('MutationRevokeDeviceGatewayClientSuccess');
    expect(out.data.clients).toEqual([{ clientId, revokedAt: '2026-06-10T02:00:00.000Z', usableSecrets: 0 }]);
    const refused = await whoami(token);
    expect(refused.status).toBe(401);
    expect(refused.json.error?.message).toBe('the client of this token was revoked');
    expect((await tokenRequest({ basic: [clientId, clientSecret] })).status).toBe(401);
    expect((await rotate(township, clientId, 2)).code).toBe('CONFLICT');

    const fresh = (await addClient(township, reg.data.gateway.id, 'replacement')).data;
    expect(fresh.clientId).not.toBe(clientId);
    const again = await tokenFor(fresh.clientId, fresh.clientSecret);
    expect((await whoami(again)).json).toMatchObject({ gatewayId: reg.data.gateway.id, clientId: fresh.clientId });
  });
});

describe('who may manage which gateway', () => {
  test('a township officer cannot register for another township or for the county; a grid manager not at all', async () => {
    const foreign = await register(township, { jurisdictionCode: OTHER_TOWNSHIP });
    expect(foreign).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
    expect(await register(township, { jurisdictionCode: COUNTY })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await register(gridManager)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await models.gateways.countDocuments({ jurisdictionCode: OTHER_TOWNSHIP })).toBe(0);
    // The county registers for any of its townships.
    expect((await register(countyAdmin, { name: '二号乡平台', jurisdictionCode: OTHER_TOWNSHIP })).__typename).toBe(
      'MutationRegisterDeviceGatewaySuccess',
    );
  });

  test('another township cannot rotate, revoke or add clients of this township’s gateway', async () => {
    const reg = await register(township, { name: '越权测试网关' });
    const { clientId } = reg.data;
    expect((await rotate(otherTownship, clientId, 2)).code).toBe('NOT_FOUND');
    expect((await revoke(otherTownship, clientId)).code).toBe('NOT_FOUND');
    expect((await addClient(otherTownship, reg.data.gateway.id, 'x')).code).toBe('NOT_FOUND');
    expect((await revoke(gridManager, clientId)).code).toBe('FORBIDDEN');
    const stored = await models.gateways.findById(reg.data.gateway.id).lean();
    expect(stored?.version).toBe(1);
    expect(await tokenFor(clientId, reg.data.clientSecret)).toBeTruthy();
  });
});

test('token requests are limited per client address, counted in Redis', async () => {
  const limited = await startTestApp(2);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i += 1) statuses.push((await tokenRequest({ base: limited, basic: ['gw_x.0', 'fgs_x'] })).status);
  expect(statuses).toEqual([401, 401, 429]);
});
