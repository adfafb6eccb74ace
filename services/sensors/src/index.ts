import { telemetry } from './instrument.ts';
import { startRegistryProjection } from '@firegov/registry';
import { tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createSensorsApp, readingWindow } from './app.ts';
import { startHouseholdView } from './events/inbound/households.ts';
import { startReadingEvaluator } from './events/inbound/readings.ts';
import { startUitdAdapter } from './service/uitd-adapter.ts';
import { env } from './runtime-env.ts';
import { sensorsStore } from './runtime.ts';
import { startAlarmFeed } from './service/alarm-feed.ts';
import { escalationPolicyOf } from './service/escalation-policy.ts';
import { readingHistory } from './service/reading-hours.ts';
import { sensorClocks, startSensorSweeps } from './service/sweeps.ts';
import { startAlarmCounts } from './store/alarm-counts.ts';
import { startHealthCounts } from './store/health-counts.ts';

await runService({
  store: sensorsStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, services, closeReadiness } = createSensorsApp({
      ...rt,
      logger,
      env,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
    });
    const kafka = { kafka: rt.kafka, publisher: rt.publisher, logger, topicPrefix: env.KAFKA_TOPIC_PREFIX };
    const startWorkers = async () => {
      const registry = await startRegistryProjection({ service: 'sensors', ...kafka, models: rt.models });
      const households = await startHouseholdView({ ...kafka, models: rt.models });
      const evaluator = await startReadingEvaluator({
        ...kafka,
        evaluator: services.evaluator,
        checkpointMs: env.READING_CHECKPOINT_MS,
      });
      const live = await startAlarmFeed({ ...kafka, feed: services.feed });
      const clocks = sensorClocks({
        models: rt.models,
        profiles: services.profiles,
        relay: rt.relay,
        now: services.now,
        policy: escalationPolicyOf(env),
        counted: (ids) => services.healthCounts.record(ids),
      });
      const alarmTallies = startAlarmCounts({
        counts: services.alarmCounts,
        redis: rt.redis,
        keyPrefix: env.REDIS_KEY_PREFIX,
        logger,
        intervalMs: env.HEALTH_RECOUNT_MS,
      });
      const counts = startHealthCounts({
        counts: services.healthCounts,
        redis: rt.redis,
        keyPrefix: env.REDIS_KEY_PREFIX,
        logger,
        intervalMs: env.HEALTH_RECOUNT_MS,
      });
      const history = readingHistory(rt.models);
      const sweeps = startSensorSweeps({
        clocks,
        prune: () => history.prune(new Date(services.now().getTime() - env.READING_RETENTION_DAYS * 86_400_000)),
        redis: rt.redis,
        logger,
        keyPrefix: env.REDIS_KEY_PREFIX,
        healthEveryMs: env.HEALTH_SWEEP_MS,
        escalationEveryMs: env.ESCALATION_SWEEP_MS,
      });
      const uitd =
        env.GBT26875_PORT > 0
          ? await startUitdAdapter({
              env,
              logger,
              directory: services.directory,
              ingest: services.ingest,
              window: readingWindow(env),
            })
          : null;
      return [
        ...(uitd ? [{ name: 'GB/T 26875.3 listener', stop: () => uitd.close() }] : []),
        { name: 'registry projection', stop: () => registry.stop() },
        { name: 'household view', stop: () => households.stop() },
        {
          name: 'reading evaluator',
          stop: async () => {
            // Its last checkpoint writes what is held in memory before the group is left.
            await evaluator.stop();
          },
        },
        { name: 'live alarm feed', stop: () => live.stop() },
        { name: 'health and escalation sweeps', stop: () => sweeps.stop() },
        { name: 'online-rate counts', stop: () => counts.stop() },
        { name: 'alarm counts', stop: () => alarmTallies.stop() },
      ];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
