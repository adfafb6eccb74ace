import { telemetry } from './instrument.ts';
import { startRegistryProjection } from '@firegov/registry';
import { runService } from '@firegov/service';
import { createTrainingApp } from './app.ts';
import { env } from './runtime-env.ts';
import { trainingStore } from './runtime.ts';

await runService({
  store: trainingStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, closeReadiness } = createTrainingApp({
      ...rt,
      logger,
      jwtSecret: env.JWT_SECRET,
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
      return [{ name: 'registry projection', stop: () => registry.stop() }];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
