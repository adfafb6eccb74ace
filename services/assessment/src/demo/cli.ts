// Loads the demo agency and its assessments: `node services/assessment/src/demo/cli.ts [minUnits]`.
// Waits until the registry projection has learned at least minUnits demo units from Kafka; the
// demo client's secret comes from DEMO_AGENCY_CLIENT_SECRET. Prints one JSON line with the result.
import { tokenVerification } from '@firegov/auth';
import { createLogger, waitForCount } from '@firegov/kit';
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
  auth: tokenVerification(env),
  agencyTokenSecret: env.AGENCY_TOKEN_SECRET,
  receiptSeed: Buffer.from(env.RECEIPT_SIGNING_SEED, 'base64'),
  auditShare: env.AUDIT_SAMPLE_SHARE,
  auditSalt: env.AUDIT_SAMPLE_SALT,
  redisPrefix: env.REDIS_KEY_PREFIX,
});
try {
  // The registry arrives over Kafka: a county-sized one takes minutes (the count is an index lookup).
  await waitForCount({
    count: () => rt.models.units.countDocuments({ demo: true }),
    target: minUnits,
    what: 'demo units in the registry projection',
    logger,
  });
  const summary = await loadDemoAgency(services, rt.models, logger, { clientSecret: secret });
  await rt.relay.flush();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await closeReadiness();
  await stopRuntime(rt);
}
