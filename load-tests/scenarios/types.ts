// The shape of a load scenario: pure data (and pure functions), imported by both the k6 scripts
// (load-tests/k6/, run by k6 against any deployment) and this repository's harness (load-tests/run.ts,
// autocannon against the local platform), so both send the same requests at the same rate and judge
// them by the same thresholds. Nothing here may import Node or k6 modules.

/** Where a request goes: the GraphQL gateway, or a service's own REST API (agency push, public, device). */
export type Target = 'gateway' | 'entities' | 'inspections' | 'assessment' | 'training' | 'sensors';
export type ServiceTarget = Exclude<Target, 'gateway'>;
export const TARGETS: readonly Target[] = ['gateway', 'entities', 'inspections', 'assessment', 'training', 'sensors'];

/** The env variable k6 reads a target's base URL from: BASE_URL for the gateway, ASSESSMENT_URL, …. */
export const targetUrlEnv = (t: Target): string => (t === 'gateway' ? 'BASE_URL' : `${t.toUpperCase()}_URL`);

/** A platform user: k6 takes a token of one (TOKEN or TOKENS); the harness signs one. */
export interface UserIdentity {
  role: string;
  jurisdiction: string;
}

/**
 * Who the requests authenticate as: `users` people of one role and jurisdiction (each with a token of
 * their own: the gateway limits requests per person, so one token would measure the limit); an API
 * client holding OAuth 2.0 client credentials (an agency's or a device gateway's system: one token
 * from `tokenPath` of `target`, the id and secret read from the env variables named here); or nobody.
 */
export type ScenarioAuth =
  | (UserIdentity & { kind: 'user'; users: number })
  | { kind: 'client'; target: ServiceTarget; tokenPath: string; clientIdEnv: string; clientSecretEnv: string }
  | { kind: 'none' };

/**
 * Chooses among values the scenario's setup found (e.g. unit ids), the same way on every run:
 * `pick(key)` is the value of this iteration, `pick(key, i)` the one iteration i got.
 */
export type Picker = (key: string, i?: number) => string;

/** What the earlier requests of a journey kept from their answers (e.g. the attempt a start opened). */
export type Kept = Readonly<Record<string, string>>;

/** What passes an answer; anything else counts as failed (k6 and the harness judge alike). */
export interface Expectation {
  statuses: readonly number[];
  /** Response headers that must have these values (names in lower case). */
  headers?: Readonly<Record<string, string>>;
  /** Top-level fields the JSON answer must have, with these values (compared as JSON). */
  body?: Readonly<Record<string, unknown>>;
  /** A GraphQL answer: no `errors`, and no mutation answered `MutationError` (ask for `__typename`). */
  graphql?: boolean;
}

export interface GraphqlOperation {
  query: string;
  operationName: string;
  variables?: (pick: Picker, n: number, kept: Kept) => Record<string, unknown>;
}

/** A REST call to a service: built from the setup's values, the iteration and what the journey kept. */
export interface RestCall {
  method: 'GET' | 'POST';
  path: string;
  headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  body?: unknown;
  expect: Expectation;
}

export type ScenarioRequest = {
  /** Tags the request in k6's output and the harness's table. */
  name: string;
  /** Values for the journey's later requests, taken from this request's (passing) JSON answer. */
  keep?: (answer: unknown) => Record<string, string>;
} & (
  | { /** A GraphQL operation sent as POST /graphql to the gateway. */ graphql: GraphqlOperation }
  | { rest: { target: ServiceTarget; build: (pick: Picker, n: number, kept: Kept) => RestCall } }
);

/** Ids to look up before the load starts (both runners execute it once, then `pick` from the result). */
export interface ScenarioSetup {
  /** Who sends the query: a user of this role (API-client and anonymous scenarios), else the first caller. */
  as?: UserIdentity;
  graphql: { query: string; operationName: string };
  /** The values each key picks from, taken from the setup query's `data` (`clientId`: the scenario's client). */
  extract: (data: unknown, caller: { clientId?: string }) => Record<string, string[]>;
}

export interface Scenario {
  name: string;
  description: string;
  auth: ScenarioAuth;
  setup?: ScenarioSetup;
  /**
   * Iteration n sends requests[n % length]; or, in a journey, every request in order as one caller,
   * each building on what the earlier ones kept, and stopping at the first that fails.
   */
  requests: readonly ScenarioRequest[];
  journey?: boolean;
  /**
   * An open model (k6 constant-arrival-rate; autocannon overallRate): iterations per second for so
   * long, at most so many at once. An iteration is one request, or one whole journey.
   */
  load: { ratePerSecond: number; durationS: number; maxConcurrency: number };
  /** What passes: the failed share (answers outside the request's expectation) and latency percentiles. */
  thresholds: { failedRate: number; p95Ms: number; p99Ms: number };
}

/** k6's `options` for a scenario: the executor and the thresholds, derived and never restated. */
export function k6Options(s: Scenario) {
  return {
    scenarios: {
      [s.name]: {
        executor: 'constant-arrival-rate',
        rate: s.load.ratePerSecond,
        timeUnit: '1s',
        duration: `${s.load.durationS}s`,
        preAllocatedVUs: s.load.maxConcurrency,
        maxVUs: s.load.maxConcurrency,
      },
    },
    thresholds: {
      http_req_failed: [`rate<${s.thresholds.failedRate}`],
      http_req_duration: [`p(95)<${s.thresholds.p95Ms}`, `p(99)<${s.thresholds.p99Ms}`],
      checks: [`rate>${1 - s.thresholds.failedRate}`],
    },
  };
}

/** Requests each iteration sends: the whole journey, or one. */
export const requestsPerIteration = (s: Scenario): number => (s.journey ? s.requests.length : 1);

const targetOfRequest = (r: ScenarioRequest): Target => ('graphql' in r ? 'gateway' : r.rest.target);

/** The one target a scenario's requests go to (the harness drives one base URL per scenario). */
export function targetOf(s: Scenario): Target {
  const targets = [...new Set(s.requests.map(targetOfRequest))];
  if (targets.length !== 1) throw new Error(`${s.name}: requests go to ${targets.join(' and ')}; one target per scenario`);
  return targets[0]!;
}

/** A deterministic picker over the setup's values: the nth pick of a key cycles through them. */
export function picker(values: Record<string, string[]>, n: number): Picker {
  return (key, i = n) => {
    const list = values[key];
    if (!list || list.length === 0) throw new Error(`the setup found no ${key}`);
    return list[i % list.length]!;
  };
}

/**
 * The values every request may pick besides the setup's: `run` (unique per run, so keys and ids of
 * one run never meet another's) and `startedAt` (the run's start, for timestamps that must be recent).
 */
export function runValues(found: Record<string, string[]>, nowMs: number): Record<string, string[]> {
  return { ...found, run: [nowMs.toString(36)], startedAt: [new Date(nowMs).toISOString()] };
}

/** One HTTP request, ready to send (the runner adds the caller's authorization and the target's base URL). */
export interface HttpCall {
  name: string;
  target: Target;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Empty for none. */
  body: string;
  expect: Expectation;
}

const GRAPHQL_OK: Expectation = { statuses: [200], graphql: true };

/** Request `step` of iteration n (step 0 unless the scenario is a journey). */
export function callFor(s: Scenario, n: number, step: number, values: Record<string, string[]>, kept: Kept = {}): HttpCall {
  const r = s.journey ? s.requests[step] : s.requests[n % s.requests.length];
  if (!r) throw new Error(`${s.name} has no request ${step} in its journey`);
  const pick = picker(values, n);
  if ('graphql' in r) {
    const { query, operationName } = r.graphql;
    const variables = r.graphql.variables?.(pick, n, kept) ?? {};
    return {
      name: r.name,
      target: 'gateway',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName, variables }),
      expect: GRAPHQL_OK,
    };
  }
  const c = r.rest.build(pick, n, kept);
  return {
    name: r.name,
    target: r.rest.target,
    method: c.method,
    path: c.path,
    headers: { ...(c.body === undefined ? {} : { 'content-type': 'application/json' }), ...c.headers },
    body: c.body === undefined ? '' : JSON.stringify(c.body),
    expect: c.expect,
  };
}

/** What request `step` of the scenario keeps from its answer, added to what the journey kept so far. */
export function keepFrom(s: Scenario, step: number, body: string | null | undefined, kept: Kept): Kept {
  const keep = s.journey ? s.requests[step]?.keep : undefined;
  return keep ? { ...kept, ...keep(JSON.parse(body ?? '')) } : kept;
}

const parseJson = (body: string | null | undefined): unknown => {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether an answer failed its expectation (k6 and the harness judge alike). Header names in any case. */
export function answerFailed(
  expect: Expectation,
  status: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string | null | undefined,
): boolean {
  if (!expect.statuses.includes(status)) return true;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
  for (const [name, value] of Object.entries(expect.headers ?? {})) if (lower.get(name) !== value) return true;
  if (!expect.body && !expect.graphql) return false;
  const parsed = parseJson(body);
  if (!isRecord(parsed)) return true;
  for (const [key, value] of Object.entries(expect.body ?? {}))
    if (JSON.stringify(parsed[key]) !== JSON.stringify(value)) return true;
  if (expect.graphql) {
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return true;
    const data = isRecord(parsed.data) ? Object.values(parsed.data) : [];
    if (data.some((field) => isRecord(field) && field.__typename === 'MutationError')) return true;
  }
  return false;
}

/** Which of the scenario's callers sends iteration n (the same one for every request of a journey). */
export const callerOf = (s: Scenario, n: number): number => (s.auth.kind === 'user' ? n % s.auth.users : 0);

/** The owner (agency, device gateway) a client id names: ids are `<owner>.<random>`, owners have no dot. */
export const ownerOf = (clientId: string): string => clientId.slice(0, Math.max(0, clientId.indexOf('.')));

/** The client-credentials token request (RFC 6749 §4.4, credentials as form fields). */
export function tokenRequest(
  auth: Extract<ScenarioAuth, { kind: 'client' }>,
  clientId: string,
  clientSecret: string,
): { method: 'POST'; target: ServiceTarget; path: string; headers: Record<string, string>; body: string } {
  const form = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
  return {
    method: 'POST',
    target: auth.target,
    path: auth.tokenPath,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Object.entries(form)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&'),
  };
}

/** The bearer token of a token endpoint's answer; throws with the endpoint's reason when refused. */
export function accessToken(status: number, body: string | null | undefined): string {
  const parsed = parseJson(body);
  if (status === 200 && isRecord(parsed) && typeof parsed.access_token === 'string') return parsed.access_token;
  const reason = isRecord(parsed) ? (parsed.error_description ?? parsed.error) : undefined;
  throw new Error(`token refused: ${status} ${typeof reason === 'string' ? reason : String(body).slice(0, 200)}`);
}
