import { z } from 'zod';

// Every process reads its configuration through parseEnv, once, at start-up. A bad or missing
// variable is reported together with every other one, so an operator fixes them in one pass.

export class EnvError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid environment:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'EnvError';
    this.issues = issues;
  }
}

export function describeEnvIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(root)';
    return `${name}: ${issue.message}`;
  });
}

/** Parses `source` with `schema`; throws EnvError listing every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (!result.success) throw new EnvError(describeEnvIssues(result.error));
  return result.data;
}

/** parseEnv for a process entry point: prints every bad variable and exits with status 78 (EX_CONFIG). */
export function loadEnvOrExit<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  try {
    return parseEnv(schema, source);
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

// Shared fragments: each service composes its env module from these plus its own variables.

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with scheme ${protocols.join(' or ')}`,
  );

export const envFragments = {
  common: {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  },
  http: {
    PORT: z.coerce.number().int().min(0).max(65535).default(0),
    HOST: z.string().min(1).default('127.0.0.1'),
  },
  kafka: {
    KAFKA_BROKERS: z
      .string()
      .default('127.0.0.1:9092')
      .transform((v) => v.split(',').map((b) => b.trim()))
      .refine(
        (list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
        'must be a comma-separated list of host:port',
      ),
    KAFKA_CLIENT_ID: z.string().min(1).optional(),
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[a-z0-9._-]*$/, 'may contain only a-z 0-9 . _ -')
      .default(''),
  },
  mongo: {
    MONGO_URL: url(['mongodb:', 'mongodb+srv:']).default('mongodb://127.0.0.1:27017'),
    MONGO_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 characters of A-Z a-z 0-9 _ -')
      .optional(),
  },
  redis: {
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  },
  telemetry: {
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
    /** When set, `GET /metrics` answers only `Authorization: Bearer <token>` (Prometheus' `authorization` scrape setting). */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  },
} as const;
