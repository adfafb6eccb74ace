import { telemetry } from './instrument.ts';
import { createLogger, createShutdown, listen } from '@firegov/kit';
import { createInspectionsApp } from './app.ts';
import { startInboundHazards } from './events/inbound-hazards.ts';
import { startRegistryProjection } from './events/registry-projection.ts';
import { env } from './runtime-env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';
import { startEscalationScheduler } from './service/escalation-sweep.ts';
import { rebuildIfMissing, startIndexReconciler } from './store/rebuild.ts';

const logger = createLogger({ service: 'inspections', level: env.LOG_LEVEL });
const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
shutdown.installSignalHandlers();

const rt = await startRuntime(env, logger);
const policy = {
  townshipAfterDays: env.ESCALATION_TOWNSHIP_AFTER_DAYS,
  countyAfterDays: env.ESCALATION_COUNTY_AFTER_DAYS,
  reminderEveryDays: env.ESCALATION_REMINDER_EVERY_DAYS,
};
const { app, services, closeReadiness } = createInspectionsApp({
  ...rt,
  logger,
  jwtSecret: env.JWT_SECRET,
  homeJurisdiction: env.HOME_JURISDICTION,
  publicRatePerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
  trustProxy: env.TRUST_PROXY,
  policy,
  isAccepting: () => !shutdown.started,
});
await services.campaigns.seed();
const rebuilding = rebuildIfMissing(rt.models, rt.redis, rt.index, logger).catch((err: unknown) =>
  logger.error({ err }, 'hazard index rebuild failed'),
);
const server = await listen(app, env.PORT, env.HOST);
const reconciler = startIndexReconciler({
  models: rt.models,
  redis: rt.redis,
  index: rt.index,
  logger,
  intervalMs: env.INDEX_RECONCILE_HOURS * 3_600_000,
});

const common = { kafka: rt.kafka, publisher: rt.publisher, logger, models: rt.models, topicPrefix: env.KAFKA_TOPIC_PREFIX };
const registry = await startRegistryProjection(common);
const inbound = await startInboundHazards({ ...common, hazards: services.hazards });
const scheduler = startEscalationScheduler({
  redis: rt.redis,
  index: rt.index,
  hazards: services.hazards,
  now: () => new Date(),
  logger,
  intervalMs: env.ESCALATION_SWEEP_MS,
});

shutdown.register('intake', 'http server', () => server.close());
shutdown.register('drain', 'consumers and escalation sweep', async () => {
  await Promise.all([registry.stop(), inbound.stop(), scheduler.stop(), reconciler.stop(), rebuilding]);
});
shutdown.register('background', 'outbox relay and connections', async () => {
  await closeReadiness();
  await stopRuntime(rt);
});
shutdown.register('telemetry', 'tracing', () => telemetry.shutdown());
logger.info({ url: `${server.url}/graphql` }, 'inspections subgraph listening');
