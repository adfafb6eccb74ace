// Recomputes the village-summary counts from the store: `npm run rebuild-read-models` (or
// `node services/entities/src/recount-cli.ts`), e.g. after restoring a database or flushing Redis.
import { createLogger } from '@firegov/kit';
import { entitiesEnv } from './env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';
import { unitCounts } from './store/unit-counts.ts';

const env = entitiesEnv.loadTool();
const logger = createLogger({ service: 'entities-recount', level: env.LOG_LEVEL });
const rt = await startRuntime(env, logger);
try {
  const n = await unitCounts(rt.redis, env.REDIS_KEY_PREFIX, logger).rebuild(rt.models);
  process.stdout.write(`village counts rebuilt from ${n} active units\n`);
} finally {
  await stopRuntime(rt);
}
