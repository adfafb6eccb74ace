// The platform's own processes for a load test: services (`node services/<name>/src/index.ts`), their
// demo loaders as data fill, and the gateway composing from the running subgraphs, each in a
// database, topic prefix and Redis prefix of this run. Nothing here imports a service's or the
// gateway's source: a load test sees the platform as a deployment does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createKafka } from '@firegov/events';
import { connectMongo, connectRedis, createLogger } from '@firegov/kit';
import type { Identity } from '@firegov/auth';
import { freePort, startTestIssuer } from '@firegov/testing';
import { PLATFORM_SERVICES, type Derive, type PlatformService } from '../../infra/src/services.ts';

export type ServiceName = 'entities' | 'inspections' | 'assessment';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

export interface LoadPlatformOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Started in this order; with `demoUnits`, each one's demo loader (infra's catalogue) runs right after it starts. */
  services: ServiceName[];
  /** Units of the synthetic demo county to load (entities), and to wait for before loading history (inspections). */
  demoUnits: number;
  gateway: boolean;
  /** GATEWAY_WORKERS of the gateway (default 1, as `npm start` runs it). */
  gatewayWorkers?: number;
  /** Each process's output is appended to `<logDir>/<name>.log` (at info level); otherwise only its last lines are kept, for errors. */
  logDir?: string;
  /** Extra environment for one service (e.g. a longer outbox sweep). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** A process of the platform: a service or the gateway. */
export type ProcessName = ServiceName | 'gateway';

export interface LoadPlatform {
  /**
   * A user's token for this run: signed by the run's test issuer, whose JWKS every process verifies
   * against (no process holds a signing key).
   */
  signToken(identity: Identity): Promise<string>;
  /** The development secrets of this run (e.g. the demo agency's client secret), as `npm start` derives them. */
  derive: Derive;
  /** The database of a service in this run. */
  dbName(service: ServiceName): string;
  /** Every topic of this run starts with it. */
  topicPrefix: string;
  /** SIGKILL: the process dies mid-work, as in a crash or an OOM kill. */
  kill(name: ProcessName): Promise<void>;
  /**
   * Starts the process again with its environment, plus `env` when given (a running one is stopped
   * first), and resolves when it is ready.
   */
  restart(name: ProcessName, env?: Record<string, string>): Promise<void>;
  /** The processes that exited on their own since the start (a restart does not clear them). */
  died(): readonly Death[];
  /** `http://127.0.0.1:<port>` of a started service. */
  url(service: ServiceName): string;
  /** `http://127.0.0.1:<port>` of the gateway (when asked for). */
  gatewayUrl: string | undefined;
  stop(): Promise<void>;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

// An interrupted bench (Ctrl-C, a timeout: scripts/bench.ts exits through 'exit') must not leave a
// service or the gateway running.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function spawnNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile?: string,
): { child: ChildProcess; tail: () => string } {
  const child = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (logFile) {
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', (code, signal) => log.end(`--- exited (${signal ?? code})\n`));
  }
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, tail: () => lines.join('\n') };
}

interface Started {
  /** SIGTERM, then SIGKILL after the grace; resolves when the process has exited. */
  stop: () => Promise<void>;
  /** SIGKILL at once (the fault drill's crash); resolves when the process has exited. */
  kill: () => Promise<void>;
}

/** A process that exited while nobody was stopping it: a crash the fault drill must not miss. */
interface Death {
  name: string;
  how: string;
}

async function startProcess(
  name: string,
  script: string,
  port: number,
  env: NodeJS.ProcessEnv,
  watch: { logFile: string | undefined; died: Death[] },
): Promise<Started> {
  const { logFile, died } = watch;
  const { child, tail } = spawnNode(script, [], env, logFile);
  let stopping = false;
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) died.push({ name, how: signal ?? `exit code ${code}` });
  });
  const stop = async () => {
    stopping = true;
    if (ended()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const kill = async () => {
    stopping = true;
    if (ended()) return;
    child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${tail()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { stop, kill };
    await sleep(250);
  }
  await stop();
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${tail()}`);
}

async function runToEnd(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { child, tail } = spawnNode(script, args, env);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${tail()}`);
}

/** The platform's catalogue entry of a service: its development secrets and demo loader. */
function catalogue(name: ServiceName): PlatformService {
  const svc = PLATFORM_SERVICES.find((s) => s.name === name);
  if (!svc) throw new Error(`${name} is not in infra/src/services.ts`);
  return svc;
}

export async function startLoadPlatform(o: LoadPlatformOptions): Promise<LoadPlatform> {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dbName = (s: ServiceName) => `bench_${stamp}_${s}`;
  const topicPrefix = `bench.${stamp}.`;
  const redisPrefix = `bench:${stamp}:`;
  // The run's development seed: its development secrets are derived from it as `npm start` derives
  // them (infra's dev seed); it is never given to a process.
  const devSeed = randomBytes(32).toString('hex');
  const derive: Derive = (label, bytes = 32) =>
    createHash('sha256').update(`${label}\u0000${devSeed}`).digest().subarray(0, bytes);
  // Stands in for the identity service: users' tokens of this run, verified over its JWKS.
  const issuer = await startTestIssuer();
  const urls = new Map<ServiceName, string>();
  // In start order; each entry can start its process again (the fault drill's restart).
  const running = new Map<ProcessName, { current: Started; launch: (env?: Record<string, string>) => Promise<Started> }>();
  const launch = async (name: ProcessName, start: (env?: Record<string, string>) => Promise<Started>) => {
    running.set(name, { current: await start(), launch: start });
  };
  let gatewayUrl: string | undefined;
  const common = {
    KAFKA_BROKERS: o.brokers.join(','),
    MONGO_URL: o.mongoUrl,
    REDIS_URL: o.redisUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    ...issuer.env,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning',
  };

  // This platform's processes that died on their own (a restart does not clear them).
  const died: Death[] = [];
  const logTo = (name: ProcessName) => (o.logDir ? path.join(o.logDir, `${name}.log`) : undefined);
  const logLevel = o.logDir ? { LOG_LEVEL: 'info' } : {};
  if (o.logDir) fs.mkdirSync(o.logDir, { recursive: true });
  const stop = async () => {
    for (const r of [...running.values()].reverse()) await r.current.stop();
    await issuer.close();
    const logger = createLogger({ service: 'bench', level: 'warn' });
    for (const name of urls.keys()) {
      const conn = await connectMongo(o.mongoUrl, dbName(name));
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    }
    const redis = await connectRedis(o.redisUrl);
    const keys = await redis.keys(`${redisPrefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
    redis.disconnect();
    const admin = createKafka({ brokers: o.brokers, clientId: 'bench-cleanup', logger }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  };

  try {
    for (const name of o.services) {
      const port = await freePort();
      const env = {
        ...process.env,
        ...common,
        PORT: String(port),
        MONGO_DB: dbName(name),
        REDIS_KEY_PREFIX: `${redisPrefix}${name}:`,
        ...logLevel,
        ...catalogue(name).devEnv?.(derive),
        ...o.serviceEnv?.[name],
      };
      progress(`starting ${name}`);
      await launch(name, (extra) =>
        startProcess(
          name,
          path.join('services', name, 'src', 'index.ts'),
          port,
          { ...env, ...extra },
          { logFile: logTo(name), died },
        ),
      );
      urls.set(name, `http://127.0.0.1:${port}`);
      const demo = catalogue(name).demo;
      if (o.demoUnits > 0 && demo) {
        progress(`${name}: loading ${demo.what(o.demoUnits)} through its demo loader`);
        const t0 = Date.now();
        await runToEnd(`${name} demo loader`, demo.script, [String(o.demoUnits)], {
          ...env,
          ...demo.env?.(derive),
          LOG_LEVEL: 'warn',
        });
        progress(`${name}: demo data loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
    if (o.gateway) {
      const port = await freePort();
      progress('starting the gateway (composing from the running subgraphs)');
      await launch('gateway', (extra) =>
        startProcess(
          'gateway',
          path.join('gateway', 'src', 'index.ts'),
          port,
          {
            ...process.env,
            ...common,
            ...logLevel,
            GATEWAY_PORT: String(port),
            SUBGRAPHS: [...urls].map(([name, url]) => `${name}=${url}/graphql`).join(','),
            // No file there: the gateway composes from the live subgraphs at start.
            SUPERGRAPH_PATH: path.join(os.tmpdir(), `bench-${stamp}-supergraph.graphql`),
            RATE_LIMIT_PER_MINUTE: '0',
            UPSTREAM_TIMEOUT_MS: '120000',
            GATEWAY_WORKERS: String(o.gatewayWorkers ?? 1),
            ...extra,
          },
          { logFile: logTo('gateway'), died },
        ),
      );
      gatewayUrl = `http://127.0.0.1:${port}`;
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const entry = (name: ProcessName) => {
    const r = running.get(name);
    if (!r) throw new Error(`${name} was not started in this run`);
    return r;
  };
  return {
    signToken: (identity) => issuer.signToken(identity),
    derive,
    dbName,
    topicPrefix,
    async kill(name) {
      await entry(name).current.kill();
    },
    async restart(name, env) {
      const r = entry(name);
      await r.current.stop();
      r.current = await r.launch(env);
    },
    died: () => [...died],
    url(service) {
      const url = urls.get(service);
      if (!url) throw new Error(`${service} was not started in this run`);
      return url;
    },
    gatewayUrl,
    stop,
  };
}

/** One GraphQL request; throws unless it answers with data. */
export async function graphql<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: T; errors?: unknown };
  if (json.errors || json.data === undefined)
    throw new Error(`${url}: ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 300)}`);
  return json.data;
}
