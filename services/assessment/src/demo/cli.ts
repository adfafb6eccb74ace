// Loads the demo agency and its assessments: `node services/assessment/src/demo/cli.ts [minUnits]`.
// Waits until the registry projection has learned at least minUnits demo units from Kafka; the
// demo client's secret comes from DEMO_AGENCY_CLIENT_SECRET. Prints one JSON line with the result.
import { createLogger } from '@firegov/kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAssessmentApp } from '../app.ts';
import { loadDemoEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { loadDemoAgency } from './agency.ts';

const env = loadDemoEnv();
const logger = createLogger({ service: 'assessment-demo', level: env.LOG_LEVEL });
const minUnits = Number(process.argv[2] ?? 1);
const secret = env.DEMO_AGENCY_CLIENT_SECRET;
if (!Number.isInteger(minUnits) || minUnits < 0) {
  process.stderr.write('usage: DEMO_AGENCY_CLIENT_SECRET=<≥16 chars> cli.ts [minUnits]\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
const { services, closeReadiness } = createAssessmentApp({
  ...rt,
  logger,
  jwtSecret: env.JWT_SECRET,
  agencyTokenSecret: env.AGENCY_TOKEN_SECRET,
  receiptSeed: Buffer.from(env.RECEIPT_SIGNING_SEED, 'base64'),
  auditShare: env.AUDIT_SAMPLE_SHARE,
  auditSalt: env.AUDIT_SAMPLE_SALT,
  redisPrefix: env.REDIS_KEY_PREFIX,
});
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
  const summary = await loadDemoAgency(services, rt.models, logger, { clientSecret: secret });
  await rt.relay.flush();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await closeReadiness();
  await stopRuntime(rt);
}
