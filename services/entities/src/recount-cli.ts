// Recomputes the village-summary counts and rebuilds the unit index from nothing, from the store:
// `npm run rebuild-read-models` (or
// `node services/entities/src/recount-cli.ts`), e.g. after restoring a database or flushing Redis.
import { createLogger } from '@firegov/kit';
import { entitiesEnv } from './env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';
import { unitCounts } from './store/unit-counts.ts';
import { unitIndex } from './store/unit-index.ts';

const env = entitiesEnv.loadTool();
const logger = createLogger({ service: 'entities-recount', level: env.LOG_LEVEL });
const rt = await startRuntime(env, logger);
try {
  const n = await unitCounts(rt.redis, env.REDIS_KEY_PREFIX, logger).rebuild(rt.models);
  process.stdout.write(`village counts rebuilt from ${n} active units\n`);
  const index = unitIndex(rt.redis, env.REDIS_KEY_PREFIX, logger, rt.models);
  const all = await index.rebuild(rt.models, { fresh: true });
  await index.close();
  process.stdout.write(`unit index rebuilt from ${all} units\n`);
} finally {
  await stopRuntime(rt);
}
