import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import type { StackEnv } from './env.ts';
import type { ProcSpec } from './procs.ts';
import {
  ensureFerretDb,
  ensureJaeger,
  ensureKafka,
  ensurePrometheus,
  ensureRedis,
  provisionLog,
  type ProvisionContext,
} from './provision.ts';
import { kafkaClusterId } from './kafka-cluster-id.ts';
import { prometheusConfig } from './prometheus-config.ts';
import { runLogged } from './run-logged.ts';

export interface Component {
  name: string;
  /** Nothing else needs it (Jaeger: traces): `up` can start it later, and goes on when it fails. */
  optional?: boolean;
  /** Fetches/builds what is missing, prepares data dirs, and says how to start the process. */
  prepare(ctx: ProvisionContext): Promise<ProcSpec>;
  /** Resolves when the component really answers; throws (or rejects) otherwise. */
  probe(env: StackEnv): Promise<void>;
  describe(env: StackEnv): string;
}

const kafka: Component = {
  name: 'kafka',
  async prepare(ctx) {
    const { env } = ctx;
    const libs = await ensureKafka(ctx);
    const dir = path.join(env.dataDir, 'kafka');
    const logDirs = path.join(dir, 'logs');
    const props = path.join(dir, 'server.properties');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${env.STACK_KAFKA_CONTROLLER_PORT}`,
        `listeners=PLAINTEXT://127.0.0.1:${env.STACK_KAFKA_PORT},CONTROLLER://127.0.0.1:${env.STACK_KAFKA_CONTROLLER_PORT}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${env.STACK_KAFKA_PORT}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        `log.dirs=${logDirs}`,
        `num.partitions=${env.STACK_KAFKA_PARTITIONS}`,
        // Single node: every internal topic has one replica.
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=10',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        // Tests create many short-lived groups; no reason to wait 3 s for each first rebalance.
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=true',
        'delete.topic.enable=true',
        '',
      ].join('\n'),
    );
    const classpath = `${libs}/*`;
    const java = [
      '-Xms256m',
      `-Xmx${env.STACK_KAFKA_HEAP}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    ];
    if (!fs.existsSync(path.join(logDirs, 'meta.properties'))) {
      // KRaft storage must be formatted once with a cluster id (22-char base64url UUID).
      const clusterId = kafkaClusterId();
      await runLogged('java', [...java, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], {
        logPath: provisionLog(env, 'kafka'),
        signal: ctx.signal,
      });
    }
    return { name: 'kafka', command: 'java', args: [...java, '-cp', classpath, 'kafka.Kafka', props] };
  },
  async probe(env) {
    const client = new Kafka({
      clientId: 'stack-probe',
      brokers: [`127.0.0.1:${env.STACK_KAFKA_PORT}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 2000,
    });
    const admin = client.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
      if (cluster.controller === null || cluster.controller < 0) throw new Error('no active controller yet');
      // Metadata answers before the group coordinator has loaded __consumer_offsets; consumers
      // would then log "coordinator not available" retries. Wait for the coordinator too.
      await admin.describeGroups(['stack-probe']);
      // ...and for producer-id allocation, which idempotent producers need on connect.
      const producer = client.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        retry: { retries: 1 },
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      await producer.disconnect();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
  describe: (env) => `KAFKA_BROKERS=127.0.0.1:${env.STACK_KAFKA_PORT}`,
};

const ferretdb: Component = {
  name: 'ferretdb',
  async prepare(ctx) {
    const { env } = ctx;
    const bin = await ensureFerretDb(ctx);
    const dir = path.join(env.dataDir, 'ferretdb');
    fs.mkdirSync(path.join(dir, 'sqlite'), { recursive: true });
    return {
      name: 'ferretdb',
      // modernc's SQLite can die with SIGBUS in the WAL index under heavy concurrent writes (a known
      // upstream fault); a supervisor restarts it so the local stack heals instead of staying down.
      supervise: true,
      command: bin,
      args: [
        '--handler=sqlite',
        // WAL is FerretDB's default; synchronous=normal skips the fsync per commit, which costs ~15 ms
        // a write on these disks. A killed process still loses nothing; only a power cut could.
        // _txlock=immediate takes the write lock at BEGIN, so concurrent writers wait (busy_timeout)
        // instead of failing with SQLITE_BUSY when a read transaction cannot upgrade. (A rollback
        // journal instead of WAL was tried: it fails with SQLITE_BUSY under 50 writers.)
        // wal_autocheckpoint(10000): the patched backend checkpoints in the background
        // (infra/ferretdb/firegov_checkpoint.go); a commit still checkpoints at 40 MB of log, which
        // rewinds it, with most pages already copied.
        `--sqlite-url=file:${path.join(dir, 'sqlite')}/?_pragma=synchronous(normal)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${env.STACK_MONGO_PORT}`,
        // The debug HTTP listener would claim a fixed port (8088) nobody here reads.
        '--debug-addr=-',
        '--telemetry=disable',
        // Dotted filter keys (`risk.grade`) reach the SQLite backend, whose pushdown handles them
        // (infra/ferretdb/firegov_pushdown.go); stock FerretDB would strip them before the backend.
        '--test-enable-nested-pushdown',
        '--log-level=warn',
      ],
    };
  },
  async probe(env) {
    const client = new MongoClient(`mongodb://127.0.0.1:${env.STACK_MONGO_PORT}/`, { serverSelectionTimeoutMS: 2000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close().catch(() => undefined);
    }
  },
  describe: (env) => `MONGO_URL=mongodb://127.0.0.1:${env.STACK_MONGO_PORT}`,
};

const redis: Component = {
  name: 'redis',
  async prepare(ctx) {
    const { env } = ctx;
    const bin = await ensureRedis(ctx);
    const dir = path.join(env.dataDir, 'redis');
    fs.mkdirSync(dir, { recursive: true });
    return {
      name: 'redis',
      command: bin,
      // Redis holds read models rebuildable from the store (unit index, counts, hazard queues) and
      // short-lived state (push answers, rate windows, locks). An append-only file keeps them over a
      // restart, as a deployment's Redis would, so a restart is not a rebuild.
      args: [
        '--port',
        String(env.STACK_REDIS_PORT),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--daemonize',
        'no',
      ],
    };
  },
  async probe(env) {
    const client = new Redis({
      port: env.STACK_REDIS_PORT,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // the probe's own rejection carries the reason
    try {
      await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(pong)}`);
    } finally {
      client.disconnect();
    }
  },
  describe: (env) => `REDIS_URL=redis://127.0.0.1:${env.STACK_REDIS_PORT}`,
};

const jaeger: Component = {
  name: 'jaeger',
  optional: true,
  async prepare(ctx) {
    const { env } = ctx;
    const bin = await ensureJaeger(ctx);
    return {
      name: 'jaeger',
      command: bin,
      args: [
        `--set=receivers.otlp.protocols.http.endpoint=127.0.0.1:${env.STACK_OTLP_HTTP_PORT}`,
        `--set=receivers.otlp.protocols.grpc.endpoint=127.0.0.1:${env.STACK_OTLP_GRPC_PORT}`,
        `--set=extensions.jaeger_query.http.endpoint=127.0.0.1:${env.STACK_JAEGER_UI_PORT}`,
      ],
    };
  },
  async probe(env) {
    const res = await fetch(`http://127.0.0.1:${env.STACK_JAEGER_UI_PORT}/api/services`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  },
  describe: (env) =>
    `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${env.STACK_OTLP_HTTP_PORT}  (UI http://127.0.0.1:${env.STACK_JAEGER_UI_PORT})`,
};

const prometheus: Component = {
  name: 'prometheus',
  optional: true,
  async prepare(ctx) {
    const { env } = ctx;
    const bin = await ensurePrometheus(ctx);
    const dir = path.join(env.dataDir, 'prometheus');
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, prometheusConfig(env));
    return {
      name: 'prometheus',
      command: bin,
      args: [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        '--storage.tsdb.retention.time=2d',
        `--web.listen-address=127.0.0.1:${env.STACK_PROMETHEUS_PORT}`,
      ],
    };
  },
  async probe(env) {
    const res = await fetch(`http://127.0.0.1:${env.STACK_PROMETHEUS_PORT}/-/ready`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  },
  describe: (env) => `Prometheus API http://127.0.0.1:${env.STACK_PROMETHEUS_PORT}/api/v1/query (alerts: /api/v1/alerts)`,
};

export function components(env: StackEnv): Component[] {
  return [
    redis,
    ferretdb,
    kafka,
    ...(env.STACK_JAEGER === '1' ? [jaeger] : []),
    ...(env.STACK_PROMETHEUS === '1' ? [prometheus] : []),
  ];
}

export const allComponents: Component[] = [prometheus, jaeger, kafka, ferretdb, redis];
