import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { answerFailed, requestBody, type Scenario } from '../scenarios/types.ts';

// What every k6 script shares: where the platform is (BASE_URL, default the local gateway), the
// bearer token of the scenario's caller (TOKEN: `npm run -s token -- --role <role> --jurisdiction <code>`
// locally, your identity provider's elsewhere), the setup that looks up ids, and one request per
// iteration with the scenario's own request body.

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:4000';

export interface SetupData {
  values: Record<string, string[]>;
}

function headers(s: Scenario): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (s.auth.kind === 'user') {
    if (!__ENV.TOKEN) fail(`set TOKEN to a bearer token of a ${s.auth.role} of ${s.auth.jurisdiction}`);
    h.authorization = `Bearer ${__ENV.TOKEN}`;
  }
  return h;
}

export function setupFor(s: Scenario): SetupData {
  if (!s.setup) return { values: {} };
  const res = http.post(`${BASE_URL}/graphql`, JSON.stringify(s.setup.graphql), { headers: headers(s) });
  if (answerFailed(res.status, res.body as string))
    fail(`setup ${s.setup.graphql.operationName} failed: ${res.status} ${String(res.body)}`);
  return { values: s.setup.extract((JSON.parse(res.body as string) as { data: unknown }).data) };
}

export function iterate(s: Scenario, data: SetupData): void {
  const { name, body } = requestBody(s, exec.scenario.iterationInTest, data.values);
  const res = http.post(`${BASE_URL}/graphql`, body, { headers: headers(s), tags: { request: name } });
  check(res, { 'answered without errors': (r) => !answerFailed(r.status, r.body as string) });
}
