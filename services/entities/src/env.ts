import { envFragments, loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

export const entitiesEnvSchema = z.object({
  ...envFragments.common,
  ...envFragments.http,
  ...envFragments.kafka,
  ...envFragments.mongo,
  ...envFragments.redis,
  ...envFragments.telemetry,
  PORT: envFragments.http.PORT.default(4001),
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 characters of A-Z a-z 0-9 _ -')
    .default('firegov_entities'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (the gateway and every subgraph share it)'),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Prefix of every Redis key this service writes (the village-summary counts). */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -')
    .default('firegov:entities:'),
  /** How often one replica recomputes the village counts from the store (repairs any drift). */
  COUNTS_RECONCILE_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(24),
});

export type EntitiesEnv = z.infer<typeof entitiesEnvSchema>;

export const loadEntitiesEnv = (source?: Record<string, string | undefined>): EntitiesEnv =>
  loadEnvOrExit(entitiesEnvSchema, source);

/** Offline tools (rebuilding read models) need the store, Redis and Kafka, not the signing secret. */
export const entitiesToolEnvSchema = entitiesEnvSchema.omit({ JWT_SECRET: true });
export const loadEntitiesToolEnv = (source?: Record<string, string | undefined>) => loadEnvOrExit(entitiesToolEnvSchema, source);
