// `npm run load -- <scenario>… | --all [--duration S] [--rate R]`: runs the scenarios k6 runs
// (load-tests/scenarios/, the same definitions load-tests/k6/ imports) against the platform (the
// gateway at LOAD_BASE_URL, the services' own APIs at LOAD_<SERVICE>_URL) with autocannon, judges
// them by the same thresholds and exits 1 when one fails.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { signInWithPassword } from '@firegov/auth';
import autocannon from 'autocannon';
import { loadEnv } from './env.ts';
import { platformClientTokens } from './platform-clients.ts';
import { scenarios } from './scenarios/index.ts';
import {
  accessToken,
  answerFailed,
  callerOf,
  callFor,
  keepFrom,
  requestsPerIteration,
  runValues,
  targetOf,
  tokenRequest,
  type Expectation,
  type Kept,
  type Scenario,
  type UserIdentity,
} from './scenarios/types.ts';

const USAGE = 'usage: npm run load -- <scenario>… | --all [--duration S] [--rate R]\nscenarios: ';
const say = (line: string) => process.stderr.write(`[load] ${line}\n`);
type Env = ReturnType<typeof loadEnv>;
type Headers = Record<string, string>;

interface Outcome {
  scenario: Scenario;
  requests: number;
  failed: number;
  p95: number;
  p99: number;
  rps: number;
  statuses: Record<number, number>;
  /** Each request of the scenario on its own (measured around the request, so a little above the totals). */
  byName: Array<{ name: string; n: number; p50: number; p95: number }>;
  verdicts: Array<{ what: string; limit: string; actual: string; pass: boolean }>;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * The users' authorization headers: tokens from TOKENS (the identity service issues them; this
 * harness holds no key), round-robin; without TOKENS, one platform client per user of the role and
 * jurisdiction the scenario names, each with its own client-credentials token (platform-clients.ts).
 */
async function bearers(env: Env, who: UserIdentity, users: number): Promise<Headers[]> {
  const tokens =
    env.TOKENS.length > 0
      ? env.TOKENS
      : await platformClientTokens({
          gatewayUrl: env.urls.gateway,
          issuer: env.LOAD_IDENTITY_URL,
          adminPassword: env.DEMO_USER_PASSWORD,
          who,
          users,
        });
  return Array.from({ length: users }, (_, i) => ({ authorization: `Bearer ${tokens[i % tokens.length]!}` }));
}

let demoAdmin: Promise<string> | undefined;

/** A county administrator's header for setup lookups: ADMIN_TOKEN, else the first of TOKENS, else the demo county administrator signed in. */
async function adminBearer(env: Env): Promise<Headers> {
  demoAdmin ??= signInWithPassword({
    issuer: env.LOAD_IDENTITY_URL,
    username: 'county',
    password: env.DEMO_USER_PASSWORD,
  }).then((t) => t.access_token);
  const token = env.ADMIN_TOKEN ?? env.TOKENS[0] ?? (await demoAdmin);
  return { authorization: `Bearer ${token}` };
}

/**
 * The header the scenario's setup lookups run as (its `setup.as`: e.g. the township officer whose
 * units an agency may assess): with TOKENS, ADMIN_TOKEN or the first of them as before; otherwise a
 * load platform client of exactly that role and jurisdiction, so the setup sees what that caller sees.
 */
async function setupBearer(env: Env, who: UserIdentity): Promise<Headers> {
  if (env.TOKENS.length > 0 || env.ADMIN_TOKEN) return adminBearer(env);
  const [headers] = await bearers(env, who, 1);
  return headers!;
}

async function graphqlData(env: Env, headers: Headers, body: { query: string; operationName: string }): Promise<unknown> {
  const res = await fetch(`${env.urls.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (answerFailed({ statuses: [200], graphql: true }, res.status, {}, text))
    throw new Error(`${body.operationName} failed: ${res.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { data: unknown }).data;
}

/** The local demo agency's client (`npm start` prints it), found by the demo agency's credit code. */
async function demoAgencyClientId(env: Env): Promise<string> {
  const admin = await adminBearer(env);
  const data = (await graphqlData(env, admin, {
    operationName: 'DemoAgency',
    query: 'query DemoAgency { agencies { creditCode clients { clientId revokedAt } } }',
  })) as { agencies: Array<{ creditCode: string; clients: Array<{ clientId: string; revokedAt: string | null }> }> };
  const agency = data.agencies.find((a) => a.creditCode === '91500230MA5U0A2B3X');
  const client = agency?.clients.find((c) => !c.revokedAt);
  if (!client) throw new Error('no demo agency client: set AGENCY_CLIENT_ID and AGENCY_CLIENT_SECRET');
  return client.clientId;
}

/** An API-client scenario's client id and bearer token (client credentials from the env, else the demo's). */
async function clientToken(s: Scenario, env: Env): Promise<{ clientId?: string; headers?: Headers }> {
  if (s.auth.kind !== 'client') return {};
  const vars = env as unknown as Record<string, string | undefined>;
  const clientId =
    vars[s.auth.clientIdEnv] ?? (s.auth.clientIdEnv === 'AGENCY_CLIENT_ID' ? await demoAgencyClientId(env) : undefined);
  const secret = vars[s.auth.clientSecretEnv];
  if (!clientId || !secret) throw new Error(`set ${s.auth.clientIdEnv} and ${s.auth.clientSecretEnv}`);
  const t = tokenRequest(s.auth, clientId, secret);
  const res = await fetch(`${env.urls[t.target]}${t.path}`, { method: t.method, headers: t.headers, body: t.body });
  return { clientId, headers: { authorization: `Bearer ${accessToken(res.status, await res.text())}` } };
}

/** One authorization header per caller of the scenario (users: each its own subject, as k6's TOKENS). */
async function authorizations(s: Scenario, env: Env, client: Headers | undefined): Promise<Headers[]> {
  const { auth } = s;
  if (auth.kind === 'client') return [client ?? {}];
  if (auth.kind === 'none') return [{}];
  return bearers(env, auth, auth.users);
}

async function setupValues(s: Scenario, env: Env, callers: Headers[], clientId?: string): Promise<Record<string, string[]>> {
  if (!s.setup) return {};
  const headers = s.setup.as ? await setupBearer(env, s.setup.as) : callers[0]!;
  const data = await graphqlData(env, headers, s.setup.graphql);
  return s.setup.extract(data, clientId ? { clientId } : {});
}

/** A falsy request makes autocannon start the connection's sequence over (its `resets`): the next iteration. */
const NEXT_ITERATION = null as unknown as autocannon.Request;

/** What a connection remembers of its iteration: autocannon keeps one context per connection. */
interface Journey {
  n: number;
  step: number;
  kept: Kept;
  /** The last step answered and passed (a journey goes on only from it). */
  passed: number;
  name: string;
  expect: Expectation;
  started: number;
}

async function run(s: Scenario, env: Env): Promise<Outcome> {
  const client = await clientToken(s, env);
  const callers = await authorizations(s, env, client.headers);
  const values = runValues(await setupValues(s, env, callers, client.clientId), Date.now());
  const steps = requestsPerIteration(s);
  const statuses: Record<number, number> = {};
  const byName: Record<string, number[]> = {};
  const times: number[] = [];
  let sent = 0;
  let failed = 0;
  let errors = 0;
  const started = Date.now();
  const each = s.journey ? `journeys of ${steps} requests` : 'requests';
  say(
    `${s.name}: ${s.load.ratePerSecond} ${each}/s for ${s.load.durationS}s, up to ${s.load.maxConcurrency} at once — ${s.description}`,
  );
  const ticker = setInterval(() => {
    say(`${s.name}: ${Math.round((Date.now() - started) / 1000)}s, ${times.length} answered, ${failed + errors} failed`);
  }, 5000);
  // A connection has one request in flight: its context is that request's iteration (journey).
  const sequence = Array.from({ length: steps }, (_, step) => ({
    setupRequest: (req: autocannon.Request, context: object) => {
      const j = context as Journey;
      if (step === 0) Object.assign(j, { n: sent++, kept: {}, passed: -1 });
      // A journey stops at its first failed (or unanswered) request: autocannon starts the next.
      else if (j.passed !== step - 1) return NEXT_ITERATION;
      const call = callFor(s, j.n, step, values, j.kept);
      Object.assign(j, { step, name: call.name, expect: call.expect, started: performance.now() });
      return {
        ...req,
        method: call.method,
        path: call.path,
        headers: { ...req.headers, ...call.headers, ...callers[callerOf(s, j.n)] },
        body: call.body,
      };
    },
    onResponse: (status: number, body: string, context: object, headers: autocannon.Request['headers']) => {
      const j = context as Journey;
      statuses[status] = (statuses[status] ?? 0) + 1;
      (byName[j.name] ??= []).push(performance.now() - j.started);
      if (answerFailed(j.expect, status, headers ?? {}, body)) {
        failed += 1;
        return;
      }
      try {
        j.kept = keepFrom(s, j.step, body, j.kept);
        j.passed = j.step;
      } catch {
        failed += 1;
      }
    },
  }));
  // autocannon paces requests (k6 paces iterations, each of `steps` requests), per connection and
  // per second, all its connections at the same instant: one instance per connection, their seconds
  // staggered across the second, spreads the arrivals as k6's constant-arrival-rate does.
  const perSecond = Math.max(1, Math.round(s.load.ratePerSecond * steps));
  const connections = Math.min(s.load.maxConcurrency, perSecond);
  const connection = (i: number) =>
    new Promise<void>((resolve, reject) => {
      setTimeout(
        () => {
          const instance = autocannon(
            {
              url: env.urls[targetOf(s)],
              headers: { 'content-type': 'application/json' },
              connections: 1,
              connectionRate: Math.floor(perSecond / connections) + (i < perSecond % connections ? 1 : 0),
              duration: s.load.durationS,
              timeout: 30,
              requests: sequence,
            },
            (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
          );
          instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
          // Timeouts and connection errors are failed requests too (k6 counts them in http_req_failed).
          instance.on('reqError', () => (errors += 1));
        },
        (i * 1000) / connections,
      );
    });
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => connection(i)));
  } finally {
    clearInterval(ticker);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  const p99 = quantile(sorted, 0.99);
  const total = times.length + errors;
  const failedRate = total === 0 ? 1 : (failed + errors) / total;
  const t = s.thresholds;
  return {
    scenario: s,
    requests: total,
    failed: failed + errors,
    p95,
    p99,
    rps: times.length / s.load.durationS,
    // Status 0: no answer (a timeout or a connection error).
    statuses: errors ? { ...statuses, 0: errors } : statuses,
    byName: Object.entries(byName).map(([name, ms]) => {
      const sortedMs = [...ms].sort((a, b) => a - b);
      return { name, n: ms.length, p50: quantile(sortedMs, 0.5), p95: quantile(sortedMs, 0.95) };
    }),
    verdicts: [
      { what: 'failed share', limit: `< ${t.failedRate}`, actual: failedRate.toFixed(4), pass: failedRate < t.failedRate },
      { what: 'p95', limit: `< ${t.p95Ms} ms`, actual: `${p95.toFixed(1)} ms`, pass: p95 < t.p95Ms },
      { what: 'p99', limit: `< ${t.p99Ms} ms`, actual: `${p99.toFixed(1)} ms`, pass: p99 < t.p99Ms },
    ],
  };
}

const { values: flags, positionals } = parseArgs({
  options: { all: { type: 'boolean', default: false }, duration: { type: 'string' }, rate: { type: 'string' } },
  allowPositionals: true,
});
const names = scenarios.map((s) => s.name);
const chosen = flags.all ? scenarios : scenarios.filter((s) => positionals.includes(s.name));
const unknown = positionals.filter((p) => !names.includes(p));
if (chosen.length === 0 || unknown.length > 0) {
  process.stderr.write(`${unknown.length ? `unknown scenario: ${unknown.join(', ')}\n` : ''}${USAGE}${names.join(', ')}\n`);
  process.exit(2);
}
const positive = (flag: string | undefined, what: string): number | undefined => {
  if (flag === undefined) return undefined;
  const n = Number(flag);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${what} must be a positive number, not ${flag}\n`);
    process.exit(2);
  }
  return n;
};
const duration = positive(flags.duration, 'duration');
const rate = positive(flags.rate, 'rate');
const env = loadEnv();
const outcomes: Outcome[] = [];
for (const s of chosen) {
  const load = { ...s.load, ...(duration ? { durationS: duration } : {}), ...(rate ? { ratePerSecond: rate } : {}) };
  outcomes.push(await run({ ...s, load }, env));
}
for (const o of outcomes) {
  const byStatus = Object.entries(o.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  process.stdout.write(`\n${o.scenario.name}: ${o.requests} requests (${o.rps.toFixed(1)}/s; ${byStatus}), ${o.failed} failed\n`);
  for (const r of o.byName)
    process.stdout.write(`        ${r.name.padEnd(36)} n=${r.n}  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms\n`);
  for (const v of o.verdicts)
    process.stdout.write(
      `  ${v.pass ? 'pass' : 'FAIL'}  ${v.what.padEnd(13)} ${v.actual.padStart(12)}   (threshold ${v.limit})\n`,
    );
}
const failing = outcomes.filter((o) => o.verdicts.some((v) => !v.pass)).length;
process.stdout.write(`\n${outcomes.length - failing} passed, ${failing} failed\n`);
process.exitCode = failing > 0 ? 1 : 0;
