import type { StackEnv } from './env.ts';
import { down, up } from './stack.ts';

/**
 * `npm start`: brings up the stack (with Jaeger) and keeps it in the foreground; Ctrl-C stops
 * everything it started. Services and the gateway join here as they land.
 */
export async function start(env: StackEnv): Promise<number> {
  const withJaeger: StackEnv = { ...env, STACK_JAEGER: '1' };
  await up(withJaeger);
  process.stderr.write('[start] stack is up; press Ctrl-C to stop it\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await down(withJaeger);
  return 0;
}
