import { envFragments, loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

const code12 = z.string().regex(/^\d{12}$/, 'must be a 12-digit division code');

export const inspectionsEnvSchema = z.object({
  ...envFragments.common,
  ...envFragments.http,
  ...envFragments.kafka,
  ...envFragments.mongo,
  ...envFragments.redis,
  ...envFragments.telemetry,
  PORT: envFragments.http.PORT.default(4002),
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 characters of A-Z a-z 0-9 _ -')
    .default('firegov_inspections'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (the gateway and every subgraph share it)'),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Prefix of every Redis key this service writes (indexes, locks, rate limits). */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/)
    .default('firegov:inspections:'),
  ESCALATION_SWEEP_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  ESCALATION_TOWNSHIP_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  ESCALATION_COUNTY_AFTER_DAYS: z.coerce.number().int().min(2).max(730).default(30),
  ESCALATION_REMINDER_EVERY_DAYS: z.coerce.number().int().min(1).max(90).default(3),
  /** How often one replica recomputes the Redis indexes from the store (repairs any drift). */
  INDEX_RECONCILE_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(24),
  /** Public report endpoint: requests per client address per minute. */
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The county this deployment serves: seed campaigns run there, and public reports naming no jurisdiction_id go to its queue. */
  HOME_JURISDICTION: code12.default('500230000000'),
  /** Express `trust proxy`: set when a reverse proxy supplies X-Forwarded-For (the rate limit keys on the client address). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type InspectionsEnv = z.infer<typeof inspectionsEnvSchema>;

export const loadInspectionsEnv = (source?: Record<string, string | undefined>): InspectionsEnv =>
  loadEnvOrExit(inspectionsEnvSchema, source);

/** Offline tools (rebuilding read models) need the store, Redis and Kafka, not the signing secret. */
export const inspectionsToolEnvSchema = inspectionsEnvSchema.omit({ JWT_SECRET: true });
export const loadInspectionsToolEnv = (source?: Record<string, string | undefined>) =>
  loadEnvOrExit(inspectionsToolEnvSchema, source);
