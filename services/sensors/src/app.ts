import type { TimeWindow } from './domain/readings.ts';
import { registryLookup } from '@firegov/registry';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Publisher } from '@firegov/events';
import type { Express } from 'express';
import type { SensorsEnv } from './env.ts';
import { oauthRouter } from './http/oauth.ts';
import { telemetryRouter } from './http/telemetry.ts';
import { createGraphContext, type Services } from './schema/context.ts';
import { sensorsPolicy } from './policy.ts';
import { sensorsSubgraphSchema } from './schema/index.ts';
import { alarmFeed } from './service/alarm-feed.ts';
import { alarmService } from './service/alarms.ts';
import { deviceService } from './service/devices.ts';
import { deviceDirectory } from './service/directory.ts';
import { readingEvaluator } from './service/evaluator.ts';
import { gatewayCache, gatewayService } from './service/gateways.ts';
import { gatewayTokens } from './service/gateway-tokens.ts';
import { healthReport } from './service/health-report.ts';
import { ingestService } from './service/ingest.ts';
import { profileBook } from './service/profiles.ts';
import { readingHistory } from './service/reading-hours.ts';
import { LOW_BATTERY_PERCENT } from './domain/health.ts';
import { alarmCounts, type AlarmCounts } from './store/alarm-counts.ts';
import { healthCounts, type HealthCounts } from './store/health-counts.ts';
import type { SensorsModels } from './store/models.ts';

export type SensorsAppEnv = Pick<
  SensorsEnv,
  | 'GATEWAY_TOKEN_SECRET'
  | 'GATEWAY_TOKEN_TTL_S'
  | 'INGEST_RATE_LIMIT_PER_MINUTE'
  | 'READING_MAX_AGE_HOURS'
  | 'READING_MAX_SKEW_SECONDS'
  | 'DEVICE_CACHE_TTL_MS'
  | 'READING_CHECKPOINT_MS'
  | 'REDIS_KEY_PREFIX'
>;

export interface SensorsAppDeps extends ServiceAppDeps<SensorsModels> {
  publisher: Publisher;
  env: SensorsAppEnv;
}

export interface SensorsServices extends Services {
  ingest: ReturnType<typeof ingestService>;
  directory: ReturnType<typeof deviceDirectory>;
  evaluator: ReturnType<typeof readingEvaluator>;
  healthCounts: HealthCounts;
  alarmCounts: AlarmCounts;
}

/** Builds the service without listening, so tests can start it on port 0. */
/** The time window readings must fall in (REST refuses outside it; the UITD adapter takes the time of receipt). */
export const readingWindow = (env: Pick<SensorsAppEnv, 'READING_MAX_AGE_HOURS' | 'READING_MAX_SKEW_SECONDS'>): TimeWindow => ({
  maxAgeMs: env.READING_MAX_AGE_HOURS * 3_600_000,
  maxSkewMs: env.READING_MAX_SKEW_SECONDS * 1000,
});

export function createSensorsApp(deps: SensorsAppDeps): {
  app: Express;
  services: SensorsServices;
  closeReadiness: () => Promise<void>;
} {
  const now = deps.now ?? (() => new Date());
  const { models, relay, env } = deps;
  const directory = deviceDirectory({ models, ttlMs: env.DEVICE_CACHE_TTL_MS, now: () => now().getTime() });
  // The online rate's counts depend on the profiles' low-battery levels, and a change of one recounts.
  const profiles = profileBook({
    models,
    relay,
    now,
    ttlMs: env.DEVICE_CACHE_TTL_MS,
    lowBatteryChanged: () => counts.rebuild(),
  });
  const counts = healthCounts({
    models,
    redis: deps.redis,
    keyPrefix: env.REDIS_KEY_PREFIX,
    logger: deps.logger,
    lowBatteryLevel: async (kind) => (await profiles.get(kind)).lowBatteryPercent ?? LOW_BATTERY_PERCENT,
  });
  const alarmTallies = alarmCounts({ models, redis: deps.redis, keyPrefix: env.REDIS_KEY_PREFIX, logger: deps.logger });
  const gatewayDirectory = gatewayCache(models);
  const gateways = gatewayService({ models, now }, gatewayDirectory);
  const tokens = gatewayTokens({
    gateways: gatewayDirectory,
    now,
    secret: env.GATEWAY_TOKEN_SECRET,
    ttlS: env.GATEWAY_TOKEN_TTL_S,
  });
  const devices = deviceService({
    models,
    registry: registryLookup(models),
    relay,
    now,
    changed: async (id) => {
      directory.forget(id);
      await counts.record([id]);
    },
  });
  const ingest = ingestService({
    directory,
    publisher: deps.publisher,
    now,
    window: readingWindow(env),
  });
  const services: SensorsServices = {
    devices,
    alarms: alarmService({ models, relay, now, counts: alarmTallies }),
    profiles,
    readings: readingHistory(models),
    health: healthReport(models, profiles, counts),
    healthCounts: counts,
    alarmCounts: alarmTallies,
    gateways,
    feed: alarmFeed(),
    now,
    ingest,
    directory,
    evaluator: readingEvaluator({
      models,
      profiles,
      relay,
      logger: deps.logger,
      checkpointMs: env.READING_CHECKPOINT_MS,
      counted: (ids) => counts.record(ids),
      alarmsCounted: (ids) => alarmTallies.record(ids),
    }),
  };
  const { app, close } = createServiceApp({
    ...deps,
    routes: [
      oauthRouter({ tokens, redis: deps.redis, logger: deps.logger, keyPrefix: env.REDIS_KEY_PREFIX }),
      telemetryRouter({
        tokens,
        ingest,
        devices,
        redis: deps.redis,
        logger: deps.logger,
        perMinute: env.INGEST_RATE_LIMIT_PER_MINUTE,
        keyPrefix: env.REDIS_KEY_PREFIX,
      }),
    ],
    subgraph: {
      schema: sensorsSubgraphSchema(),
      policy: sensorsPolicy,
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
    },
  });
  return { app, services, closeReadiness: close };
}
