import { createSubgraphYoga, policyCases, runPolicyCase, verdictOf } from '@firegov/service';
import { signTestToken, testLogger, testTokenVerification } from '@firegov/testing';
import http from 'node:http';
import { identityPolicy } from '../../src/policy.ts';
import { createGraphContext } from '../../src/schema/context.ts';
import { identitySubgraphSchema } from '../../src/schema/index.ts';
import { startHarness, type Harness } from '../harness.ts';

// The authorization matrix of src/policy.ts, generated as for every service (packages/service
// policy-cases.ts). The harness's app trusts only its own provider, which issues tokens for its
// demo people and clients alone; the matrix needs a caller of every role and one of another county,
// so the same subgraph (schema, policy, the harness's services on the real stack) is served here by
// createSubgraphYoga, as createServiceApp serves it, verifying the test issuer's tokens instead.

let h: Harness;
let server: http.Server;
let url: string;

beforeAll(async () => {
  h = await startHarness('policy-matrix');
  const yoga = createSubgraphYoga({
    schema: identitySubgraphSchema(),
    policy: identityPolicy,
    auth: await testTokenVerification(),
    logger: testLogger('identity-policy-matrix'),
    context: (identity) => createGraphContext(h.services, identity),
  });
  server = http.createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.stop();
});

const cases = policyCases(identitySubgraphSchema(), identityPolicy);

test('every entry has cases', () => {
  expect(new Set(cases.map((c) => c.field)).size).toBe(Object.keys(identityPolicy).length);
});

// Every field here is a county administrator's who signed in as a person (service/admin.ts): a
// platform client of the role passes the gate and is then refused by the service, FORBIDDEN too.
const expected = (c: (typeof cases)[number]) => (c.title.includes(' platform client ') ? 'FORBIDDEN' : c.expect);

test.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
  const outcome = await runPolicyCase(c, { url, token: signTestToken });
  expect({ verdict: verdictOf(outcome), ...outcome }).toMatchObject({ verdict: expected(c) });
});
