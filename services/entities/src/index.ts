import { telemetry } from './instrument.ts';
import { createLogger, createShutdown, listen } from '@firegov/kit';
import { createEntitiesApp } from './app.ts';
import { signalSources } from './events/signal-sources.ts';
import { startRiskSignalConsumer } from './events/risk-signals.ts';
import { env } from './runtime-env.ts';
import { startRuntime, stopRuntime } from './runtime.ts';

const logger = createLogger({ service: 'entities', level: env.LOG_LEVEL });
const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
shutdown.installSignalHandlers();

const rt = await startRuntime(env, logger);
const { app, closeReadiness } = createEntitiesApp({
  ...rt,
  logger,
  jwtSecret: env.JWT_SECRET,
  isAccepting: () => !shutdown.started,
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
});

shutdown.register('intake', 'http server', () => server.close());
shutdown.register('drain', 'risk signal consumer', async () => {
  await riskConsumer?.stop();
});
shutdown.register('background', 'outbox relay and connections', async () => {
  await closeReadiness();
  await stopRuntime(rt);
});
shutdown.register('telemetry', 'tracing', () => telemetry.shutdown());
logger.info({ url: `${server.url}/graphql` }, 'entities subgraph listening');
