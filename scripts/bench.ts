// `npm run bench`: every benchmark against a baseline measured in the same run, printed as ratios.
// Figures depend on the machine; README and issue notes quote them with their conditions.
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { envFragments, parseEnv } from '@firegov/kit';
import { z } from 'zod';
import { loadStackEnv } from '../infra/src/env.ts';
import { down, isUp, up } from '../infra/src/stack.ts';
import { runEventsBench, type BenchRow } from '../packages/events/bench/events.bench.ts';
import { runEntitiesBench } from '../services/entities/bench/entities.bench.ts';
import { runPersonalDataBench } from '../services/entities/bench/personal-data.bench.ts';
import { runInspectionsBench } from '../services/inspections/bench/inspections.bench.ts';
import { runAssessmentBench } from '../services/assessment/bench/assessment.bench.ts';
import { runExamDayBench } from '../services/training/bench/exam-day.bench.ts';
import { runSensorsIngestBench } from '../services/sensors/bench/ingest.bench.ts';
import { runDashboardBench } from '../load-tests/dashboard.bench.ts';
import { runEntitiesGatewayBench } from '../load-tests/entities-gateway.bench.ts';
import { runInspectionsGatewayBench } from '../load-tests/inspections-gateway.bench.ts';
import { writeCapacityReport } from '../load-tests/capacity/measure.ts';
import { devSeed } from '../infra/src/env.ts';
import { clientCredentialsToken } from '../infra/src/platform.ts';
import { demoPlatformClientSecret, PLATFORM_SERVICES, type Derive } from '../infra/src/services.ts';

/** "1000,4000,12000": a comma-separated list of positive whole numbers. */
const countList = z
  .string()
  .transform((s) => s.split(',').map((x) => Number(x.trim())))
  .pipe(z.array(z.number().int().min(1).max(1_000_000)).min(1).max(12));

const env = parseEnv(
  z.object({
    KAFKA_BROKERS: envFragments.kafka.KAFKA_BROKERS,
    MONGO_URL: envFragments.mongo.MONGO_URL,
    REDIS_URL: envFragments.redis.REDIS_URL,
    BENCH_ONLY: z
      .enum([
        'all',
        'events',
        'entities',
        'entities-gateway',
        'personal-data',
        'inspections',
        'inspections-gateway',
        'assessment',
        'training',
        'sensors',
        'dashboard',
      ])
      .default('all'),
    /** The running platform (`npm start`) the dashboard bench queries. */
    BENCH_GATEWAY_URL: z.url().default('http://127.0.0.1:4000/graphql'),
    BENCH_REPS: z.coerce.number().int().min(3).max(101).default(7),
    BENCH_HAZARDS: z.coerce.number().int().min(1000).max(1_000_000).default(100_000),
    BENCH_STORE_UNITS: z.coerce.number().int().min(1000).max(1_000_000).default(100_000),
    /** Units of the demo county whose inspection history the overdue-queue load test reads. */
    BENCH_QUEUE_UNITS: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
    BENCH_REGISTER_UNITS: z.coerce.number().int().min(100).max(100_000).default(5000),
    BENCH_DURATION_S: z.coerce.number().int().min(2).max(600).default(15),
    BENCH_LIST_LOAD: z.enum(['0', '1']).default('1'),
    /** entities-gateway: GATEWAY_WORKERS of the gateway under test. */
    BENCH_GATEWAY_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
    BENCH_N: z.coerce.number().int().min(100).max(1_000_000).default(5000),
    BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
    /** Examinees of the training exam-day bench, each answering a 50-question paper. */
    BENCH_EXAMINEES: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** Sensors ingest: devices registered, readings per request, concurrent gateway clients, seconds of load. */
    BENCH_SENSORS_DEVICES: z.coerce.number().int().min(10).max(100_000).default(2000),
    BENCH_SENSORS_BATCH: z.coerce.number().int().min(1).max(1000).default(500),
    BENCH_SENSORS_CLIENTS: z.coerce.number().int().min(1).max(64).default(8),
    BENCH_SENSORS_DURATION_S: z.coerce.number().int().min(2).max(600).default(20),
    BENCH_SENSORS_PACED_RATE: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
    /** `debug` prints the sensors evaluator's checkpoint timings. */
    BENCH_LOG_LEVEL: z.enum(['warn', 'debug']).default('warn'),
    /** `--report`: registry sizes (each loaded fresh), the client steps of the concurrency sweep, seconds per step. */
    BENCH_REPORT_SIZES: countList.default([1000, 4000, 12_000]),
    BENCH_REPORT_CLIENTS: countList.default([1, 2, 5, 10, 20, 50]),
    BENCH_REPORT_DURATION_S: z.coerce.number().int().min(2).max(120).default(4),
  }),
);
// `npm run bench -- --report`: the capacity report (docs/capacity.md) instead of the benchmarks.
const { values: flags } = parseArgs({ options: { report: { type: 'boolean', default: false } } });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stackEnv = loadStackEnv(root);

function print(rows: BenchRow[]): void {
  const fmt = (n: number) => n.toFixed(0).padStart(8);
  process.stdout.write(`\n${'benchmark'.padEnd(44)} ${'ops/s'.padStart(8)} ${'baseline'.padStart(8)}  ratio  baseline is\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.name.padEnd(44)} ${fmt(r.opsPerSec)} ${fmt(r.baselineOpsPerSec)}  ${(r.opsPerSec / r.baselineOpsPerSec).toFixed(2).padStart(5)}  ${r.baseline} (n=${r.n})\n`,
    );
  }
}

async function main(): Promise<void> {
  const wasUp = await isUp(stackEnv);
  if (!wasUp) await up(stackEnv);
  try {
    if (flags.report) {
      const file = await writeCapacityReport({
        repoRoot: root,
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        sizes: env.BENCH_REPORT_SIZES,
        clients: env.BENCH_REPORT_CLIENTS,
        sizeClients: 20,
        durationS: env.BENCH_REPORT_DURATION_S,
      });
      process.stdout.write(`capacity report written to ${path.relative(root, file)} (plots and figures in docs/capacity/)\n`);
      return;
    }
    process.stdout.write(
      `node ${process.version}, ${os.cpus().length} cpus, n=${env.BENCH_N}, concurrency=${env.BENCH_CONCURRENCY}\n`,
    );
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'events') {
      print(
        await runEventsBench({
          brokers: env.KAFKA_BROKERS,
          mongoUrl: env.MONGO_URL,
          n: env.BENCH_N,
          concurrency: env.BENCH_CONCURRENCY,
        }),
      );
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'entities') {
      const lines = await runEntitiesBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        registerUnits: env.BENCH_REGISTER_UNITS,
      });
      process.stdout.write(`\nentities:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'personal-data') {
      const lines = await runPersonalDataBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        units: 500,
        connections: 10,
        durationS: env.BENCH_DURATION_S,
      });
      process.stdout.write(`\npersonal data audit:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'entities-gateway') {
      const lines = await runEntitiesGatewayBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        storeUnits: env.BENCH_STORE_UNITS,
        concurrency: 20,
        durationS: env.BENCH_DURATION_S,
        listLoad: env.BENCH_LIST_LOAD === '1',
        gatewayWorkers: env.BENCH_GATEWAY_WORKERS,
      });
      process.stdout.write(
        `\nentities through the gateway (20 concurrent clients, ${env.BENCH_GATEWAY_WORKERS} gateway worker(s)):\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
      );
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'inspections') {
      const lines = await runInspectionsBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        hazards: env.BENCH_HAZARDS,
        overdueShare: 0.1,
      });
      process.stdout.write(`\ninspections:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'inspections-gateway') {
      const lines = await runInspectionsGatewayBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        units: env.BENCH_QUEUE_UNITS,
        concurrency: 20,
        durationS: env.BENCH_DURATION_S,
      });
      process.stdout.write(`\ninspections through the gateway:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'assessment') {
      const lines = await runAssessmentBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        concurrency: 50,
        durationS: env.BENCH_DURATION_S,
      });
      process.stdout.write(`\nassessment:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'training') {
      const lines = await runExamDayBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        examinees: env.BENCH_EXAMINEES,
        concurrency: env.BENCH_CONCURRENCY,
      });
      process.stdout.write(`\ntraining (exam day):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    if (env.BENCH_ONLY === 'all' || env.BENCH_ONLY === 'sensors') {
      const lines = await runSensorsIngestBench({
        brokers: env.KAFKA_BROKERS,
        mongoUrl: env.MONGO_URL,
        redisUrl: env.REDIS_URL,
        devices: env.BENCH_SENSORS_DEVICES,
        batch: env.BENCH_SENSORS_BATCH,
        clients: env.BENCH_SENSORS_CLIENTS,
        durationS: env.BENCH_SENSORS_DURATION_S,
        pacedRate: env.BENCH_SENSORS_PACED_RATE,
        logLevel: env.BENCH_LOG_LEVEL,
      });
      process.stdout.write(`\nsensors (ingest, end to end):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
    // The dashboard as `npm start` serves it: only when asked, or in `all` when a platform answers.
    const platformUp = await fetch(env.BENCH_GATEWAY_URL.replace(/\/graphql$/, '/readyz')).then(
      (r) => r.ok,
      () => false,
    );
    if (env.BENCH_ONLY === 'dashboard' || (env.BENCH_ONLY === 'all' && platformUp)) {
      const origin = new URL(env.BENCH_GATEWAY_URL);
      const lines = await runDashboardBench({
        gatewayUrl: env.BENCH_GATEWAY_URL,
        subgraphs: {
          entities: `http://${origin.hostname}:4001/graphql`,
          inspections: `http://${origin.hostname}:4002/graphql`,
          sensors: `http://${origin.hostname}:4004/graphql`,
          training: `http://${origin.hostname}:4005/graphql`,
        },
        token: await demoPlatformToken(origin.hostname),
        reps: env.BENCH_REPS,
      });
      process.stdout.write(
        `\ndashboard (one request at a time, median of ${env.BENCH_REPS}):\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
      );
    }
  } finally {
    if (!wasUp) await down(stackEnv);
  }
}

// Exit through 'exit' handlers on Ctrl-C or SIGTERM, so processes a bench started are stopped too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

/**
 * The demo county platform client's token from the running identity service (client credentials):
 * users' tokens come only from it. Its secret is derived from the development seed as `npm start` does.
 */
async function demoPlatformToken(host: string): Promise<string> {
  const seed = devSeed();
  const derive: Derive = (label, bytes = 32) => createHash('sha256').update(`${label}\u0000${seed}`).digest().subarray(0, bytes);
  const port = PLATFORM_SERVICES.find((s) => s.name === 'identity')?.port ?? 4006;
  const { token } = await clientCredentialsToken(`http://${host}:${port}`, 'pc_demo_county', demoPlatformClientSecret(derive));
  return token;
}
