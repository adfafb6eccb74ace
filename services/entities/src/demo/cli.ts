// Loads the demo county into the entities database: `node services/entities/src/demo/cli.ts [units]`.
import { tokenVerification } from '@firegov/auth';
import { createLogger } from '@firegov/kit';
import { createEntitiesApp } from '../app.ts';
import { entitiesEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { loadDemo } from './load.ts';

const env = entitiesEnv.load();
const logger = createLogger({ service: 'entities-demo', level: env.LOG_LEVEL });
const units = Number(process.argv[2] ?? 2000);
if (!Number.isInteger(units) || units < 1 || units > 1_000_000) {
  process.stderr.write('units must be an integer from 1 to 1000000\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
const { services, closeReadiness } = createEntitiesApp({
  ...rt,
  logger,
  auth: tokenVerification(env),
  redisPrefix: env.REDIS_KEY_PREFIX,
});
try {
  const t0 = Date.now();
  const summary = await loadDemo(services, rt.models, logger, units);
  await rt.relay.flush();
  logger.info({ ...summary, ms: Date.now() - t0 }, summary.skipped ? 'demo data already loaded' : 'demo data loaded');
} finally {
  await closeReadiness();
  await stopRuntime(rt);
}
