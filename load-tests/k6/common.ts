import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { answerFailed, callerOf, requestBody, type Scenario } from '../scenarios/types.ts';

// What every k6 script shares: where the platform is (BASE_URL, default the local gateway), the
// bearer tokens of the scenario's callers (TOKENS, comma-separated, one per user the scenario names —
// the gateway limits each person's rate — or TOKEN for all: `npm run -s token -- --role <role>
// --jurisdiction <code> --subject load-1` locally, your identity provider's elsewhere), the setup that
// looks up ids, and one request per iteration with the scenario's own request body.

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:4000';

export interface SetupData {
  values: Record<string, string[]>;
}

const TOKENS = (__ENV.TOKENS ?? __ENV.TOKEN ?? '').split(',').filter((t) => t.length > 0);

function headers(s: Scenario, n: number): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (s.auth.kind === 'user') {
    if (TOKENS.length === 0) fail(`set TOKENS to ${s.auth.users} bearer tokens of ${s.auth.role}s of ${s.auth.jurisdiction}`);
    h.authorization = `Bearer ${TOKENS[callerOf(s, n) % TOKENS.length]}`;
  }
  return h;
}

export function setupFor(s: Scenario): SetupData {
  if (!s.setup) return { values: {} };
  const res = http.post(`${BASE_URL}/graphql`, JSON.stringify(s.setup.graphql), { headers: headers(s, 0) });
  if (answerFailed(res.status, res.body as string))
    fail(`setup ${s.setup.graphql.operationName} failed: ${res.status} ${String(res.body)}`);
  return { values: s.setup.extract((JSON.parse(res.body as string) as { data: unknown }).data) };
}

export function iterate(s: Scenario, data: SetupData): void {
  const n = exec.scenario.iterationInTest;
  const { name, body } = requestBody(s, n, data.values);
  const res = http.post(`${BASE_URL}/graphql`, body, { headers: headers(s, n), tags: { request: name } });
  check(res, { 'answered without errors': (r) => !answerFailed(r.status, r.body as string) });
}
