import { telemetry } from './instrument.ts';
import { runService } from '@firegov/service';
import { createEntitiesApp } from './app.ts';
import { startRiskSignalConsumer } from './events/risk-signals.ts';
import { signalSources } from './events/signal-sources.ts';
import { env } from './runtime-env.ts';
import { entitiesStore } from './runtime.ts';
import { backfillNameGrams } from './store/backfill.ts';
import { startCountsReconciler } from './store/unit-counts.ts';

await runService({
  store: entitiesStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, counts, closeReadiness } = createEntitiesApp({
      ...rt,
      logger,
      jwtSecret: env.JWT_SECRET,
      redisPrefix: env.REDIS_KEY_PREFIX,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
    });
    // A new or flushed Redis has no counts: build them from the store in the background (and, once,
    // give units registered before name search its character pairs).
    const counting = backfillNameGrams(rt.models, rt.redis, env.REDIS_KEY_PREFIX, logger)
      .then(() => counts.rebuildIfMissing(rt.models))
      .catch((err: unknown) => logger.error({ err }, 'village counts could not be built; the reconcile will retry'));
    const startWorkers = async () => {
      const reconciler = startCountsReconciler({
        counts,
        models: rt.models,
        redis: rt.redis,
        logger,
        intervalMs: env.COUNTS_RECONCILE_HOURS * 3_600_000,
      });
      const risk = await startRiskSignalConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        models: rt.models,
        sources: signalSources,
        kick: (ids) => rt.relay.kick(rt.models.units.collection, ids),
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
        onWritten: (doc) => counts.record(doc),
      });
      return [
        { name: 'counts reconcile', stop: async () => Promise.all([reconciler.stop(), counting]) },
        { name: 'risk signal consumer', stop: async () => risk?.stop() },
      ];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
