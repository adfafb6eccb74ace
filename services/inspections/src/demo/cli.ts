// Loads six weeks of demo inspections history: `node services/inspections/src/demo/cli.ts [minUnits]`.
// Waits until the registry projection has learned at least minUnits demo units from Kafka.
import { createLogger, waitForCount } from '@firegov/kit';
import { buildServices } from '../app.ts';
import { DEFAULT_POLICY } from '../domain/escalation.ts';
import { inspectionsEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { DemoClock, loadHistory } from './history.ts';

const env = inspectionsEnv.loadTool();
const logger = createLogger({ service: 'inspections-demo', level: env.LOG_LEVEL });
const minUnits = Number(process.argv[2] ?? 1);
if (!Number.isInteger(minUnits) || minUnits < 0) {
  process.stderr.write('minUnits must be a non-negative integer\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
try {
  // The registry arrives over Kafka: a county-sized one takes minutes (the count is an index lookup).
  await waitForCount({
    count: () => rt.models.units.countDocuments({ demo: true }),
    target: minUnits,
    what: 'demo units in the registry projection',
    logger,
  });
  const clock = new DemoClock(Date.now());
  const deps = { ...rt, logger, now: clock.now, clock, policy: DEFAULT_POLICY, homeJurisdiction: env.HOME_JURISDICTION };
  const services = buildServices(deps);
  await services.campaigns.seed();
  const t0 = Date.now();
  const summary = await loadHistory({ services, deps, redis: rt.redis, index: rt.index, logger });
  await rt.relay.flush();
  logger.info({ ...summary, ms: Date.now() - t0 }, summary.skipped ? 'demo history already loaded' : 'demo history loaded');
} finally {
  await stopRuntime(rt);
}
