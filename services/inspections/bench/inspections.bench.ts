// Inspections benchmarks (ISSUE 4): the escalation sweep over 100,000 open hazards with 10% overdue
// (wall time, and the index it reads against the store's own plan). The overdue work-queue query
// direct and through the gateway is a load test across processes: load-tests/inspections-gateway.bench.ts.
import { performance } from 'node:perf_hooks';
import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger } from '@firegov/kit';
import { buildServices } from '../src/app.ts';
import { DEFAULT_POLICY, initialEscalation } from '../src/domain/escalation.ts';
import { determineGrade } from '../src/domain/gb35181.ts';
import { applyHazardCommand, initialHazardState } from '../src/domain/hazard-state.ts';
import { sweepOnce } from '../src/service/escalation-sweep.ts';
import { hazardIndex, indexHazard } from '../src/store/hazard-index.ts';
import { ensureIndexes, inspectionsModels, outboxCollections, type HazardDoc } from '../src/store/models.ts';

export interface InspectionsBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  hazards: number;
  overdueShare: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const COUNTY = '500230000000';
const DAY = 86_400_000;

/** A hazard under a rectification order, built through the domain's own transitions. */
function hazardFixture(i: number, now: number, overdue: boolean): HazardDoc {
  const township = `500230${String(213 + (i % 4)).padStart(3, '0')}000`;
  const village = `${township.slice(0, 9)}${String(201 + (i % 20)).padStart(3, '0')}`;
  const foundAt = new Date(now - 40 * DAY).toISOString();
  const deadline = new Date(overdue ? now - (1 + (i % 5)) * 3_600_000 : now + (1 + (i % 60)) * DAY).toISOString();
  const ordered = applyHazardCommand(
    initialHazardState('general'),
    { kind: 'issue_order', deadline, responsibleParty: '负责人' },
    { now: new Date(now - 40 * DAY), actor: 'bench' },
  ).state;
  return {
    _id: `hz_b${String(i).padStart(7, '0')}`,
    version: 2,
    unitId: `u_b${String(i % 5000).padStart(5, '0')}`,
    unit: { name: `压测单位${i % 5000}`, category: 'restaurant', villageCode: village, villageName: village },
    countyCode: COUNTY,
    townshipCode: township,
    villageCode: village,
    scope: [COUNTY, township, village],
    source: 'inspection',
    title: '疏散通道堵塞',
    description: '压测数据',
    factorCodes: [],
    evidence: [],
    determination: determineGrade({ premisesClass: 'crowded', factorCodes: [] }),
    gradeDecidedBy: 'rule',
    state: ordered,
    escalation: initialEscalation(),
    nextCheckAt: deadline,
    foundAt,
    foundBy: 'bench',
    demo: false,
    updatedAt: foundAt,
  };
}

export async function runInspectionsBench(o: InspectionsBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const stamp = Date.now().toString(36);
  const conn = await connectMongo(o.mongoUrl, `bench_inspections_${stamp}`);
  const models = inspectionsModels(conn);
  await ensureIndexes(models);
  const redis = await connectRedis(o.redisUrl);
  const index = hazardIndex(`bench:${stamp}:`);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-inspections' });
  const publisher = await createPublisher({ kafka, source: 'inspections', topicPrefix: `bench.${stamp}.` });
  let relay: OutboxRelay | undefined;
  try {
    // 1. Fill: hazards inserted directly (the benchmark is about reading them), then indexed.
    const now = Date.now();
    const overdueEvery = Math.round(1 / o.overdueShare);
    progress(`inserting ${o.hazards} hazards (${(o.overdueShare * 100).toFixed(0)}% past their deadline)`);
    const t0 = performance.now();
    for (let i = 0; i < o.hazards; i += 1000) {
      const docs = [];
      for (let k = i; k < Math.min(o.hazards, i + 1000); k += 1) docs.push(hazardFixture(k, now, k % overdueEvery === 0));
      await models.hazards.collection.insertMany(docs as never[], { ordered: false });
    }
    const insertMs = performance.now() - t0;
    const t1 = performance.now();
    const all = models.hazards.find({}).lean<HazardDoc>().cursor();
    let pending: Array<Promise<void>> = [];
    for await (const doc of all) {
      pending.push(indexHazard(redis, index, doc));
      if (pending.length >= 200) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    const indexMs = performance.now() - t1;
    record(
      `fill: ${o.hazards} hazards inserted in ${(insertMs / 1000).toFixed(1)} s, indexed into Redis in ${(indexMs / 1000).toFixed(1)} s`,
    );

    // 2. What the sweep reads: the Redis sorted set against the store's own query for the same set.
    const nowIso = new Date(now).toISOString();
    const t2 = performance.now();
    const dueIds = await redis.zrange(index.sweepKey(), '-inf', String(now), 'BYSCORE');
    const indexReadMs = performance.now() - t2;
    const t3 = performance.now();
    const storeDue = await models.hazards.countDocuments({ nextCheckAt: { $lte: nowIso } });
    const storeReadMs = performance.now() - t3;
    const explain = (await models.hazards.collection.find({ nextCheckAt: { $lte: nowIso } }).explain()) as Record<
      string,
      unknown
    >;
    const plan = JSON.stringify({
      pushdown: explain.filterPushdown ?? explain.pushdown ?? null,
      queryPlanner: explain.queryPlanner ?? null,
    }).slice(0, 400);
    record(
      `due hazards: Redis ZRANGEBYSCORE on the sweep index ${dueIds.length} ids in ${indexReadMs.toFixed(1)} ms vs the store's query ${storeDue} docs in ${storeReadMs.toFixed(0)} ms (${(storeReadMs / indexReadMs).toFixed(0)}x)`,
    );
    record(`  store explain for nextCheckAt <= now: ${plan}`);

    // 3. The sweep itself, every escalation written with its events and published.
    relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 60_000 });
    const deps = {
      models,
      redis,
      index,
      relay,
      logger,
      now: () => new Date(now),
      policy: DEFAULT_POLICY,
      homeJurisdiction: COUNTY,
    };
    const services = buildServices(deps);
    progress(`sweeping ${dueIds.length} due hazards`);
    const t4 = performance.now();
    const swept = await sweepOnce({
      redis,
      index,
      hazards: services.hazards,
      now: new Date(now + 1000),
      logger,
      leaseMs: 60_000,
    });
    const sweepMs = performance.now() - t4;
    await relay.flush();
    const allSentMs = performance.now() - t4;
    record(
      `escalation sweep over ${o.hazards} open hazards: ${swept.examined} examined, ${swept.escalated} escalated in ${(sweepMs / 1000).toFixed(1)} s (${((swept.escalated / sweepMs) * 1000).toFixed(0)} hazards/s), all events on Kafka after ${(allSentMs / 1000).toFixed(1)} s; actions ${JSON.stringify(swept.actions)}`,
    );
  } finally {
    await relay?.stop();
    await publisher.disconnect();
    const keys = await redis.keys(`bench:${stamp}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
  return out;
}
