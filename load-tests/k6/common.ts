import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import {
  accessToken,
  answerFailed,
  callerOf,
  callFor,
  keepFrom,
  requestsPerIteration,
  runValues,
  targetUrlEnv,
  tokenRequest,
  type Kept,
  type Scenario,
  type Target,
} from '../scenarios/types.ts';

// What every k6 script shares: where the platform is (BASE_URL for the gateway, default the local
// one; a service's own API at <SERVICE>_URL, e.g. ASSESSMENT_URL, required), the callers' credentials
// (users: TOKENS, comma-separated, one per user the scenario names — the gateway limits each
// person's rate — or TOKEN for all: `npm run -s token -- --role <role> --jurisdiction <code>
// --subject load-1` locally, your identity provider's elsewhere; an API client: the id and secret in
// the env variables its scenario names, exchanged for a token in setup; a setup query of an API-client
// scenario runs with TOKEN), the setup that looks up ids, and per iteration the scenario's request or
// journey, each answer judged by the request's expectation.

export interface SetupData {
  values: Record<string, string[]>;
  /** The API client's bearer token (client-credentials scenarios). */
  clientToken?: string;
}

const TOKENS = (__ENV.TOKENS ?? __ENV.TOKEN ?? '').split(',').filter((t) => t.length > 0);

function baseUrl(target: Target): string {
  const name = targetUrlEnv(target);
  const url = __ENV[name] ?? (target === 'gateway' ? 'http://127.0.0.1:4000' : undefined);
  if (!url) fail(`set ${name} to the base URL of the ${target} service's API`);
  return url;
}

function userToken(what: string, i: number): string {
  if (TOKENS.length === 0) fail(`set TOKENS (or TOKEN) to bearer tokens of ${what}`);
  return TOKENS[i % TOKENS.length]!;
}

function authorization(s: Scenario, n: number, data: SetupData): Record<string, string> {
  if (s.auth.kind === 'user')
    return { authorization: `Bearer ${userToken(`${s.auth.users} ${s.auth.role}s of ${s.auth.jurisdiction}`, callerOf(s, n))}` };
  if (s.auth.kind === 'client') return { authorization: `Bearer ${data.clientToken}` };
  return {};
}

function clientToken(s: Scenario): { clientId?: string; clientToken?: string } {
  if (s.auth.kind !== 'client') return {};
  const clientId = __ENV[s.auth.clientIdEnv];
  const secret = __ENV[s.auth.clientSecretEnv];
  if (!clientId || !secret) fail(`set ${s.auth.clientIdEnv} and ${s.auth.clientSecretEnv} to the API client's credentials`);
  const t = tokenRequest(s.auth, clientId, secret);
  const res = http.request(t.method, `${baseUrl(t.target)}${t.path}`, t.body, { headers: t.headers });
  return { clientId, clientToken: accessToken(res.status, res.body as string) };
}

export function setupFor(s: Scenario): SetupData {
  const { clientId, clientToken: token } = clientToken(s);
  let found: Record<string, string[]> = {};
  if (s.setup) {
    const who = s.setup.as ? `${s.setup.as.role}s of ${s.setup.as.jurisdiction}` : 'the scenario’s users';
    const res = http.post(`${baseUrl('gateway')}/graphql`, JSON.stringify(s.setup.graphql), {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${userToken(who, 0)}` },
    });
    if (answerFailed({ statuses: [200], graphql: true }, res.status, res.headers, res.body as string))
      fail(`setup ${s.setup.graphql.operationName} failed: ${res.status} ${String(res.body)}`);
    found = s.setup.extract((JSON.parse(res.body as string) as { data: unknown }).data, clientId ? { clientId } : {});
  }
  return { values: runValues(found, Date.now()), ...(token ? { clientToken: token } : {}) };
}

export function iterate(s: Scenario, data: SetupData): void {
  const n = exec.scenario.iterationInTest;
  let kept: Kept = {};
  for (let step = 0; step < requestsPerIteration(s); step++) {
    const call = callFor(s, n, step, data.values, kept);
    const res = http.request(call.method, `${baseUrl(call.target)}${call.path}`, call.body === '' ? null : call.body, {
      headers: { ...call.headers, ...authorization(s, n, data) },
      tags: { request: call.name },
      responseCallback: http.expectedStatuses(...call.expect.statuses),
    });
    const passed = check(res, {
      'answered as expected': (r) => !answerFailed(call.expect, r.status, r.headers, r.body as string),
    });
    // A journey stops at its first failed request: the later ones build on its answer.
    if (!passed) return;
    kept = keepFrom(s, step, res.body as string, kept);
  }
}
