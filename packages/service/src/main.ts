import { createLogger, createShutdown, listen, type Logger } from '@firegov/kit';
import type { Express } from 'express';
import type { ServiceEnv } from './env.ts';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from './runtime.ts';

/** Something a service runs beside its HTTP server (a consumer, a sweep, a reconcile). */
export interface Worker {
  name: string;
  stop(): Promise<unknown>;
}

export interface BuiltService {
  app: Express;
  /** Started once the server listens; each is stopped in the drain phase, before the connections close. */
  startWorkers?: () => Promise<Worker[]>;
  /** Closed with the connections (readiness probes that hold a client). */
  close?: () => Promise<void>;
}

export interface ServiceContext<M> {
  rt: ServiceRuntime<M>;
  logger: Logger;
  /** False once shutdown began: /readyz then answers 503. */
  isAccepting: () => boolean;
}

/**
 * A service process from start to stop: connects the runtime (store with its indexes, Redis, Kafka,
 * publisher, outbox relay), builds the app, listens, starts the workers, and on SIGTERM/SIGINT stops
 * in order: intake, workers, relay and connections, tracing.
 */
export async function runService<M extends object>(o: {
  store: ServiceStore<M>;
  env: ServiceEnv;
  telemetry: { shutdown(): Promise<void> };
  build: (ctx: ServiceContext<M>) => BuiltService | Promise<BuiltService>;
}): Promise<void> {
  const name = o.store.service;
  const logger = createLogger({ service: name, level: o.env.LOG_LEVEL });
  const shutdown = createShutdown(logger, o.env.SHUTDOWN_TIMEOUT_MS);
  shutdown.installSignalHandlers();
  const rt = await startServiceRuntime({ ...o.store, env: o.env, logger });
  const built = await o.build({ rt, logger, isAccepting: () => !shutdown.started });
  const server = await listen(built.app, o.env.PORT, o.env.HOST);
  const workers = (await built.startWorkers?.()) ?? [];

  shutdown.register('intake', 'http server', () => server.close());
  for (const w of workers) shutdown.register('drain', w.name, async () => void (await w.stop()));
  shutdown.register('background', 'outbox relay and connections', async () => {
    await built.close?.();
    await stopServiceRuntime(rt);
  });
  shutdown.register('telemetry', 'tracing', () => o.telemetry.shutdown());
  logger.info({ url: `${server.url}/graphql` }, `${name} listening`);
}
