import { telemetry } from './instrument.ts';
import { createLogger, createShutdown, listen } from '@firegov/kit';
import { createAssessmentApp } from './app.ts';
import { startRegistryProjection } from './events/registry-projection.ts';
import { env } from './runtime-env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';

const logger = createLogger({ service: 'assessment', level: env.LOG_LEVEL });
const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
shutdown.installSignalHandlers();

const rt = await startRuntime(env, logger);
const { app, closeReadiness } = createAssessmentApp({
  ...rt,
  logger,
  jwtSecret: env.JWT_SECRET,
  agencyTokenSecret: env.AGENCY_TOKEN_SECRET,
  agencyTokenTtlS: env.AGENCY_TOKEN_TTL_S,
  receiptSeed: Buffer.from(env.RECEIPT_SIGNING_SEED, 'base64'),
  auditShare: env.AUDIT_SAMPLE_SHARE,
  auditSalt: env.AUDIT_SAMPLE_SALT,
  lateAfterDays: env.LATE_AFTER_DAYS,
  redisPrefix: env.REDIS_KEY_PREFIX,
  pushPerMinute: env.PUSH_RATE_LIMIT_PER_MINUTE,
  trustProxy: env.TRUST_PROXY,
  isAccepting: () => !shutdown.started,
});
const server = await listen(app, env.PORT, env.HOST);
const registry = await startRegistryProjection({
  kafka: rt.kafka,
  publisher: rt.publisher,
  logger,
  models: rt.models,
  topicPrefix: env.KAFKA_TOPIC_PREFIX,
});

shutdown.register('intake', 'http server', () => server.close());
shutdown.register('drain', 'registry projection', () => registry.stop());
shutdown.register('background', 'outbox relay and connections', async () => {
  await closeReadiness();
  await stopRuntime(rt);
});
shutdown.register('telemetry', 'tracing', () => telemetry.shutdown());
logger.info({ url: `${server.url}/graphql` }, 'assessment subgraph and push API listening');
