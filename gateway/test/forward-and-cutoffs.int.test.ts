import { redisClientCutoffs, remoteKeys, type Identity, type VerifyTokenOptions } from '@firegov/auth';
import { connectRedis, createLogger, listen, parseEnv, type Redis, type RunningServer } from '@firegov/kit';
import { createSubgraphBuilder, createSubgraphYoga, definePolicy } from '@firegov/service';
import { TEST_GATEWAY_FORWARD_KEY, testEnv, testLogger } from '@firegov/testing';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { clientCredentials, countyAdmin, startHarness, type Harness } from '../../services/identity/test/harness.ts';
import { createGateway, type Gateway } from '../src/app.ts';
import { composeFromSubgraphs } from '../src/compose.ts';
import { gatewayEnvSchema } from '../src/env.ts';
import { postGraphQL, type GraphQLAnswer } from './fixtures/gateway.ts';

// The real identity service issues the tokens (client credentials) and keeps the clients; a subgraph
// built as every service builds its own (createSubgraphYoga, its policy gate) listens on a port of
// its own as the services do, and the gateway stands in front. Two gaps closed:
// - a platform client limited to trusted documents cannot skip the gateway by calling the subgraph's
//   port: the subgraph serves its token only with the gateway's proof;
// - revoking a client, rotating its secret or limiting it ends the tokens it already holds, at the
//   gateway and at the subgraph alike, at once.

const WHOAMI = '{ whoami }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let h: Harness;
let redis: Redis;
let subgraph: Server;
let subgraphUrl: string;
let gateway: Gateway;
let gatewayServer: RunningServer;
let gatewayUrl: string;

function subgraphYoga(auth: VerifyTokenOptions) {
  const builder = createSubgraphBuilder<{ identity: Identity | undefined }>();
  builder.queryType({
    fields: (t) => ({ whoami: t.string({ resolve: (_r, _a, ctx) => ctx.identity?.subject ?? 'nobody' }) }),
  });
  return createSubgraphYoga<{ identity: Identity | undefined }>({
    schema: builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' }),
    auth,
    logger: testLogger('forward-and-cutoffs'),
    context: (identity) => ({ identity }),
    policy: definePolicy({ 'Query.whoami': { roles: ['county_admin'], relation: 'data' } }),
  });
}

beforeAll(async () => {
  h = await startHarness('gateway-forward-cutoffs');
  redis = await connectRedis(testEnv.REDIS_URL);
  // The subgraph verifies as a service process does (tokenVerification with Redis): the identity
  // service's JWKS, its clients' cutoffs, the gateway-forward key.
  const yoga = subgraphYoga({
    keys: remoteKeys(`${h.issuer}/jwks`, { cooldownMs: 0 }),
    issuer: h.issuer,
    audience: 'firegov',
    cutoffs: redisClientCutoffs(redis, { prefix: h.cutoffPrefix }),
    gatewayForwardKeys: [TEST_GATEWAY_FORWARD_KEY],
  });
  subgraph = createServer(yoga);
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  subgraphUrl = `http://127.0.0.1:${(subgraph.address() as { port: number }).port}/graphql`;

  const env = parseEnv(gatewayEnvSchema, {
    AUTH_ISSUER: h.issuer,
    AUTH_JWKS_URL: `${h.issuer}/jwks`,
    AUTH_CLIENT_CUTOFF_PREFIX: h.cutoffPrefix,
    GATEWAY_FORWARD_KEYS: TEST_GATEWAY_FORWARD_KEY,
    SUBGRAPHS: `who=${subgraphUrl}`,
    RATE_LIMIT_PER_MINUTE: '0',
    TRUSTED_DOCUMENTS_CACHE_MS: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const supergraph = await composeFromSubgraphs(env.SUBGRAPHS);
  gateway = createGateway({ supergraph, env, logger: createLogger({ service: 'gateway-test', level: env.LOG_LEVEL }), redis });
  gatewayServer = await listen(gateway.app, 0);
  gatewayUrl = gatewayServer.url;
}, 60_000);

afterAll(async () => {
  await gatewayServer?.close();
  await gateway?.dispose();
  await new Promise((resolve) => subgraph?.close(resolve));
  redis?.disconnect();
  await h?.stop();
});

/** A new platform client of the demo county and a token of its own. */
async function newClient(o: { trustedDocumentsOnly?: boolean; documents?: string[] } = {}) {
  const issued = await h.services.clients.register(countyAdmin, {
    name: '县级平台',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
    trustedDocumentsOnly: o.trustedDocumentsOnly ?? false,
  });
  const id = issued.client._id;
  if (o.documents) await h.services.clients.registerDocuments(countyAdmin, { clientId: id, documents: o.documents });
  return { id, secret: issued.clientSecret, token: await tokenOf(id, issued.clientSecret) };
}

async function tokenOf(id: string, secret: string): Promise<string> {
  const { status, body } = await clientCredentials(h.issuer, id, secret);
  if (status !== 200) throw new Error(`no token for ${id}: ${status} ${JSON.stringify(body)}`);
  return String(body.access_token);
}

/** Straight to the subgraph's own port, skipping the gateway. */
async function direct(token: string, query = WHOAMI, headers: Record<string, string> = {}): Promise<GraphQLAnswer['body']> {
  const res = await fetch(subgraphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as GraphQLAnswer['body'];
}

const viaGateway = (token: string) => postGraphQL(gatewayUrl, WHOAMI, { token });
const byHash = (token: string, query: string) =>
  postGraphQL(gatewayUrl, '', {
    token,
    rawBody: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
  });

describe('a platform client limited to trusted documents', () => {
  test('straight to a subgraph it is refused, FORBIDDEN naming why, whatever it sends', async () => {
    const limited = await newClient({ trustedDocumentsOnly: true, documents: [WHOAMI] });
    for (const headers of [{}, { 'x-firegov-gateway-forward': 'made-up' }] as Array<Record<string, string>>) {
      const answer = await direct(limited.token, '{ whoami __typename }', headers);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message:
            'this platform client may run only its trusted documents, through the gateway; this request did not come through the gateway',
          extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
        }),
      ]);
    }
  });

  test('through the gateway its registered document runs by hash, and the subgraph serves it', async () => {
    const limited = await newClient({ trustedDocumentsOnly: true, documents: [WHOAMI] });
    const res = await byHash(limited.token, WHOAMI);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { whoami: limited.id } });
    // A proof the gateway made for this token is useless to any other token.
    const other = await newClient({ trustedDocumentsOnly: true, documents: [WHOAMI] });
    expect((await byHash(other.token, WHOAMI)).body).toEqual({ data: { whoami: other.id } });
  });

  test("a proof the caller sends the gateway itself is replaced by the gateway's own", async () => {
    const limited = await newClient({ trustedDocumentsOnly: true, documents: [WHOAMI] });
    const res = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${limited.token}`,
        'x-firegov-gateway-forward': 'forged-by-the-caller',
      },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(WHOAMI) } } }),
    });
    // Had the caller's value been passed on, the subgraph would have refused it.
    expect(await res.json()).toEqual({ data: { whoami: limited.id } });
  });

  test('an ordinary token still goes straight to the subgraph', async () => {
    const ordinary = await newClient();
    expect(await direct(ordinary.token)).toEqual({ data: { whoami: ordinary.id } });
  });
});

describe('tokens issued before a change to their client', () => {
  test('revoking a client refuses the token it holds at once, at the gateway (401) and at a subgraph, naming why', async () => {
    const client = await newClient();
    expect((await viaGateway(client.token)).body).toEqual({ data: { whoami: client.id } });
    expect(await direct(client.token)).toEqual({ data: { whoami: client.id } });

    await h.services.clients.revoke(countyAdmin, { id: client.id });

    const refused = await viaGateway(client.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^token was issued before its platform client was revoked \(\d{4}-.+Z\)$/),
    });
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const straight = await direct(client.token);
    expect(straight.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^token was issued before its platform client was revoked/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // And it gets no new one.
    expect((await clientCredentials(h.issuer, client.id, client.secret)).status).toBe(401);
  });

  test("after a secret rotation the old secret's token is refused and the new secret's works, at the gateway and a subgraph", async () => {
    const client = await newClient();
    const rotated = await h.services.clients.rotateSecret(countyAdmin, { id: client.id });
    const fresh = await tokenOf(client.id, rotated.clientSecret);

    for (const answer of [(await viaGateway(client.token)).body.error, (await direct(client.token)).errors?.[0]]) {
      expect(answer?.message).toMatch(
        /^token was issued before its platform client's secret was rotated \(.+Z\); get a new token$/,
      );
    }
    expect((await viaGateway(fresh)).body).toEqual({ data: { whoami: client.id } });
    expect(await direct(fresh)).toEqual({ data: { whoami: client.id } });
    expect((await clientCredentials(h.issuer, client.id, client.secret)).status).toBe(401);
  });

  test('limiting a client to trusted documents ends the unlimited tokens it holds', async () => {
    const client = await newClient({ documents: [WHOAMI] });
    expect((await viaGateway(client.token)).body).toEqual({ data: { whoami: client.id } });
    await h.services.clients.setTrustedDocumentsOnly(countyAdmin, { id: client.id, trustedDocumentsOnly: true });

    const refused = await viaGateway(client.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.message).toMatch(/^token was issued before its platform client was limited to trusted documents/);
    const limited = await tokenOf(client.id, client.secret);
    expect((await byHash(limited, WHOAMI)).body).toEqual({ data: { whoami: client.id } });
  });

  test("a person's token is not affected", async () => {
    const person = await h.personToken('county');
    expect((await viaGateway(person)).body).toEqual({ data: { whoami: 'demo-county' } });
    expect(await direct(person)).toEqual({ data: { whoami: 'demo-county' } });
  });
});
