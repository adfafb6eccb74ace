import { telemetry } from './instrument.ts';
import { startRegistryProjection } from '@firegov/registry';
import { tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createTrainingApp } from './app.ts';
import { startOutreachConsumers } from './events/inbound/outreach.ts';
import { startCertificateCoverageConsumer } from './events/inbound/certificates.ts';
import { startCoverageSweep } from './service/coverage-sweep.ts';
import { env } from './runtime-env.ts';
import { trainingStore } from './runtime.ts';

await runService({
  store: trainingStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, services, closeReadiness } = createTrainingApp({
      ...rt,
      logger,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
    });
    const startWorkers = async () => {
      const registry = await startRegistryProjection({
        service: 'training',
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        models: rt.models,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      const outreach = await startOutreachConsumers({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        services,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      // Default required-training rules (idempotent: a county's changes stay), then the coverage sweep.
      await services.requirements.seedDefaults();
      // The lease is per deployment: another one sharing this Redis (a test run, a second county) sweeps its own.
      const coverage = startCoverageSweep({
        compliance: services.compliance,
        redis: rt.redis,
        logger,
        leaseKey: `${env.REDIS_KEY_PREFIX}coverage-sweep`,
      });
      const certified = await startCertificateCoverageConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        compliance: services.compliance,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      return [
        { name: 'registry projection', stop: () => registry.stop() },
        ...outreach,
        { name: 'coverage sweep', stop: () => coverage.stop() },
        { name: 'certificate coverage', stop: () => certified.stop() },
      ];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
