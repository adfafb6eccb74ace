import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackEnv } from './env.ts';
import { interruptSignal } from './interrupt.ts';
import { isAbort } from './run-logged.ts';
import { down, status, up } from './stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const env = loadStackEnv(repoRoot);
  if (cmd === 'stack' && sub === 'up') {
    // `stack up` leaves the stack running: the session is not stopped on success.
    await up(env, { optional: 'wait', signal: interruptSignal('stack') });
    return 0;
  }
  if (cmd === 'stack' && sub === 'down') {
    await down(env);
    return 0;
  }
  if (cmd === 'stack' && sub === 'status') {
    return (await status(env)) ? 0 : 1;
  }
  if (cmd === 'start') {
    const { start } = await import('./start.ts');
    return start(
      env,
      [sub, ...rest].filter((a): a is string => a !== undefined),
      interruptSignal('start'),
    );
  }
  process.stderr.write('usage: cli.ts stack up|down|status | start [--units N]\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (isAbort(err)) {
      process.stderr.write('[stack] interrupted; everything this run started has been stopped\n');
      process.exit(130);
    }
    process.stderr.write(`[stack] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
