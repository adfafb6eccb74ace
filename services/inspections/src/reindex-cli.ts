// Recomputes the hazard queues and statistics in Redis from the store: `npm run
// rebuild-read-models` (or `node services/inspections/src/reindex-cli.ts`).
import { createLogger } from '@firegov/kit';
import { inspectionsEnv } from './env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';
import { rebuildIndexes } from './store/rebuild.ts';

const env = inspectionsEnv.loadTool();
const logger = createLogger({ service: 'inspections-reindex', level: env.LOG_LEVEL });
const rt = await startRuntime(env, logger);
try {
  const n = await rebuildIndexes(rt.models, rt.redis, rt.index, logger);
  process.stdout.write(`hazard indexes rebuilt from ${n} hazards\n`);
} finally {
  await stopRuntime(rt);
}
