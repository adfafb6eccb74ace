import { startGatewayWithSubgraphs, type RunningGateway } from './fixtures/gateway.ts';

let gw: RunningGateway;

beforeAll(async () => {
  gw = await startGatewayWithSubgraphs();
});

afterAll(async () => {
  await gw.close();
});

test('/readyz turns 503 naming the subgraph that stopped answering', async () => {
  expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  await gw.hazards.close();
  const res = await fetch(`${gw.url}/readyz`);
  expect(res.status).toBe(503);
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
  expect(body.status).toBe('not ready');
  expect(body.checks['subgraph:units']?.ok).toBe(true);
  expect(body.checks['subgraph:hazards']).toMatchObject({ ok: false });
  // /healthz is about this process only.
  expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
});
