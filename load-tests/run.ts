// `npm run load -- <scenario>… | --all [--duration S] [--rate R]`: runs the scenarios k6 runs
// (load-tests/scenarios/, the same definitions load-tests/k6/ imports) against the platform at
// LOAD_BASE_URL with autocannon, judges them by the same thresholds and exits 1 when one fails.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, signToken } from '@firegov/auth';
import autocannon from 'autocannon';
import { loadEnv } from './env.ts';
import { scenarios } from './scenarios/index.ts';
import { answerFailed, callerOf, requestBody, type Scenario } from './scenarios/types.ts';

const USAGE = 'usage: npm run load -- <scenario>… | --all [--duration S] [--rate R]\nscenarios: ';
const say = (line: string) => process.stderr.write(`[load] ${line}\n`);

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

/** One authorization header per caller of the scenario (each its own subject, as k6's TOKENS). */
async function authorizations(s: Scenario, secret: string): Promise<Array<Record<string, string>>> {
  const { auth } = s;
  if (auth.kind === 'none') return [{}];
  return Promise.all(
    Array.from({ length: auth.users }, async (_, i) => ({
      authorization: `Bearer ${await signToken(
        { subject: `load-${s.name}-${i + 1}`, role: auth.role as never, jurisdiction: auth.jurisdiction },
        { secret, expiresIn: '1h' },
      )}`,
    })),
  );
}

async function setupValues(s: Scenario, base: string, headers: Record<string, string>): Promise<Record<string, string[]>> {
  if (!s.setup) return {};
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify(s.setup.graphql) });
  const text = await res.text();
  if (answerFailed(res.status, text))
    throw new Error(`setup ${s.setup.graphql.operationName} failed: ${res.status} ${text.slice(0, 300)}`);
  return s.setup.extract((JSON.parse(text) as { data: unknown }).data);
}

async function run(s: Scenario, base: string, secret: string): Promise<Outcome> {
  const callers = await authorizations(s, secret);
  const headers = { 'content-type': 'application/json', ...callers[0] };
  const values = await setupValues(s, base, headers);
  const statuses: Record<number, number> = {};
  const byName: Record<string, number[]> = {};
  const times: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = Date.now();
  say(`${s.name}: ${s.load.ratePerSecond}/s for ${s.load.durationS}s, up to ${s.load.maxConcurrency} at once — ${s.description}`);
  const ticker = setInterval(() => {
    say(`${s.name}: ${Math.round((Date.now() - started) / 1000)}s, ${times.length} answered, ${failed} failed`);
  }, 5000);
  try {
    await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `${base}/graphql`,
          method: 'POST',
          headers,
          connections: s.load.maxConcurrency,
          overallRate: s.load.ratePerSecond,
          duration: s.load.durationS,
          timeout: 30,
          requests: [
            {
              // A connection has one request in flight: its context carries that request's name and start.
              setupRequest: (req: autocannon.Request, context: object) => {
                const n = sent++;
                const { name, body } = requestBody(s, n, values);
                Object.assign(context, { name, started: performance.now() });
                return { ...req, headers: { ...req.headers, ...callers[callerOf(s, n)] }, body };
              },
              onResponse: (status: number, body: string, context: object) => {
                statuses[status] = (statuses[status] ?? 0) + 1;
                if (answerFailed(status, body)) failed += 1;
                const { name, started } = context as { name: string; started: number };
                (byName[name] ??= []).push(performance.now() - started);
              },
            },
          ],
        },
        (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
      );
      instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
    });
  } finally {
    clearInterval(ticker);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  const p99 = quantile(sorted, 0.99);
  const failedRate = times.length === 0 ? 1 : failed / times.length;
  const t = s.thresholds;
  return {
    scenario: s,
    requests: times.length,
    failed,
    p95,
    p99,
    rps: times.length / s.load.durationS,
    statuses,
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
  outcomes.push(await run({ ...s, load }, env.LOAD_BASE_URL, env.JWT_SECRET ?? DEV_JWT_SECRET));
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
