// `npm run fuzz`: schemathesis against the assessment service's push API, driven by the OpenAPI
// document the service serves at /v1/openapi.json. Starts the service in-process on a free port
// against the local stack (as its integration tests do), registers agencies with a unit, engineer,
// contract and API client, then runs schemathesis and fails when any response is a 5xx. Other
// findings (schema conformance) are printed but do not fail the run. Reports go to
// reports/fuzz-assessment/; schemathesis itself lives in a venv cached outside git.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackEnv } from '../infra/src/env.ts';
import { down, isUp, up } from '../infra/src/stack.ts';

const SCHEMATHESIS_VERSION = '4.32.5';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stackEnv = loadStackEnv(root);

const intFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
};
const cfg = {
  cache: process.env.FIREGOV_CACHE || path.join(os.homedir(), '.cache', 'firegov'),
  python: process.env.FUZZ_PYTHON || 'python3',
  seed: intFrom('FUZZ_SEED', 20260610),
  // Per operation and phase; the coverage and stateful phases add their own cases on top.
  maxExamples: intFrom('FUZZ_MAX_EXAMPLES', 100),
  workers: intFrom('FUZZ_WORKERS', 2),
  reportDir: path.join(root, 'reports', 'fuzz-assessment'),
};
const venv = path.join(cfg.cache, 'venv-schemathesis');
const st = path.join(venv, 'bin', 'st');

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// schemathesis, pinned, in a venv created only when missing (or holding another version)

function installedVersion(): string | null {
  if (!fs.existsSync(st)) return null;
  const r = spawnSync(st, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (/version (\S+)/.exec(r.stdout)?.[1] ?? null) : null;
}

function ensureSchemathesis(): void {
  if (installedVersion() === SCHEMATHESIS_VERSION) return;
  log(`[fuzz] installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  };
  if (!fs.existsSync(path.join(venv, 'bin', 'pip'))) run(cfg.python, ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ]);
  const got = installedVersion();
  if (got !== SCHEMATHESIS_VERSION) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} expected in ${venv}, found ${got}`);
}

// ---------------------------------------------------------------------------------------------
// Hooks for the "deep" run: schema-valid bodies only reach the store when they name a unit, an
// engineer and a date the agency's contract covers, which random data never does. These hooks pin
// those few fields (and the grade the score earns) and leave every other field to the generator;
// the {id} operations get real assessments.

const HOOKS = `
import os
import schemathesis

UNIT = os.environ["FUZZ_UNIT_ID"]
LICENCE = os.environ["FUZZ_LICENCE"]
IDS = {
    "POST /v1/assessments/{id}/amendments": os.environ["FUZZ_AMEND_ID"],
    "POST /v1/assessments/{id}/withdrawal": os.environ["FUZZ_WITHDRAW_ID"],
    "GET /v1/assessments/{id}": os.environ["FUZZ_GET_ID"],
}
DAYS = ["2026-06-0%d" % d for d in range(1, 10)]
seq = [0]


def grade_for(score):
    return "A" if score >= 85 else "B" if score >= 70 else "C" if score >= 60 else "D"


@schemathesis.hook
def map_case(ctx, case):
    label = case.method.upper() + " " + case.operation.path
    if label in IDS and isinstance(case.path_parameters, dict):
        case.path_parameters["id"] = IDS[label]
    body = case.body
    if label in ("POST /v1/assessments", "POST /v1/assessments/{id}/amendments") and isinstance(body, dict):
        if label == "POST /v1/assessments":
            body["unit"] = {"unitId": UNIT}
        body["engineerLicence"] = LICENCE
        body["assessedOn"] = DAYS[len(repr(body.get("findings"))) % len(DAYS)]
        score = body.get("score")
        if isinstance(score, (int, float)) and not isinstance(score, bool) and 0 <= score <= 100:
            body["score"] = round(float(score), 1)
            body["grade"] = grade_for(body["score"])
        key = case.headers.get("Idempotency-Key") if case.headers else None
        if isinstance(key, str):
            # Half the keys made unique, so more pushes are stored; the rest exercise replays and conflicts.
            seq[0] += 1
            if seq[0] % 2:
                case.headers["Idempotency-Key"] = "%s.%d" % (key[:90], seq[0])
    return case
`;

// ---------------------------------------------------------------------------------------------
// Reading schemathesis' reports

interface Interaction {
  request: { method: string; uri: string; headers?: Record<string, string[]>; body?: unknown };
  response: { status_code: number; body?: unknown } | null;
}
interface Recorder {
  label: string;
  cases?: Record<string, { value: { method: string; path: string } }>;
  interactions?: Record<string, Interaction>;
}
type NdjsonEvent = { ScenarioFinished?: { recorder: Recorder } } & Record<string, unknown>;
interface JsonReport {
  schemathesis_version: string;
  running_time: number;
  test_cases: { generated: number };
  failures: Array<{ type: string; code: string; title: string; count: number; operations: string[] }>;
  errors: unknown[];
}

interface Sent {
  op: string;
  status: number | null;
  interaction: Interaction;
  caseId: string;
}
interface RunResult {
  name: string;
  exitCode: number | null;
  seconds: number;
  sent: Sent[];
  report: JsonReport | null;
  log: string;
}

function readSent(file: string): Sent[] {
  if (!fs.existsSync(file)) return [];
  const byCase = new Map<string, Sent>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const recorder = (JSON.parse(line) as NdjsonEvent).ScenarioFinished?.recorder;
    for (const [caseId, interaction] of Object.entries(recorder?.interactions ?? {})) {
      const c = recorder?.cases?.[caseId]?.value;
      const op = c ? `${c.method.toUpperCase()} ${c.path}` : (recorder?.label ?? '?');
      byCase.set(caseId, { op, status: interaction.response?.status_code ?? null, interaction, caseId });
    }
  }
  return [...byCase.values()];
}

// ---------------------------------------------------------------------------------------------
// Running schemathesis (asynchronously: the service answers from this same process)

let child: ReturnType<typeof spawn> | null = null;

async function runSt(name: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const dir = path.join(cfg.reportDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ndjson = path.join(dir, 'events.ndjson');
  const json = path.join(dir, 'report.json');
  const logFile = path.join(dir, 'st.log');
  const full = [
    'run',
    ...args,
    '--seed',
    String(cfg.seed),
    '--workers',
    String(cfg.workers),
    '--continue-on-failure',
    '--generation-database',
    'none',
    '--request-timeout',
    '30',
    '--no-color',
    '--report',
    'json,ndjson',
    '--report-json-path',
    json,
    '--report-ndjson-path',
    ndjson,
  ];
  const redacted = full.map((a) =>
    a.replace(/^(Authorization: Bearer ).+/, '$1<token>').replace(/^(ag_[^:]+):.+$/, '$1:<secret>'),
  );
  log(`\n[fuzz] ${name}: st ${redacted.join(' ')}`);
  const started = Date.now();
  const out = fs.openSync(logFile, 'w');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child = spawn(st, full, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  }).finally(() => {
    child = null;
    fs.closeSync(out);
  });
  const report = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport) : null;
  const result = { name, exitCode, seconds: (Date.now() - started) / 1000, sent: readSent(ndjson), report, log: logFile };
  log(
    `[fuzz] ${name}: ${result.sent.length} cases in ${result.seconds.toFixed(1)}s, schemathesis exit ${exitCode}` +
      `${report ? '' : ' (no report!)'}; log ${path.relative(root, logFile)}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  ensureSchemathesis();
  const wasUp = await isUp(stackEnv);
  if (!wasUp) await up(stackEnv);
  // Show the service's own error logs (a 5xx is logged with its stack); tests keep them silent.
  process.env.TEST_LOG_LEVEL ??= 'error';
  const { seedUnits, setupAgency, startHarness, submission, tokenFor, unitSnapshot } =
    await import('../services/assessment/test/harness.ts');
  const h = await startHarness('assess-fuzz', { pushPerMinute: 1_000_000 });
  const onSignal = () => {
    child?.kill('SIGTERM');
    void h.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const unit = unitSnapshot({ creditCode: '91440300708461136T' });
    await seedUnits(h, [unit]);
    // One agency per run: rejected pushes cost credit and suspend an agency after 40 or so, which
    // would turn the later runs into one long "agency is suspended".
    const agency = async (creditCode: string) => {
      const a = await setupAgency(h, { creditCode, jurisdictionCodes: [unit.townshipCode] });
      return { ...a, token: await tokenFor(h, a.clientId, a.clientSecret) };
    };
    const broad = await agency('91110000802100433B');
    const deep = await agency('91330100716105852F');
    const oauth = await agency('91110108551385082Q');
    const seeded: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await h.http('POST', '/v1/assessments', {
        token: deep.token,
        key: `fuzz-seed-${i}`,
        body: submission(unit.id, deep.licenceNo),
      });
      if (res.status !== 201) throw new Error(`seeding an assessment failed: ${res.status} ${JSON.stringify(res.json)}`);
      seeded.push((res.json as { id: string }).id);
    }
    const schemaUrl = `${h.server.url}/v1/openapi.json`;
    const doc = (await (await fetch(schemaUrl)).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const documented = new Map<string, string>();
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(methods)) documented.set(`${m.toUpperCase()} ${p}`, op.operationId ?? '');
    }
    log(
      `[fuzz] service at ${h.server.url}, ${documented.size} documented operations, seed ${cfg.seed}, schemathesis ${SCHEMATHESIS_VERSION}`,
    );

    const n = String(cfg.maxExamples);
    const runs: RunResult[] = [];
    // /oauth/token with whatever credentials schemathesis makes up (its Basic scheme is generated):
    // every one must be refused with a 4xx.
    runs.push(await runSt('oauth', [schemaUrl, '--include-operation-id', 'getToken', '--checks', 'all', '-n', n]));
    // /oauth/token with a real client's credentials: the 200 path and its response schema.
    runs.push(
      await runSt('oauth-valid', [
        schemaUrl,
        '--include-operation-id',
        'getToken',
        '--auth',
        `${oauth.clientId}:${oauth.clientSecret}`,
        '--mode',
        'positive',
        '--phases',
        'fuzzing',
        '--checks',
        'all',
        '-n',
        '25',
      ]),
    );
    // The push API with a bearer token: every phase, positive and negative data, all checks.
    runs.push(
      await runSt('push', [
        schemaUrl,
        '--header',
        `Authorization: Bearer ${broad.token}`,
        '--exclude-operation-id',
        'getToken',
        '--checks',
        'all',
        '-n',
        n,
      ]),
    );
    // The push API past validation: schema-valid bodies pinned to a covered unit and engineer.
    const hooksDir = path.join(cfg.reportDir, 'hooks');
    fs.mkdirSync(hooksDir, { recursive: true });
    fs.writeFileSync(path.join(hooksDir, 'fuzz_assessment_hooks.py'), HOOKS);
    runs.push(
      await runSt(
        'push-deep',
        [
          schemaUrl,
          '--header',
          `Authorization: Bearer ${deep.token}`,
          ...['submitAssessment', 'amendAssessment', 'withdrawAssessment', 'getAssessment'].flatMap((id) => [
            '--include-operation-id',
            id,
          ]),
          '--mode',
          'positive',
          '--phases',
          'fuzzing',
          '--checks',
          'all',
          '-n',
          n,
        ],
        {
          PYTHONPATH: hooksDir,
          SCHEMATHESIS_HOOKS: 'fuzz_assessment_hooks',
          FUZZ_UNIT_ID: unit.id,
          FUZZ_LICENCE: deep.licenceNo,
          FUZZ_AMEND_ID: seeded[0] ?? '',
          FUZZ_WITHDRAW_ID: seeded[1] ?? '',
          FUZZ_GET_ID: seeded[2] ?? '',
        },
      ),
    );
    return summarize(runs, documented);
  } finally {
    await h.close();
    if (!wasUp) await down(stackEnv);
  }
}

function summarize(runs: RunResult[], documented: Map<string, string>): number {
  const all = runs.flatMap((r) => r.sent);
  const UNDECLARED = '(undeclared methods, ST204 probes)';
  const perOp = new Map<string, Map<string, number>>();
  for (const s of all) {
    const op = documented.has(s.op) ? s.op : UNDECLARED;
    const counts = perOp.get(op) ?? new Map<string, number>();
    const bucket = s.status === null ? 'no response' : String(s.status);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    perOp.set(op, counts);
  }
  log('\n[fuzz] cases per operation (status: count)');
  const ops = [...documented.keys()].filter((op) => perOp.has(op));
  for (const op of [...ops, ...(perOp.has(UNDECLARED) ? [UNDECLARED] : [])]) {
    const counts = perOp.get(op) ?? new Map<string, number>();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const detail = [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    const name = documented.get(op) ? `${op} (${documented.get(op)})` : op;
    log(`  ${name.padEnd(62)} ${String(total).padStart(5)}  ${detail}`);
  }
  const untested = [...documented.keys()].filter((op) => !perOp.has(op));
  if (untested.length) log(`  not tested: ${untested.join(', ')}`);

  const serverErrors = all.filter((s) => s.status !== null && s.status >= 500);
  const problems: string[] = [];
  log('\n[fuzz] schemathesis findings (reported; only server errors fail the run)');
  for (const r of runs) {
    if (!r.report) {
      problems.push(`${r.name}: schemathesis wrote no report (exit ${r.exitCode}); see ${path.relative(root, r.log)}`);
      continue;
    }
    if (r.report.errors.length)
      problems.push(`${r.name}: ${r.report.errors.length} schemathesis error(s); see ${path.relative(root, r.log)}`);
    for (const f of r.report.failures) {
      const isServer = /ServerError/.test(f.type);
      if (isServer) problems.push(`${r.name}: ${f.code} ${f.title} on ${f.operations.join(', ')}`);
      log(`  ${isServer ? 'FAIL' : 'note'} ${r.name}: ${f.code} ${f.title} x${f.count}: ${f.operations.join(', ')}`);
    }
    if (r.report.failures.length === 0) log(`  ${r.name}: none`);
  }
  for (const s of serverErrors.slice(0, 20)) {
    const raw = s.interaction.request.body as { $base64?: string } | string | null | undefined;
    const text =
      typeof raw === 'object' && raw?.$base64 ? Buffer.from(raw.$base64, 'base64').toString('utf8') : JSON.stringify(raw ?? null);
    const body = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    log(`  5xx: ${s.status} ${s.interaction.request.method} ${s.interaction.request.uri} case ${s.caseId} body ${body}`);
  }
  if (all.length === 0) problems.push('no test case was run');
  for (const p of problems) log(`[fuzz] problem: ${p}`);
  log(`\nfuzz: ${all.length} cases, ${ops.length} operations, ${serverErrors.length} server errors`);
  return serverErrors.length > 0 || problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[fuzz] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
