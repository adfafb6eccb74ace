import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Identity } from '@firegov/auth';
import { connectRedis } from '@firegov/kit';
import {
  deleteTopicsWithPrefix,
  dropAndClose,
  eventually,
  freePort,
  signTestToken,
  testAuthEnv,
  testEnv,
  testKafka,
  testMongo,
  testNamespace,
  type TestNamespace,
} from '@firegov/testing';
import { PLATFORM_SERVICES, type Derive } from '../infra/src/services.ts';

// Cross-service tests start each service the way `npm start` does (`node services/<name>/src/index.ts`)
// and talk to it only through what any client could use: its GraphQL and REST routes, and Kafka topics.
// Every run gets its own ports, databases, topic prefix and Redis prefix, so runs never meet.

export type ServiceName = 'entities' | 'inspections' | 'assessment' | 'sensors' | 'gateway';
type Subgraph = Exclude<ServiceName, 'gateway'>;

const REPO_ROOT = path.resolve(__dirname, '..');
const LOG_LINES_KEPT = 400;
const READY_TIMEOUT_MS = 45_000;
const STOP_GRACE_MS = 10_000;

export interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the service answered, for the test to look into
  json: any;
  headers: Headers;
}

interface Proc {
  name: ServiceName;
  url: string;
  child: ChildProcess;
  lines: string[];
}

export interface RunningServices {
  ns: TestNamespace;
  topicPrefix: string;
  url(service: ServiceName): string;
  token(identity: Identity): Promise<string>;
  /** POSTs to the service's `/graphql` with a token for `identity`; throws on GraphQL errors, naming them. */
  gql<T = Record<string, unknown>>(
    service: ServiceName,
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity,
  ): Promise<T>;
  /** The raw answer of `/graphql` (errors included), for tests that expect a refusal. */
  gqlRaw<T = Record<string, unknown>>(
    service: ServiceName,
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity,
  ): Promise<GraphQLResult<T>>;
  http(
    service: ServiceName,
    method: string,
    route: string,
    opts?: { token?: string; key?: string; body?: unknown; headers?: Record<string, string>; form?: string },
  ): Promise<HttpResult>;
  /** The last lines each service logged, for failure messages. */
  logs(): string;
  /** `eventually` whose final failure carries the services' recent logs. */
  eventually<T>(check: () => T | Promise<T>, opts?: { timeoutMs?: number; intervalMs?: number }): Promise<T>;
  /** Stops the processes (SIGTERM, then SIGKILL) and drops the run's databases, Redis keys and topics. */
  stop(): Promise<void>;
}

// A worker that dies before afterAll must not leave services running.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** The development secrets the platform's catalogue derives for a service (what `npm start` gives it), per run. */
function serviceSecrets(name: Subgraph, seed: string): Record<string, string> {
  const derive: Derive = (label, bytes = 32) => createHash('sha256').update(`${label}\u0000${seed}`).digest().subarray(0, bytes);
  return PLATFORM_SERVICES.find((s) => s.name === name)?.devEnv?.(derive) ?? {};
}

function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, port: number): Proc {
  const entry = name === 'gateway' ? path.join('gateway', 'src', 'index.ts') : path.join('services', name, 'src', 'index.ts');
  const child = spawn(process.execPath, [entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const proc: Proc = { name, url: `http://127.0.0.1:${port}`, child, lines: [] };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      proc.lines.push(line);
      if (proc.lines.length > LOG_LINES_KEPT) proc.lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return proc;
}

async function waitReady(proc: Proc, tail: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was ready\n${tail()}`);
    }
    try {
      const res = await fetch(`${proc.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`${proc.name} was not ready at ${proc.url}/readyz within ${READY_TIMEOUT_MS / 1000}s\n${tail()}`);
}

async function stopProc(proc: Proc): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `names` as processes against the local stack, in a namespace of their own, and waits until
 * each is ready; with `gateway`, the gateway composes the started subgraphs live once they are up.
 */
export async function startServices(
  label: string,
  names: readonly Subgraph[],
  opts: {
    gateway?: boolean;
    env?: Partial<Record<Subgraph, Record<string, string>>>;
    /** Where every process exports its spans (OTLP/HTTP); by default traces go nowhere in tests. */
    otlpEndpoint?: string;
  } = {},
): Promise<RunningServices> {
  const ns = testNamespace(label);
  // The test issuer of this file stands in for the identity service: every process verifies its
  // tokens against its JWKS over HTTP, and none holds a key that can sign one.
  const auth = await testAuthEnv();
  const redisPrefix = `t:${ns.id}:`;
  const dbName = (name: ServiceName) => `${ns.dbName}_${name}`.slice(0, 63);
  const procs = new Map<ServiceName, Proc>();

  const logs = () =>
    [...procs.values()].map((p) => `--- ${p.name} (last ${p.lines.length} lines) ---\n${p.lines.join('\n')}`).join('\n');

  const stop = async () => {
    await Promise.all([...procs.values()].map(stopProc));
    for (const name of procs.keys()) if (name !== 'gateway') await dropAndClose(await testMongo(dbName(name)));
    const redis = await connectRedis(testEnv.REDIS_URL);
    try {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await deleteTopicsWithPrefix(testKafka(), ns.topicPrefix);
  };

  try {
    const ports = await Promise.all(names.map(() => freePort()));
    names.forEach((name, i) => {
      const port = ports[i]!;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'test',
        // Timers far in the future (leases, long sweeps) warn on every start; the warning says nothing here.
        NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        KAFKA_BROKERS: testEnv.KAFKA_BROKERS.join(','),
        MONGO_URL: testEnv.MONGO_URL,
        REDIS_URL: testEnv.REDIS_URL,
        MONGO_DB: dbName(name),
        KAFKA_TOPIC_PREFIX: ns.topicPrefix,
        REDIS_KEY_PREFIX: `${redisPrefix}${name}:`,
        ...auth,
        // Outboxes are kicked on write; the sweep only catches what a kick missed.
        OUTBOX_SWEEP_MS: '500',
        // The GB/T 26875.3 listener takes any free port; tests that speak to it start their own.
        GBT26875_PORT: '0',
        ...serviceSecrets(name, ns.id),
        ...opts.env?.[name],
      };
      if (opts.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = opts.otlpEndpoint;
      else delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
      procs.set(name, spawnService(name, env, port));
    });
    await Promise.all([...procs.values()].map((p) => waitReady(p, logs)));
    if (opts.gateway) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        GATEWAY_PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL: testEnv.REDIS_URL,
        ...auth,
        SUBGRAPHS: [...procs.values()].map((p) => `${p.name}=${p.url}/graphql`).join(','),
        // Short, so a test that holds a subscription open longer shows the timeout does not cut it.
        UPSTREAM_TIMEOUT_MS: '2000',
        // No file: the gateway composes from the live subgraphs, as a cold start does.
        SUPERGRAPH_PATH: path.join(os.tmpdir(), `firegov-e2e-${ns.id}.graphql`),
      };
      if (opts.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = opts.otlpEndpoint;
      else delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
      const gateway = spawnService('gateway', env, port);
      procs.set('gateway', gateway);
      await waitReady(gateway, logs);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const url = (service: ServiceName) => {
    const proc = procs.get(service);
    if (!proc) throw new Error(`${service} was not started in this run`);
    return proc.url;
  };
  const token = (identity: Identity) => signTestToken(identity);

  const gqlRaw = async <T>(
    service: ServiceName,
    query: string,
    variables: Record<string, unknown> = {},
    identity?: Identity,
  ): Promise<GraphQLResult<T>> => {
    const res = await fetch(`${url(service)}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(identity ? { authorization: `Bearer ${await token(identity)}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResult<T>;
  };

  return {
    ns,
    topicPrefix: ns.topicPrefix,
    url,
    token,
    gqlRaw,
    async gql<T>(service: ServiceName, query: string, variables?: Record<string, unknown>, identity?: Identity) {
      const body = await gqlRaw<T>(service, query, variables, identity);
      if (body.errors?.length || body.data === undefined) {
        throw new Error(`${service} GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
      }
      return body.data;
    },
    async http(service, method, route, o = {}) {
      const res = await fetch(`${url(service)}${route}`, {
        method,
        headers: {
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.key ? { 'idempotency-key': o.key } : {}),
          ...o.headers,
        },
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        ...(o.form !== undefined ? { body: o.form } : {}),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, json, headers: res.headers };
    },
    logs,
    async eventually(check, opts) {
      try {
        return await eventually(check, opts);
      } catch (err) {
        if (err instanceof Error) err.message = `${err.message}\n\nRecent service logs:\n${logs()}`;
        throw err;
      }
    },
    stop,
  };
}
