// Assessment benchmark (ISSUE 5): sustained pushes of assessments with 10 findings each, from 50
// concurrent clients holding OAuth tokens, each with its own Idempotency-Key — every submission
// durably stored with its event, and every event published before the figures are final.
// Baseline in the same run: inserting the same documents straight into the store, same concurrency.
import { performance } from 'node:perf_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { createKafka, createPublisher, startOutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger, listen } from '@firegov/kit';
import { formatLoad, httpLoad, testTokenVerification } from '@firegov/testing';
import { createAssessmentApp } from '../src/app.ts';
import { upsertUnit } from '@firegov/registry';
import { assessmentModels, ensureIndexes, outboxCollections } from '../src/store/models.ts';

export interface AssessmentBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  concurrency: number;
  durationS: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };
const SHA = 'b'.repeat(64);

function body(unitId: string, licenceNo: string, n: number): string {
  return JSON.stringify({
    unit: { unitId },
    engineerLicence: licenceNo,
    assessedOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    method: 'on_site',
    score: 70 + (n % 15),
    grade: 'B',
    findings: Array.from({ length: 10 }, (_, i) => ({
      id: `f${i + 1}`,
      category: i % 2 ? 'extinguishers' : 'evacuation',
      severity: i === 0 ? 'major' : 'general',
      description: `第${n}次评估问题${i + 1}：疏散通道堆放货物，灭火器压力不足`,
      location: `${(i % 5) + 1}F 东侧楼梯间`,
      evidence: [{ url: `https://files.example.cn/${n}/${i}.jpg`, sha256: SHA }],
    })),
    report: { url: `https://files.example.cn/${n}/report.pdf`, sha256: SHA },
  });
}

export async function runAssessmentBench(o: AssessmentBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const stamp = Date.now().toString(36);
  const conn = await connectMongo(o.mongoUrl, `bench_assessment_${stamp}`);
  const models = assessmentModels(conn);
  await ensureIndexes(models);
  const redis = await connectRedis(o.redisUrl);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-assessment' });
  const prefix = `bench.${stamp}.`;
  const publisher = await createPublisher({ kafka, source: 'assessment', topicPrefix: prefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 60_000 });
  const redisPrefix = `bench:${stamp}:`;
  try {
    const { app, services, closeReadiness } = createAssessmentApp({
      conn,
      models,
      redis,
      kafka,
      relay,
      publisher,
      logger,
      // Only agencies' tokens are used here; the subgraph still verifies against a (test) issuer's JWKS.
      auth: await testTokenVerification(),
      agencyTokenSecret: randomBytes(32).toString('hex'),
      receiptSeed: createHash('sha256').update(stamp).digest(),
      auditShare: 0.05,
      auditSalt: 'bench-salt-0123456789',
      redisPrefix,
      pushPerMinute: 10_000_000,
    });
    const server = await listen(app, 0);
    const units = Array.from({ length: 50 }, (_, i) => `u_bench${String(i).padStart(3, '0')}`);
    for (const [i, id] of units.entries()) {
      await upsertUnit(models, {
        id,
        version: 1,
        name: `压测单位${i}`,
        category: 'supermarket',
        countyCode: '500230000000',
        townshipCode: '500230213000',
        villageCode: '500230213201',
        address: '青龙乡',
        buildingUse: 'public',
        floors: 3,
        undergroundFloors: 0,
        heightM: 12,
        occupancy: 80,
        keyUnit: true,
        highRise: false,
        selfBuiltTarget: false,
        riskGrade: 'general',
        riskScore: 30,
        status: 'active',
        demo: false,
      });
    }
    const agency = await services.agencies.register(admin, {
      name: '压测评估机构',
      creditCode: '91110000802100433B',
      qualification: 'class_1',
    });
    const licenceNo = 'BENCH-ENG-001';
    await services.agencies.registerEngineer(admin, agency._id, {
      name: '压测工程师',
      licenceNo,
      validFrom: '2024-01-01',
      validUntil: '2030-12-31',
    });
    await services.agencies.registerContract(admin, {
      agencyId: agency._id,
      jurisdictionCodes: ['500230213000'],
      validFrom: '2024-01-01',
      validUntil: '2030-12-31',
    });
    const client = await services.agencies.createClient(admin, agency._id, 'bench');
    const tokenRes = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };

    // Warm up (JIT, connections), then the measured run.
    await httpLoad({
      url: `${server.url}/v1/assessments`,
      body: body(units[0] as string, licenceNo, 0),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      connections: 10,
      durationS: 2,
      vary: (n) => ({
        headers: { 'idempotency-key': `warm-${stamp}-${n}` },
        body: body(units[n % units.length] as string, licenceNo, n),
      }),
    });
    await relay.flush();
    const before = await models.assessments.countDocuments({});
    progress(`pushing for ${o.durationS} s from ${o.concurrency} clients`);
    const t0 = performance.now();
    const run = await httpLoad({
      url: `${server.url}/v1/assessments`,
      body: body(units[0] as string, licenceNo, 0),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      connections: o.concurrency,
      durationS: o.durationS,
      vary: (n) => ({
        headers: { 'idempotency-key': `bench-${stamp}-${n}` },
        body: body(units[n % units.length] as string, licenceNo, n + 1000),
      }),
    });
    await relay.flush();
    const allPublishedS = (performance.now() - t0) / 1000;
    const stored = (await models.assessments.countDocuments({})) - before;
    const pending = await models.assessments.countDocuments({ outboxPending: true });
    const accepted = run.statuses[201] ?? 0;
    record(
      `signed pushes (OAuth bearer, Idempotency-Key, 10 findings, receipt, event) from ${o.concurrency} clients for ${o.durationS} s: ${formatLoad(run, o.durationS)}; 201s ${accepted}, stored ${stored}, events still unpublished ${pending} (all published ${allPublishedS.toFixed(1)} s after the start); goal ≥ 500/s, p95 < 50 ms`,
    );

    // Baseline: the same documents inserted straight into the store, same concurrency and duration.
    const bare = conn.db!.collection('bare_assessments');
    const sample = await models.assessments.findOne({}).lean();
    let done = 0;
    const deadline = performance.now() + o.durationS * 1000;
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: o.concurrency }, async (_, w) => {
        for (let i = 0; performance.now() < deadline; i += 1) {
          const t = performance.now();
          await bare.insertOne({ ...sample, _id: `b${w}-${i}` } as never);
          times.push(performance.now() - t);
          done += 1;
        }
      }),
    );
    times.sort((x, y) => x - y);
    const bareRate = done / o.durationS;
    record(
      `baseline: bare insertOne of the same document, ${o.concurrency} writers: ${bareRate.toFixed(0)}/s, p95 ${(times[Math.floor(times.length * 0.95)] ?? NaN).toFixed(1)} ms; pushes/baseline = ${(run.rps / bareRate).toFixed(2)}`,
    );
    await server.close();
    await closeReadiness();
  } finally {
    await relay.stop();
    await publisher.disconnect();
    const keys = await redis.keys(`${redisPrefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
  return out;
}
