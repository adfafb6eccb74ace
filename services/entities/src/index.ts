import { telemetry } from './instrument.ts';
import { startLeasedInterval } from '@firegov/kit';
import { tokenVerification } from '@firegov/auth';
import { runService } from '@firegov/service';
import { createEntitiesApp } from './app.ts';
import { startDutyHazardConsumer } from './events/inbound/duty-hazards.ts';
import { startFireTeamTrainingConsumer } from './events/inbound/fire-team-training.ts';
import { startPersonalDataTrailConsumer } from './events/inbound/personal-data-reads.ts';
import { startRiskSignalConsumer } from './events/inbound/risk-signals.ts';
import { signalSources } from './events/inbound/sources.ts';
import { env } from './runtime-env.ts';
import { entitiesStore } from './runtime.ts';
import { startUnitReadModels } from './store/read-models.ts';

await runService({
  store: entitiesStore,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, services, counts, index, duty, trail, closeReadiness } = createEntitiesApp({
      ...rt,
      logger,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      redisPrefix: env.REDIS_KEY_PREFIX,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
      listEscalation: { noticeAfterDays: env.LIST_NOTICE_AFTER_DAYS, interviewAfterDays: env.LIST_INTERVIEW_AFTER_DAYS },
    });
    const startWorkers = async () => {
      const readModels = startUnitReadModels({
        counts,
        index,
        duty,
        models: rt.models,
        redis: rt.redis,
        logger,
        reconcileEveryMs: env.COUNTS_RECONCILE_HOURS * 3_600_000,
      });
      const risk = await startRiskSignalConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        units: services.units,
        sources: signalSources,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      const teamTraining = await startFireTeamTrainingConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        registry: services.registry,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      const dutyHazards = await startDutyHazardConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        duty,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      await trail.rebuildIfLost();
      const personalDataTrail = await startPersonalDataTrailConsumer({
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        trail,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      const listEscalation = startLeasedInterval({
        redis: rt.redis,
        leaseKey: `${env.REDIS_KEY_PREFIX}lists:escalation:lease`,
        leaseTtlMs: 10 * 60_000,
        intervalMs: env.LIST_ESCALATION_SWEEP_MINUTES * 60_000,
        work: () => services.registry.sweepResponsibilities(),
        onError: (err) => logger.error({ err }, 'responsibility sweep (通报/约谈, sessions, warnings) failed'),
      });
      return [
        { name: 'list escalation', stop: () => listEscalation.stop() },
        { name: 'unit read models', stop: () => readModels.stop() },
        { name: 'risk signal consumer', stop: async () => risk?.stop() },
        { name: 'fire-team training consumer', stop: () => teamTraining.stop() },
        { name: '考核 hazard tallies consumer', stop: () => dutyHazards.stop() },
        { name: 'personal data trail consumer', stop: () => personalDataTrail.stop() },
      ];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
