// Entities benchmark (ISSUE 3): bulk registration with every event published, against inserting the
// same documents bare, in the same run. The county queries direct and through the gateway are a
// load test across processes: load-tests/entities-gateway.bench.ts.
import { performance } from 'node:perf_hooks';
import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger } from '@firegov/kit';
import { generateDemoCounty } from '../src/demo/qinglong.ts';
import { registryService } from '../src/service/registry.ts';
import { unitService } from '../src/service/units.ts';
import { ensureIndexes, entitiesModels } from '../src/store/models.ts';
import { unitCounts } from '../src/store/unit-counts.ts';
import { unitIndex } from '../src/store/unit-index.ts';
import { dutyTallies } from '../src/store/duty-tallies.ts';

export interface EntitiesBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  registerUnits: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };
const noRelay: OutboxRelay = {
  kick: () => undefined,
  kickInserted: () => undefined,
  flush: async () => 0,
  stop: async () => undefined,
};

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
  try {
    const demo = generateDemoCounty({ seed: 7, units: o.registerUnits });
    const redisPrefix = `${db}:`;
    const counts = unitCounts(redis, redisPrefix, logger);
    const index = unitIndex(redis, redisPrefix, logger, models);
    const duty = dutyTallies({ models, redis, prefix: redisPrefix, logger });
    // As the service does at start: the read models exist from the first unit.
    await counts.rebuildIfMissing(models);
    await index.rebuildIfMissing(models);
    await duty.rebuildIfMissing();
    const quiet = { models, relay: noRelay, logger, now: () => new Date(), counts, index, duty };
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
    const live = unitService({ models, relay, logger, now: () => new Date(), counts, index, duty });
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
