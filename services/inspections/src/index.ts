import { telemetry } from './instrument.ts';
import { startLeasedInterval } from '@firegov/kit';
import { tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createInspectionsApp } from './app.ts';
import { startInboundHazards } from './events/inbound/hazard-sources.ts';
import { startSupervisionConsumer } from './events/inbound/supervision.ts';
import { startRegistryProjection } from '@firegov/registry';
import { env } from './runtime-env.ts';
import { inspectionsStore, withIndex } from './runtime.ts';
import { startEscalationScheduler } from './service/escalation-sweep.ts';
import { rebuildIfMissing, startIndexReconciler } from './store/rebuild.ts';

/** A recording takes well under a second; one older than this was abandoned by a crash. */
const STALLED_AFTER_MS = 60_000;

await runService({
  store: inspectionsStore,
  env,
  telemetry,
  build: async ({ rt: base, logger, isAccepting }) => {
    const rt = withIndex(base, env.REDIS_KEY_PREFIX);
    const { app, services, closeReadiness } = createInspectionsApp({
      ...rt,
      logger,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      homeJurisdiction: env.HOME_JURISDICTION,
      publicRatePerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE,
      trustProxy: env.TRUST_PROXY,
      policy: {
        townshipAfterDays: env.ESCALATION_TOWNSHIP_AFTER_DAYS,
        countyAfterDays: env.ESCALATION_COUNTY_AFTER_DAYS,
        reminderEveryDays: env.ESCALATION_REMINDER_EVERY_DAYS,
      },
      isAccepting,
    });
    await services.campaigns.seed();
    const rebuilding = rebuildIfMissing(rt.models, rt.redis, rt.index, logger).catch((err: unknown) =>
      logger.error({ err }, 'hazard index rebuild failed'),
    );
    const startWorkers = async () => {
      const common = { kafka: rt.kafka, publisher: rt.publisher, logger, models: rt.models, topicPrefix: env.KAFKA_TOPIC_PREFIX };
      const reconcile = startIndexReconciler({ ...rt, logger, intervalMs: env.INDEX_RECONCILE_HOURS * 3_600_000 });
      const registry = await startRegistryProjection({ ...common, service: 'inspections' });
      const inbound = await startInboundHazards({ ...common, hazards: services.hazards });
      const supervision = await startSupervisionConsumer({ ...common, supervision: services.supervision });
      // A change of intervals a crash interrupted moves the rest of its schedules now.
      const resuming = services.supervision
        .unfinishedCounties()
        .then((counties) => Promise.all(counties.map((c) => services.supervision.rescheduleCounty(c))))
        .catch((err: unknown) => logger.error({ err }, 'resuming a change of inspection intervals failed'));
      const scheduler = startEscalationScheduler({
        ...rt,
        hazards: services.hazards,
        ladders: [services.supervision.ladder],
        now: () => new Date(),
        logger,
        intervalMs: env.ESCALATION_SWEEP_MS,
      });
      // Inspections a crash left half-written (recording, hazards maybe partly stored) are completed
      // by one replica, once they are older than any recording still in progress could be.
      const recovery = startLeasedInterval({
        redis: rt.redis,
        leaseKey: `${env.REDIS_KEY_PREFIX}inspections:recovery:lease`,
        leaseTtlMs: 5 * 60_000,
        intervalMs: env.ESCALATION_SWEEP_MS,
        work: () => services.inspections.completeStalled(STALLED_AFTER_MS),
        onError: (err) => logger.error({ err }, 'completing stalled inspections failed'),
      });
      return [
        { name: 'stalled inspection recovery', stop: () => recovery.stop() },
        { name: 'index rebuild and reconcile', stop: () => Promise.all([reconcile.stop(), rebuilding]) },
        { name: 'registry projection', stop: () => registry.stop() },
        { name: 'inbound hazards', stop: () => inbound.stop() },
        { name: 'inspection schedules', stop: () => Promise.all([supervision.stop(), resuming]) },
        { name: 'escalation sweep', stop: () => scheduler.stop() },
      ];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
