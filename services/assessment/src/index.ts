import { telemetry } from './instrument.ts';
import { tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createAssessmentApp } from './app.ts';
import { startRegistryProjection } from '@firegov/registry';
import { env } from './runtime-env.ts';
import { assessmentStore } from './runtime.ts';
import { assessmentLists } from './store/assessment-lists.ts';

await runService({
  store: assessmentStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, closeReadiness } = createAssessmentApp({
      ...rt,
      logger,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      agencyTokenSecret: env.AGENCY_TOKEN_SECRET,
      agencyTokenTtlS: env.AGENCY_TOKEN_TTL_S,
      receiptSeed: Buffer.from(env.RECEIPT_SIGNING_SEED, 'base64'),
      auditShare: env.AUDIT_SAMPLE_SHARE,
      auditSalt: env.AUDIT_SAMPLE_SALT,
      lateAfterDays: env.LATE_AFTER_DAYS,
      redisPrefix: env.REDIS_KEY_PREFIX,
      pushPerMinute: env.PUSH_RATE_LIMIT_PER_MINUTE,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
    });
    const startWorkers = async () => {
      const listed = await assessmentLists(rt.redis, env.REDIS_KEY_PREFIX).rebuildIfLost(rt.models);
      if (listed !== null) logger.info({ listed }, 'assessment lists rebuilt from the store');
      const registry = await startRegistryProjection({
        service: 'assessment',
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        models: rt.models,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      return [{ name: 'registry projection', stop: () => registry.stop() }];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
