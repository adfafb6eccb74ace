// Loads six weeks of demo inspections history: `node services/inspections/src/demo/cli.ts [minUnits]`.
// Waits until the registry projection has learned at least minUnits demo units from Kafka.
import { createLogger } from '@firegov/kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildServices } from '../app.ts';
import { DEFAULT_POLICY } from '../domain/escalation.ts';
import { loadInspectionsEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { DemoClock, loadHistory } from './history.ts';

const env = loadInspectionsEnv();
const logger = createLogger({ service: 'inspections-demo', level: env.LOG_LEVEL });
const minUnits = Number(process.argv[2] ?? 1);
if (!Number.isInteger(minUnits) || minUnits < 0) {
  process.stderr.write('minUnits must be a non-negative integer\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
try {
  // A county-sized registry takes minutes to arrive: give up only when it stops growing for 120 s.
  // Counting reads the whole collection on the local store, so count once a second, not faster.
  let seen = -1;
  let deadline = Date.now() + 120_000;
  for (
    let n = await rt.models.units.countDocuments({ demo: true });
    n < minUnits;
    n = await rt.models.units.countDocuments({ demo: true })
  ) {
    if (n > seen) {
      logger.info({ done: n, total: minUnits }, 'demo: registry units learned from Kafka');
      seen = n;
      deadline = Date.now() + 120_000;
    }
    if (Date.now() > deadline)
      throw new Error(`the registry projection stopped at ${n} of ${minUnits} demo units (no new ones for 120 s)`);
    await sleep(1000);
  }
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
