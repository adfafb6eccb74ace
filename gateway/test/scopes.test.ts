import { startGatewayWithSubgraphs, postGraphQL, tokenFor, type RunningGateway } from './fixtures/gateway.ts';

// A platform client's token (its subject is its client id) is held to its scope at the gateway,
// before any subgraph is asked: write for a mutation, read (or write) for a query. People are not.

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startGatewayWithSubgraphs();
});
afterAll(async () => {
  await gw.close();
});

const platformClient = (...scopes: string[]) => tokenFor({ subject: 'pc_1', client: { id: 'pc_1', scopes } });
const asked = () => gw.units.authorizations.length;

test("a read-only platform client's mutation is FORBIDDEN naming scope write, and no subgraph is asked", async () => {
  const before = asked();
  const res = await postGraphQL(gw.url, 'mutation Touch { touchUnit }', { token: await platformClient('read') });
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors).toEqual([
    expect.objectContaining({
      message: 'mutation Touch needs scope write; this platform client\'s token carries scope "read"',
      extensions: expect.objectContaining({ code: 'FORBIDDEN', details: [{ path: 'scope', reason: 'a mutation needs write' }] }),
    }),
  ]);
  expect(asked()).toBe(before);
});

test('its query is answered; with write the mutation goes through', async () => {
  const read = await postGraphQL(gw.url, '{ units { id } }', { token: await platformClient('read') });
  expect(read.body.errors).toBeUndefined();
  expect(read.body.data?.units).toHaveLength(2);
  const write = await postGraphQL(gw.url, 'mutation { touchUnit }', { token: await platformClient('read', 'write') });
  expect(write.body).toEqual({ data: { touchUnit: 'touched' } });
});

test('a platform client token without scope reads nothing', async () => {
  const res = await postGraphQL(gw.url, '{ units { id } }', { token: await platformClient() });
  expect(res.body.errors?.[0]).toMatchObject({
    message: "a query needs scope read; this platform client's token carries no scope",
    extensions: { code: 'FORBIDDEN' },
  });
});

test("a person's token is bound by role alone, whatever scope it carries", async () => {
  const person = await tokenFor({ client: { id: 'firegov-console', scopes: [] } });
  expect((await postGraphQL(gw.url, 'mutation { touchUnit }', { token: person })).body).toEqual({
    data: { touchUnit: 'touched' },
  });
});
