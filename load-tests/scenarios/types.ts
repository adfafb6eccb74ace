// The shape of a load scenario: pure data (and pure functions), imported by both the k6 scripts
// (load-tests/k6/, run by k6 against any deployment) and this repository's harness (load-tests/run.ts,
// autocannon against the local platform), so both send the same requests at the same rate and judge
// them by the same thresholds. Nothing here may import Node or k6 modules.

/**
 * Who the requests authenticate as: `users` people of one role and jurisdiction (each with a token of
 * their own: the gateway limits requests per person, so one token would measure the limit), or nobody.
 */
export type ScenarioAuth = { kind: 'user'; role: string; jurisdiction: string; users: number } | { kind: 'none' };

export interface ScenarioRequest {
  /** Tags the request in k6's output and the harness's table. */
  name: string;
  /** A GraphQL operation sent as POST /graphql to the gateway. */
  graphql: { query: string; operationName: string; variables?: (pick: Picker) => Record<string, unknown> };
}

/** Chooses among values the scenario's setup found (e.g. unit ids), the same way on every run. */
export type Picker = (key: string) => string;

/** Ids to look up before the load starts (both runners execute it once, then `pick` from the result). */
export interface ScenarioSetup {
  graphql: { query: string; operationName: string };
  /** The values each key picks from, taken from the setup query's `data`. */
  extract: (data: unknown) => Record<string, string[]>;
}

export interface Scenario {
  name: string;
  description: string;
  auth: ScenarioAuth;
  setup?: ScenarioSetup;
  /** Sent in turn: request i goes to requests[i % length]. */
  requests: readonly ScenarioRequest[];
  /** An open model (k6 constant-arrival-rate; autocannon overallRate): requests per second, for so long. */
  load: { ratePerSecond: number; durationS: number; maxConcurrency: number };
  /** What passes: the failed share (a status other than 200, or GraphQL errors) and latency percentiles. */
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

/** A deterministic picker over the setup's values: the nth pick of a key cycles through them. */
export function picker(values: Record<string, string[]>, n: number): Picker {
  return (key) => {
    const list = values[key];
    if (!list || list.length === 0) throw new Error(`the setup found no ${key}`);
    return list[n % list.length]!;
  };
}

/** Which of the scenario's callers sends request n. */
export const callerOf = (s: Scenario, n: number): number => (s.auth.kind === 'user' ? n % s.auth.users : 0);

/** The body of request n of a scenario. */
export function requestBody(s: Scenario, n: number, values: Record<string, string[]>): { name: string; body: string } {
  const r = s.requests[n % s.requests.length]!;
  const variables = r.graphql.variables?.(picker(values, n)) ?? {};
  return { name: r.name, body: JSON.stringify({ query: r.graphql.query, operationName: r.graphql.operationName, variables }) };
}

/** Whether a GraphQL answer failed: not 200, or errors in the body (k6 and the harness judge alike). */
export function answerFailed(status: number, body: string | null | undefined): boolean {
  if (status !== 200) return true;
  try {
    const parsed = JSON.parse(body ?? '') as { errors?: unknown[] };
    return Array.isArray(parsed.errors) && parsed.errors.length > 0;
  } catch {
    return true;
  }
}
