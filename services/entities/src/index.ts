import { telemetry } from './instrument.ts';
import { createLogger, createShutdown, listen } from '@firegov/kit';
import { createEntitiesApp } from './app.ts';
import { signalSources } from './events/signal-sources.ts';
import { startRiskSignalConsumer } from './events/risk-signals.ts';
import { env } from './runtime-env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';
import { backfillNameGrams } from './store/backfill.ts';
import { startCountsReconciler } from './store/unit-counts.ts';

const logger = createLogger({ service: 'entities', level: env.LOG_LEVEL });
const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
shutdown.installSignalHandlers();

const rt = await startRuntime(env, logger);
const { app, counts, closeReadiness } = createEntitiesApp({
  ...rt,
  logger,
  jwtSecret: env.JWT_SECRET,
  redisPrefix: env.REDIS_KEY_PREFIX,
  isAccepting: () => !shutdown.started,
});
// A new or flushed Redis has no counts: build them from the store in the background (and, once,
// give units registered before name search its character pairs).
const counting = backfillNameGrams(rt.models, rt.redis, env.REDIS_KEY_PREFIX, logger)
  .then(() => counts.rebuildIfMissing(rt.models))
  .catch((err: unknown) => logger.error({ err }, 'village counts could not be built; the reconcile will retry'));
const reconciler = startCountsReconciler({
  counts,
  models: rt.models,
  redis: rt.redis,
  logger,
  intervalMs: env.COUNTS_RECONCILE_HOURS * 3_600_000,
});
const server = await listen(app, env.PORT, env.HOST);

const riskConsumer = await startRiskSignalConsumer({
  kafka: rt.kafka,
  publisher: rt.publisher,
  logger,
  models: rt.models,
  sources: signalSources,
  kick: (ids) => rt.relay.kick(rt.models.units.collection, ids),
  topicPrefix: env.KAFKA_TOPIC_PREFIX,
  onWritten: (doc) => counts.record(doc),
});

shutdown.register('intake', 'http server', () => server.close());
shutdown.register('drain', 'risk signal consumer', async () => {
  await riskConsumer?.stop();
});
shutdown.register('background', 'outbox relay and connections', async () => {
  await reconciler.stop();
  await counting;
  await closeReadiness();
  await stopRuntime(rt);
});
shutdown.register('telemetry', 'tracing', () => telemetry.shutdown());
logger.info({ url: `${server.url}/graphql` }, 'entities subgraph listening');
