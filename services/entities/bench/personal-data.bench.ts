// What the personal data audit costs (issue 15): the same page of units with their responsible
// persons' phones and ID numbers, read through the entities subgraph over HTTP, by a role that sees
// them whole (each answer announced on Kafka before it leaves) and by one that sees them masked
// (nothing announced). The masked read is the baseline, measured in the same run.
import { personalDataReadTopics } from '@firegov/contracts';
import { createKafka, createPublisher, ensureTopicsExist, startOutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger, listen } from '@firegov/kit';
import { httpLoad, startTestIssuer, type LoadResult } from '@firegov/testing';
import { createEntitiesApp } from '../src/app.ts';
import { generateDemoCounty } from '../src/demo/qinglong.ts';
import { ensureIndexes, entitiesModels, outboxCollections } from '../src/store/models.ts';

export interface PersonalDataBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  units: number;
  connections: number;
  durationS: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };
const officer = { subject: 'bench-officer', role: 'township_officer' as const, jurisdiction: '500230213000' };
const brigade = { subject: 'bench-brigade', role: 'fire_brigade' as const, jurisdiction: '500230000000' };
const QUERY = '{ units(first: 20) { nodes { id name responsiblePerson { name phone idNumber } } } }';

const line = (label: string, r: LoadResult) =>
  `${label}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (n=${r.n}, errors ${r.errors})`;

export async function runPersonalDataBench(o: PersonalDataBenchOptions): Promise<string[]> {
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const stamp = Date.now().toString(36);
  const db = `bench_pii_${stamp}`;
  const topicPrefix = `bench.${stamp}.`;
  const conn = await connectMongo(o.mongoUrl, db);
  const models = entitiesModels(conn);
  await ensureIndexes(models);
  const redis = await connectRedis(o.redisUrl);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-pii' });
  await ensureTopicsExist(kafka, [`${topicPrefix}${personalDataReadTopics.entities.name}`]);
  const publisher = await createPublisher({ kafka, source: 'entities', topicPrefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 60_000 });
  const issuer = await startTestIssuer();
  const built = createEntitiesApp({
    conn,
    models,
    redis,
    kafka,
    relay,
    publisher,
    logger,
    auth: issuer.verification(),
    redisPrefix: `${db}:`,
  });
  const server = await listen(built.app, 0);
  try {
    await built.index.rebuild(models);
    await built.duty.rebuildIfMissing();
    const demo = generateDemoCounty({ seed: 11, units: o.units });
    for (const j of demo.jurisdictions) await built.services.registry.registerJurisdiction(admin, j);
    await built.services.units.registerMany(admin, demo.units.slice(0, o.units));
    const run = async (who: typeof officer | typeof brigade) =>
      httpLoad({
        url: `${server.url}/graphql`,
        body: JSON.stringify({ query: QUERY }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signToken(who)}` },
        connections: o.connections,
        durationS: o.durationS,
      });
    progress(`personal data: warm-up, then ${o.durationS}s per role at ${o.connections} clients`);
    await run(brigade);
    const masked = await run(brigade);
    const audited = await run(officer);
    return [
      line('20 units with persons, masked (fire brigade, nothing announced)', masked),
      line('20 units with persons, whole (township officer, each answer announced on Kafka first)', audited),
      `audited / masked throughput = ${(audited.rps / masked.rps).toFixed(2)}; p95 +${(audited.p95 - masked.p95).toFixed(1)} ms (${o.connections} clients, ${o.units} units, subgraph in process, stack on the same cores)`,
    ];
  } finally {
    await server.close();
    await built.closeReadiness();
    await relay.stop();
    await publisher.disconnect();
    await issuer.close();
    const stale = await redis.keys(`${db}:*`);
    if (stale.length > 0) await redis.unlink(...stale);
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
