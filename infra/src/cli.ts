import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackEnv } from './env.ts';
import { down, status, up } from './stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  const env = loadStackEnv(repoRoot);
  if (cmd === 'stack' && sub === 'up') {
    await up(env);
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
    return start(env);
  }
  process.stderr.write('usage: cli.ts stack up|down|status | start\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[stack] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
