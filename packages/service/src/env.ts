import { authEnvShape } from '@firegov/auth';
import { envFragments, loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/**
 * The environment every service and its offline tools read, with the defaults of the named service: the store database
 * `firegov_<name>` and the Redis prefix `firegov:<name>:`. A service adds its own entries with
 * `.extend({...})`; the result stays the one zod env module of the process.
 */
export function serviceToolEnvSchema(o: { name: string; port: number }) {
  return z.object({
    ...envFragments.common,
    ...envFragments.http,
    ...envFragments.kafka,
    ...envFragments.mongo,
    ...envFragments.redis,
    ...envFragments.telemetry,
    PORT: envFragments.http.PORT.default(o.port),
    MONGO_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 characters of A-Z a-z 0-9 _ -')
      .default(`firegov_${o.name}`),
    /** How often the relay looks for outbox entries a crashed writer left behind. */
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    /** Prefix of every Redis key this service writes (read models, locks, rate limits). */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -')
      .default(`firegov:${o.name}:`),
    /** Express `trust proxy`: set when a reverse proxy supplies X-Forwarded-For (rate limits key on the client address). */
    TRUST_PROXY: flag,
  });
}

/**
 * The same with where callers' tokens are verified: the identity service's issuer and JWKS
 * (AUTH_ISSUER, AUTH_JWKS_URL, AUTH_AUDIENCE). No secret: a service cannot sign a user's token.
 */
export const serviceEnvSchema = (o: { name: string; port: number }) => serviceToolEnvSchema(o).extend(authEnvShape);

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnvSchema>>;

/**
 * The env module of one service: the shared entries with its defaults plus its own (`extra`), the
 * loader of the process (`load`) and of its offline tools (`loadTool`: tools that rebuild read
 * models need the store, Redis and Kafka, not the token issuer).
 */
export function serviceEnv<X extends z.ZodRawShape>(o: { name: string; port: number }, extra: X) {
  const toolSchema = serviceToolEnvSchema(o).extend(extra);
  const schema = toolSchema.extend(authEnvShape);
  return {
    schema,
    toolSchema,
    load: (source?: Record<string, string | undefined>): z.infer<typeof schema> => loadEnvOrExit(schema, source),
    loadTool: (source?: Record<string, string | undefined>): z.infer<typeof toolSchema> => loadEnvOrExit(toolSchema, source),
  };
}
