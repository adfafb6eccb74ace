import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// The only place the stack scripts read process.env: every knob of the local stack, validated
// together so a typo in one port does not surface as a confusing failure three steps later.
const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  FIREGOV_CACHE: z
    .string()
    .min(1)
    .default(path.join(os.homedir(), '.cache', 'firegov')),
  FIREGOV_DATA: z.string().min(1).optional(),
  STACK_KAFKA_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default('4.1.1'),
  STACK_KAFKA_PORT: port.default(9092),
  STACK_KAFKA_CONTROLLER_PORT: port.default(9093),
  STACK_KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/)
    .default('768m'),
  STACK_KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(64).default(3),
  STACK_FERRETDB_VERSION: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .default('v1.24.2'),
  STACK_MONGO_PORT: port.default(27017),
  STACK_REDIS_PORT: port.default(6379),
  STACK_JAEGER_VERSION: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .default('v1.76.0'),
  STACK_JAEGER_UI_PORT: port.default(16686),
  STACK_OTLP_HTTP_PORT: port.default(4318),
  STACK_OTLP_GRPC_PORT: port.default(4317),
  // Jaeger is for operators reading traces; tests do not need it, so `stack up` skips it
  // unless asked (`npm start` asks). Building it from source takes minutes on a fresh machine.
  STACK_JAEGER: z.enum(['0', '1']).default('0'),
  STACK_PROMETHEUS_VERSION: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .default('v0.316.0'),
  STACK_PROMETHEUS_PORT: port.default(9090),
  // Prometheus scrapes the services' /metrics for operators (alerts in infra/prometheus/); like
  // Jaeger, `npm start` asks for it and `stack up` (tests) does not.
  STACK_PROMETHEUS: z.enum(['0', '1']).default('0'),
  // The operators' dashboard `npm start` runs once Prometheus answers (infra/dashboard/README.md).
  STACK_DASHBOARD_PORT: port.default(9091),
  // The services' scrape token when they were given one (METRICS_TOKEN): Prometheus sends it.
  METRICS_TOKEN: z.string().min(16).optional(),
  STACK_READY_TIMEOUT_S: z.coerce.number().int().min(5).max(600).default(120),
  // `stack up` with STACK_JAEGER=1 waits this long for Jaeger (its first build) before going on
  // without it; `npm start` never waits and starts Jaeger whenever its build is done.
  STACK_JAEGER_WAIT_S: z.coerce.number().int().min(0).max(7200).default(1200),
  // How often a long step (a build, a download, demo loading) says it is still at work.
  STACK_HEARTBEAT_S: z.coerce.number().min(0.2).max(600).default(15),
});

export type StackEnv = z.infer<typeof schema> & { dataDir: string; repoRoot: string };

export function loadStackEnv(repoRoot: string, source: NodeJS.ProcessEnv = process.env): StackEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    console.error(`[stack] invalid environment:\n${lines.join('\n')}`);
    process.exit(2);
  }
  const env = parsed.data;
  return { ...env, repoRoot, dataDir: env.FIREGOV_DATA ?? path.join(repoRoot, '.data') };
}

/** Environment for a child process: this process's environment plus `overrides`. */
export function childEnv(overrides: Record<string, string>, source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...source, ...overrides };
}

/** DEMO_UNITS for `npm start` (validated where it is used, together with `--units`). */
export function demoUnitsSetting(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return source.DEMO_UNITS || undefined;
}

/**
 * DEVELOPMENT ONLY. The seed `npm start` derives every development secret from (the demo clients'
 * secrets, AGENCY_TOKEN_SECRET, GATEWAY_TOKEN_SECRET, cookie keys: `Derive` in services.ts), so a
 * restart finds the demo data it loaded before. It is public (it is in git) and never given to a
 * process: no service or gateway can sign a user's token with it. Its value is the old development
 * JWT secret's, so demo clients already stored keep their secrets.
 */
export const DEV_SEED = 'firegov-dev-only-jwt-secret-NOT-FOR-PRODUCTION-0';

/** DEV_SEED given to `npm start` (at least 32 characters), else the public development seed. */
export function devSeed(source: NodeJS.ProcessEnv = process.env): string {
  const s = source.DEV_SEED;
  return s && s.length >= 32 ? s : DEV_SEED;
}
