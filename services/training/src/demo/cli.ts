// Loads a demo year of training for the demo county: `node services/training/src/demo/cli.ts [minUnits]`.
// Waits until the registry projection has learned at least minUnits demo units (and the households
// projection some households) from Kafka, then loads people with their roles, courses, a question
// bank, exams and certificates, and the outreach year (五进, 敲门行动, a survey, volunteers, drills,
// team sessions). Loading twice adds nothing.
import { tokenVerification } from '@firegov/auth';
import { createLogger, waitForCount } from '@firegov/kit';
import { createTrainingApp } from '../app.ts';
import { trainingEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { loadLearningDemo } from './learning.ts';
import { loadOutreachDemo } from './outreach.ts';
import { loadPeopleDemo } from './people.ts';

const DEMO_COUNTY = '500230000000';

const env = trainingEnv.load();
const logger = createLogger({ service: 'training-demo', level: env.LOG_LEVEL });
const minUnits = Number(process.argv[2] ?? 1);
if (!Number.isInteger(minUnits) || minUnits < 0) {
  process.stderr.write('minUnits must be a non-negative integer\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
const { services, closeReadiness } = createTrainingApp({ ...rt, logger, auth: tokenVerification(env) });
try {
  // The registry and the households arrive over Kafka: a county-sized registry takes minutes.
  await waitForCount({
    count: () => rt.models.units.countDocuments({ demo: true }),
    target: minUnits,
    what: 'demo units in the registry projection',
    logger,
  });
  await waitForCount({
    count: () => rt.models.households.estimatedDocumentCount(),
    target: minUnits > 0 ? 1 : 0,
    what: 'households in the households projection',
    logger,
  });
  const t0 = Date.now();
  // Certificates first: registering the people then announces each unit's coverage with them.
  const learning = await loadLearningDemo({ models: rt.models, relay: rt.relay, countyCode: DEMO_COUNTY });
  const people = await loadPeopleDemo({ services, models: rt.models, countyCode: DEMO_COUNTY });
  const outreach = await loadOutreachDemo({ services, models: rt.models, countyCode: DEMO_COUNTY });
  await rt.relay.flush();
  logger.info({ people, learning, outreach, ms: Date.now() - t0 }, 'demo training year loaded');
} finally {
  await closeReadiness();
  await stopRuntime(rt);
}
