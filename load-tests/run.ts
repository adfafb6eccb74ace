// `npm run load -- <scenario>… | --all [--duration S] [--rate R]`: runs the scenarios k6 runs
// (load-tests/scenarios/, the same definitions load-tests/k6/ imports) against the platform at
// LOAD_BASE_URL with autocannon, judges them by the same thresholds and exits 1 when one fails.
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, signToken } from '@firegov/auth';
import autocannon from 'autocannon';
import { loadEnv } from './env.ts';
import { scenarios } from './scenarios/index.ts';
import { answerFailed, requestBody, type Scenario } from './scenarios/types.ts';

const USAGE = 'usage: npm run load -- <scenario>… | --all [--duration S] [--rate R]\nscenarios: ';
const say = (line: string) => process.stderr.write(`[load] ${line}\n`);

interface Outcome {
  scenario: Scenario;
  requests: number;
  failed: number;
  p95: number;
  p99: number;
  rps: number;
  verdicts: Array<{ what: string; limit: string; actual: string; pass: boolean }>;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function authorization(s: Scenario, secret: string): Promise<Record<string, string>> {
  if (s.auth.kind === 'none') return {};
  const token = await signToken(
    { subject: `load-${s.name}`, role: s.auth.role as never, jurisdiction: s.auth.jurisdiction },
    { secret, expiresIn: '1h' },
  );
  return { authorization: `Bearer ${token}` };
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
  const headers = { 'content-type': 'application/json', ...(await authorization(s, secret)) };
  const values = await setupValues(s, base, headers);
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
              setupRequest: (req: autocannon.Request) => ({ ...req, body: requestBody(s, sent++, values).body }),
              onResponse: (status: number, body: string) => {
                if (answerFailed(status, body)) failed += 1;
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
  process.stdout.write(`\n${o.scenario.name}: ${o.requests} requests (${o.rps.toFixed(1)}/s), ${o.failed} failed\n`);
  for (const v of o.verdicts)
    process.stdout.write(
      `  ${v.pass ? 'pass' : 'FAIL'}  ${v.what.padEnd(13)} ${v.actual.padStart(12)}   (threshold ${v.limit})\n`,
    );
}
const failing = outcomes.filter((o) => o.verdicts.some((v) => !v.pass)).length;
process.stdout.write(`\n${outcomes.length - failing} passed, ${failing} failed\n`);
process.exitCode = failing > 0 ? 1 : 0;
