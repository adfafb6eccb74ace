// `npm test`: makes sure the local stack answers (starting it, and stopping it afterwards, only
// if it was not already up), runs every jest test, and ends with the line `N passed, N failed`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackEnv } from '../infra/src/env.ts';
import { interruptSignal } from '../infra/src/interrupt.ts';
import { isAbort } from '../infra/src/run-logged.ts';
import { stderrSay } from '../infra/src/progress.ts';
import { ensureJaeger, ensurePromtool } from '../infra/src/provision.ts';
import { isUp, up, type StackSession } from '../infra/src/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = loadStackEnv(root);
const report = path.join(root, 'reports', 'jest-results.json');

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
  numTotalTests: number;
}

async function main(): Promise<number> {
  // Ctrl-C during start-up stops what `up` started; during the run it reaches jest (the terminal
  // sends it to the whole group; a lone SIGINT to this process is passed on), then the stack stops.
  const signal = interruptSignal('test');
  // Only what this run starts is stopped afterwards; a stack that was already up stays as it was.
  let session: StackSession | undefined;
  // promtool checks the alert rules (infra/test/prometheus-rules.test.ts); it builds once, alongside the stack.
  const promtool = ensurePromtool({ env, say: stderrSay('test'), signal, background: false });
  // Jaeger too: the end-to-end trace test finds its trace through Jaeger's query API (e2e/jaeger.ts).
  const jaeger = ensureJaeger({ env, say: stderrSay('test'), signal, background: false });
  if (!(await isUp(env))) session = await up(env, { signal });
  try {
    const [promtoolPath, jaegerPath] = await Promise.all([promtool, jaeger]);
    fs.mkdirSync(path.dirname(report), { recursive: true });
    fs.rmSync(report, { force: true });
    const jest = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--json',
        `--outputFile=${report}`,
        '--forceExit',
        ...process.argv.slice(2),
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, PROMTOOL: promtoolPath, JAEGER_BIN: jaegerPath } },
    );
    const forward = () => jest.kill('SIGINT');
    signal.addEventListener('abort', forward, { once: true });
    const status = await new Promise<number | null>((resolve) => jest.once('close', (code) => resolve(code)));
    signal.removeEventListener('abort', forward);
    if (!fs.existsSync(report)) {
      process.stdout.write('0 passed, 1 failed\n');
      return status || 1;
    }
    const s = JSON.parse(fs.readFileSync(report, 'utf8')) as JestSummary;
    // A suite that fails to load has no failed test, but it is a failure all the same.
    const failed = s.numFailedTests + s.numRuntimeErrorTestSuites;
    const skipped = s.numPendingTests + s.numTodoTests;
    process.stdout.write(`\n${s.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
    if (s.numTotalTests === 0) return 1;
    return failed > 0 ? 1 : (status ?? 1);
  } finally {
    await session?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (isAbort(err)) {
      process.stderr.write('[test] interrupted; what this run started has been stopped\n0 passed, 1 failed\n');
      process.exit(130);
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n0 passed, 1 failed\n`);
    process.exit(1);
  },
);
