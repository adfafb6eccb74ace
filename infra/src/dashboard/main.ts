// The operators' dashboard process: `node infra/src/dashboard/main.ts` (npm start runs it once
// Prometheus is ready; docker-compose runs it as the `dashboard` service). See infra/dashboard/README.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createShutdown, listen, nameMetricsService } from '@firegov/kit';
import { loadDashboardEnv } from './env.ts';
import { createDashboardApp, dashboardPaths } from './server.ts';

const env = loadDashboardEnv();
const logger = createLogger({ service: 'dashboard', level: env.LOG_LEVEL });
const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
shutdown.installSignalHandlers();
nameMetricsService('dashboard');

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const app = createDashboardApp({
  prometheusUrl: env.PROMETHEUS_URL,
  timeoutMs: env.PROMETHEUS_TIMEOUT_MS,
  jaegerUrl: env.JAEGER_URL,
  jaegerTimeoutMs: env.JAEGER_TIMEOUT_MS,
  logger,
  ...dashboardPaths(infraDir),
  isAccepting: () => !shutdown.started,
});
const server = await listen(app, env.PORT, env.HOST);
shutdown.register('intake', 'http server', () => server.close());
logger.info({ url: `${server.url}/`, prometheus: env.PROMETHEUS_URL, jaeger: env.JAEGER_URL }, 'dashboard listening');
