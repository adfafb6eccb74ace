import { telemetry } from './instrument.ts';
import cluster from 'node:cluster';
import { connectRedis, createLogger, createShutdown, listen } from '@firegov/kit';
import { createGateway } from './app.ts';
import { loadGatewayEnv } from './env.ts';
import { loadSupergraph } from './supergraph-source.ts';
import { superviseWorkers } from './workers.ts';

const env = loadGatewayEnv();
const logger = createLogger({ service: 'gateway', level: env.LOG_LEVEL });
if (env.GATEWAY_WORKERS > 1 && cluster.isPrimary) {
  await superviseWorkers({ count: env.GATEWAY_WORKERS, logger, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS });
} else {
  await serve();
}

async function serve(): Promise<void> {
  const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
  shutdown.installSignalHandlers();
  shutdown.register('telemetry', 'tracing', () => telemetry.shutdown());

  const supergraph = await loadSupergraph({ path: env.SUPERGRAPH_PATH, subgraphs: env.SUBGRAPHS, logger });
  // Always: besides the rate limit, every platform client's token is checked against its client's
  // cutoff there (revoked, secret rotated).
  const redis = await connectRedis(env.REDIS_URL, logger);
  shutdown.register('connections', 'redis', async () => void (await redis.quit()));

  const gateway = createGateway({
    supergraph: supergraph.sdl,
    env,
    logger,
    redis,
    isAccepting: () => !shutdown.started,
  });
  const server = await listen(gateway.app, env.GATEWAY_PORT, env.HOST);
  shutdown.register('intake', 'http server', () => server.close());
  // After intake: requests still in flight finish against the subgraphs before transports close.
  shutdown.register('connections', 'gateway runtime', () => gateway.dispose());

  logger.info(
    {
      url: `${server.url}/graphql`,
      supergraph: supergraph.source,
      subgraphs: env.SUBGRAPHS,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      pid: process.pid,
      ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}),
    },
    'gateway listening',
  );
}
