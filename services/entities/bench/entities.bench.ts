// Entities benchmarks (ISSUE 3): bulk registration with events, and the filtered, paginated county
// list query on 100,000 units — direct to the subgraph and through the gateway, in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signToken } from '@firegov/auth';
import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger } from '@firegov/kit';
import { formatLoad, freePort, httpLoad, type LoadResult } from '@firegov/testing';
import { composeSupergraph } from '../../../gateway/src/compose.ts';
import { childEnv } from '../../../infra/src/env.ts';
import { generateDemoCounty } from '../src/demo/qinglong.ts';
import { entitiesSdl } from '../src/schema/index.ts';
import { registryService } from '../src/service/registry.ts';
import { unitService } from '../src/service/units.ts';
import { ensureIndexes, entitiesModels } from '../src/store/models.ts';
import { unitCounts } from '../src/store/unit-counts.ts';

export interface EntitiesBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  storeUnits: number;
  registerUnits: number;
  concurrency: number;
  durationS: number;
  /** Drive the list query with concurrent clients too (on a large FerretDB store that backlog takes many minutes to drain). */
  listLoad: boolean;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const SECRET = 'bench-secret-0123456789-0123456789-0123456789';
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };
const noRelay: OutboxRelay = {
  kick: () => undefined,
  kickInserted: () => undefined,
  flush: async () => 0,
  stop: async () => undefined,
};

/** Starts one of the platform's processes with its own environment and waits until it is ready. */
async function spawnService(
  name: string,
  script: string,
  readyUrl: string,
  env: Record<string, string>,
): Promise<{ stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [script], {
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // An interrupted bench (Ctrl-C, a timeout) must not leave the subgraph or gateway running.
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 240; i += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${name} was not ready within 60 s`);
}

export async function runEntitiesBench(o: EntitiesBenchOptions): Promise<string[]> {
  const out: string[] = [];
  // Print each result as it is measured, so a long run still shows what it has.
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const db = `bench_entities_${Date.now().toString(36)}`;
  const conn = await connectMongo(o.mongoUrl, db);
  const models = entitiesModels(conn);
  await ensureIndexes(models);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-entities' });
  const prefix = `bench.${Date.now().toString(36)}.`;
  const publisher = await createPublisher({ kafka, source: 'entities', topicPrefix: prefix });
  const redis = await connectRedis(o.redisUrl);
  const stopAfter: Array<() => Promise<void>> = [];
  try {
    const demo = generateDemoCounty({ seed: 7, units: o.storeUnits });
    const redisPrefix = `${db}:`;
    const counts = unitCounts(redis, redisPrefix, logger);
    await counts.rebuildIfMissing(models); // as the service does at start: the counts exist from the first unit
    const quiet = { models, relay: noRelay, logger, now: () => new Date(), counts };
    const registry = registryService(quiet);
    for (const j of demo.jurisdictions) await registry.registerJurisdiction(admin, j);

    // 1. Bulk registration with every event published, against inserting the same documents bare.
    progress(`bulk registration of ${o.registerUnits} units with events`);
    const relay = startOutboxRelay({
      collections: [models.units.collection] as never,
      publisher,
      logger,
      sweepIntervalMs: 60_000,
    });
    const live = unitService({ models, relay, logger, now: () => new Date(), counts });
    const batch = demo.units.slice(0, o.registerUnits);
    const t0 = performance.now();
    for (let i = 0; i < batch.length; i += 500) await live.registerMany(admin, batch.slice(i, i + 500));
    await relay.stop(); // waits for kicked relays, then a final flush: every event is on Kafka
    const withEventsMs = performance.now() - t0;
    const pending = await models.units.countDocuments({ outboxPending: true });
    const bare = conn.db!.collection('bare_units');
    const docs = await models.units.find({}, { outbox: 0, outboxPending: 0 }).lean();
    const t1 = performance.now();
    for (let i = 0; i < docs.length; i += 500)
      await bare.insertMany(docs.slice(i, i + 500).map((d) => ({ ...d, _id: `b${String(d._id)}` })) as never[]);
    const bareMs = performance.now() - t1;
    const rate = (batch.length / withEventsMs) * 1000;
    const bareRate = (docs.length / bareMs) * 1000;
    record(
      `bulk registration (validated, events published, ${pending} left pending): ${rate.toFixed(0)} units/s vs bare insertMany ${bareRate.toFixed(0)} docs/s = ${(rate / bareRate).toFixed(2)} (n=${batch.length})`,
    );

    // 2. Fill the store to storeUnits (events not relayed: the query benchmark reads documents only).
    progress(`filling the store to ${o.storeUnits} units`);
    const quietUnits = unitService(quiet);
    for (let i = o.registerUnits; i < demo.units.length; i += 1000)
      await quietUnits.registerMany(admin, demo.units.slice(i, i + 1000));
    const total = await models.units.countDocuments();
    progress(`store holds ${total} units`);

    // 3. The county queries, direct and through the gateway, same load. The subgraph and the
    // gateway run as their own processes, as they are deployed; this process only drives the load.
    await redis.set(`${redisPrefix}backfill:nameGrams`, 'bench units have their pairs');
    const subgraphPort = await freePort();
    const subgraphProc = await spawnService(
      'entities',
      'services/entities/src/index.ts',
      `http://127.0.0.1:${subgraphPort}/readyz`,
      {
        PORT: String(subgraphPort),
        MONGO_URL: o.mongoUrl,
        MONGO_DB: db,
        REDIS_URL: o.redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        KAFKA_BROKERS: o.brokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        JWT_SECRET: SECRET,
        LOG_LEVEL: 'warn',
        // The filled units' events were never relayed (the fill measures the store, not Kafka): a
        // sweep would spend the whole measurement relaying 95,000 of them.
        OUTBOX_SWEEP_MS: '600000',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
    );
    stopAfter.push(() => subgraphProc.stop());
    const subgraph = { url: `http://127.0.0.1:${subgraphPort}` };
    const supergraphPath = path.join(os.tmpdir(), `${db}-supergraph.graphql`);
    fs.writeFileSync(
      supergraphPath,
      composeSupergraph([{ name: 'entities', url: `${subgraph.url}/graphql`, typeDefs: entitiesSdl() }]),
    );
    const gatewayPort = await freePort();
    const gatewayProc = await spawnService('gateway', 'gateway/src/index.ts', `http://127.0.0.1:${gatewayPort}/readyz`, {
      GATEWAY_PORT: String(gatewayPort),
      JWT_SECRET: SECRET,
      SUBGRAPHS: `entities=${subgraph.url}/graphql`,
      SUPERGRAPH_PATH: supergraphPath,
      REDIS_URL: o.redisUrl,
      RATE_LIMIT_PER_MINUTE: '0',
      UPSTREAM_TIMEOUT_MS: '120000',
      LOG_LEVEL: 'warn',
    });
    stopAfter.push(() => gatewayProc.stop());
    const gw = { url: `http://127.0.0.1:${gatewayPort}` };
    const token = await signToken(admin, { secret: SECRET });
    const body = JSON.stringify({
      query: `query($f: UnitFilter) { units(first: 20, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name category villageCode risk { grade score } } } } }`,
      variables: { f: { jurisdictionCode: '500230213000', category: 'restaurant' } },
    });
    const tProbe = performance.now();
    const probe = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const probeJson = (await probe.json()) as { data?: { units: { totalCount: number } }; errors?: unknown };
    const single = performance.now() - tProbe;
    // On a large FerretDB store one list request can outlast the upstream timeout: record that and
    // still measure the point lookups.
    const listWorks = probeJson.data !== undefined;
    record(
      listWorks
        ? `one list request alone through the gateway: ${single.toFixed(0)} ms (${probeJson.data!.units.totalCount} matching units)`
        : `one list request alone did not finish within ${(single / 1000).toFixed(0)} s: ${JSON.stringify(probeJson.errors).slice(0, 120)}`,
    );
    let currentBody = body;
    const load = (url: string) =>
      httpLoad({
        url,
        body: currentBody,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        connections: o.concurrency,
        durationS: o.durationS,
      });
    const fmt = (r: LoadResult) => formatLoad(r, o.durationS);
    const someId = (await models.units.findOne({}, { _id: 1 }).lean())!._id;
    // Requests still running when a load ends keep the store busy; wait until a point read is fast
    // again so one phase's backlog is not measured in the next.
    const settle = async () => {
      for (let i = 0; i < 600; i += 1) {
        const t = performance.now();
        await models.units.findById(someId).lean();
        if (performance.now() - t < 20) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const queries = [
      {
        name: `unit lookup by id with risk factors on ${total} units`,
        body: JSON.stringify({
          query: `query($id: ID!) { unit(id: $id) { id name category risk { grade score factors { code points } } } }`,
          variables: { id: someId },
        }),
      },
      { name: `county list query (township + category, first 20, totalCount) on ${total} units`, body },
      {
        name: `village summaries of the township on ${total} units`,
        body: JSON.stringify({
          query: `query($j: String) { villageSummaries(jurisdictionCode: $j) { villageCode units keyUnits byGrade { major significant general low } } }`,
          variables: { j: '500230213000' },
        }),
      },
      ...['液化气', '超市'].map((term) => ({
        name: `name search "${term}" in the township (first 20) on ${total} units`,
        body: JSON.stringify({
          query: `query($f: UnitFilter) { units(first: 20, filter: $f) { pageInfo { hasNextPage } edges { node { id name } } } }`,
          variables: { f: { jurisdictionCode: '500230213000', search: term } },
        }),
      })),
    ];
    for (const q of listWorks && o.listLoad ? queries : queries.slice(0, 1)) {
      progress(q.name);
      currentBody = q.body;
      // Every measured query must answer with data: a fast error is not a result.
      const check = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: q.body,
      });
      const checked = (await check.json()) as { data?: unknown; errors?: unknown };
      if (checked.errors || !checked.data) throw new Error(`${q.name}: ${JSON.stringify(checked.errors)}`);
      const direct = await load(`${subgraph.url}/graphql`);
      await settle();
      const via = await load(`${gw.url}/graphql`);
      await settle();
      record(`${q.name}`);
      record(`  direct to subgraph: ${fmt(direct)}`);
      record(`  through gateway:    ${fmt(via)}`);
      if (direct.n > 0 && via.n > 0) record(`  gateway/direct throughput ratio: ${(via.rps / direct.rps).toFixed(2)}`);
    }
  } finally {
    await publisher.disconnect();
    const stale = await redis.keys(`${db}:*`);
    if (stale.length > 0) await redis.unlink(...stale);
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
  return out;
}
