import { policyCases, runPolicyCase, verdictOf } from '@firegov/service';
import { startHarness, type Harness } from '../harness.ts';
import { inspectionsPolicy } from '../../src/policy.ts';
import { inspectionsSubgraphSchema } from '../../src/schema/index.ts';

// The authorization matrix of src/policy.ts, generated (packages/service policy-cases.ts): for each
// entry, every allowed role gets past the gate, every other role and a caller without a token are
// refused, and an argument relation refuses a caller from elsewhere — over HTTP, against the
// service on the real stack. A new entry is tested here without a new test.

let h: Harness;
beforeAll(async () => {
  h = await startHarness('policy-matrix');
});
afterAll(async () => {
  await h.close();
});

const cases = policyCases(inspectionsSubgraphSchema(), inspectionsPolicy);

test('every entry has cases', () => {
  expect(new Set(cases.map((c) => c.field)).size).toBe(Object.keys(inspectionsPolicy).length);
});

test.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
  const outcome = await runPolicyCase(c, { url: h.server.url, token: h.token });
  expect({ verdict: verdictOf(outcome), ...outcome }).toMatchObject({ verdict: c.expect });
});
