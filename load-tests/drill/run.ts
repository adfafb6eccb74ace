// `npm run drill`: the fault drill (ISSUE 14). Under a steady load of agency pushes, each service on
// the push's path is killed with SIGKILL and started again, the Kafka broker is restarted, Redis is
// stopped for 10 s and the store is restarted. Afterwards the drill counts what the agencies were
// told was accepted against what was stored, published and applied by the consumers in entities and
// inspections, and fails unless nothing was lost, nothing was applied twice and every consumer
// caught up within DRILL_CATCHUP_S. It runs on a stack of its own (load-tests/drill/stack.ts) and
// writes its figures to reports/drill.json for the capacity report.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { assessmentTopic } from '@firegov/contracts';
import { createKafka } from '@firegov/events';
import { connectMongo, createLogger } from '@firegov/kit';
import { collectTopics } from '@firegov/testing';
import { demoAgencySecret } from '../../infra/src/services.ts';
import { startLoadPlatform, type LoadPlatform } from '../harness/platform.ts';
import { drillEnv } from './env.ts';
import { caughtUp, judge, tally, type DrillCounts, type DrillReport, type FaultOutcome, type Observed } from './ledger.ts';
import { startPushLoad, type PushLoad } from './pushes.ts';
import { startDrillStack, type DrillStack } from './stack.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOWNSHIP = '500230213000';
const DEMO_AGENCY_CREDIT_CODE = '91500230MA5U0A2B3X';
const say = (line: string) => process.stderr.write(`[drill] ${line}\n`);

interface Fault {
  name: string;
  inject: (platform: LoadPlatform, stack: DrillStack) => Promise<void>;
}

const crash = (service: 'entities' | 'inspections' | 'assessment'): Fault => ({
  name: `${service}: SIGKILL, then started again`,
  inject: async (platform) => {
    await platform.kill(service);
    await platform.restart(service);
  },
});

const FAULTS: readonly Fault[] = [
  crash('assessment'),
  crash('inspections'),
  crash('entities'),
  {
    name: 'Kafka broker restarted',
    inject: async (_, stack) => {
      await stack.stop('kafka');
      await stack.start('kafka');
    },
  },
  {
    name: 'Redis stopped for 10 s',
    inject: async (_, stack) => {
      await stack.stop('redis');
      await sleep(10_000);
      await stack.start('redis');
    },
  },
  {
    name: 'the store (FerretDB) restarted',
    inject: async (_, stack) => {
      await stack.stop('ferretdb');
      await stack.start('ferretdb');
    },
  },
];

/** What each stage holds now, read straight from the stores and the topic. */
async function observe(
  platform: LoadPlatform,
  stack: DrillStack,
  agencyId: string,
  unitIds: readonly string[],
  topic: { messages: ReadonlyArray<{ envelope?: { id: string; type: string; data: unknown } }> },
): Promise<Observed> {
  const read = async <T>(
    service: 'entities' | 'inspections' | 'assessment',
    fn: (db: Awaited<ReturnType<typeof connectMongo>>) => Promise<T>,
  ) => {
    const conn = await connectMongo(stack.mongoUrl, platform.dbName(service));
    try {
      return await fn(conn);
    } finally {
      await conn.close();
    }
  };
  const stored = await read('assessment', async (db) =>
    (
      await db
        .collection('assessments')
        .find({ agencyId }, { projection: { idempotencyKey: 1, version: 1 } })
        .toArray()
    ).map((d) => ({
      id: String(d._id),
      idempotencyKey: String(d.idempotencyKey),
      versions: Number(d.version),
    })),
  );
  const hazards = await read('inspections', async (db) =>
    (
      await db
        .collection('hazards')
        .find({ 'sourceRef.kind': 'assessment' }, { projection: { sourceRef: 1 } })
        .toArray()
    ).map((d) => String((d.sourceRef as { id: string }).id)),
  );
  const applied = await read('entities', async (db) =>
    (
      await db
        .collection('units')
        .find({ _id: { $in: [...unitIds] } as never }, { projection: { appliedEventIds: 1 } })
        .toArray()
    ).flatMap((d) => (d.appliedEventIds as string[] | undefined) ?? []),
  );
  const published = topic.messages.flatMap((m) =>
    m.envelope?.type === 'assessment.assessment.submitted'
      ? [{ assessmentId: (m.envelope.data as { id: string }).id, eventId: m.envelope.id }]
      : [],
  );
  return { stored, published, hazards, entitiesApplied: new Set(applied) };
}

async function demoAgency(
  platform: LoadPlatform,
  stack: DrillStack,
): Promise<{ agencyId: string; licenceNo: string; unitIds: string[] }> {
  const conn = await connectMongo(stack.mongoUrl, platform.dbName('assessment'));
  try {
    const agency = await conn.collection('agencies').findOne({ creditCode: DEMO_AGENCY_CREDIT_CODE });
    if (!agency) throw new Error('the demo agency was not loaded');
    const licenceNo = String((agency.engineers as Array<{ licenceNo: string }>)[0]?.licenceNo);
    // The assessment service learns units from the registry topic: wait until it knows the township's.
    for (let i = 0; i < 120; i += 1) {
      const units = await conn
        .collection('units')
        .find({ status: 'active', scope: TOWNSHIP }, { projection: { _id: 1 } })
        .limit(100)
        .toArray();
      if (units.length >= 20) return { agencyId: String(agency._id), licenceNo, unitIds: units.map((u) => String(u._id)) };
      await sleep(1000);
    }
    throw new Error('the assessment service did not learn the demo units within 120 s');
  } finally {
    await conn.close();
  }
}

async function main(): Promise<number> {
  const env = drillEnv();
  say(
    `starting the drill's own stack (Kafka :${env.DRILL_KAFKA_PORT}, FerretDB :${env.DRILL_MONGO_PORT}, Redis :${env.DRILL_REDIS_PORT})`,
  );
  const stack = await startDrillStack(REPO_ROOT, {
    kafka: env.DRILL_KAFKA_PORT,
    controller: env.DRILL_KAFKA_CONTROLLER_PORT,
    mongo: env.DRILL_MONGO_PORT,
    redis: env.DRILL_REDIS_PORT,
  });
  let platform: LoadPlatform | undefined;
  let load: PushLoad | undefined;
  try {
    platform = await startLoadPlatform({
      brokers: stack.brokers,
      mongoUrl: stack.mongoUrl,
      redisUrl: stack.redisUrl,
      services: ['entities', 'inspections', 'assessment'],
      demoUnits: env.DRILL_UNITS,
      gateway: false,
      logDir: path.join(REPO_ROOT, 'reports', 'drill-logs'),
    });
    const { agencyId, licenceNo, unitIds } = await demoAgency(platform, stack);
    load = startPushLoad({
      baseUrl: platform.url('assessment'),
      clientId: `${agencyId}.demo`,
      clientSecret: demoAgencySecret(platform.derive),
      licenceNo,
      unitIds,
      ratePerSecond: env.DRILL_RATE,
      runId: `drill${Date.now().toString(36)}`,
    });
    const pushes = load;
    const ticker = setInterval(() => {
      const s = pushes.stats;
      say(
        `  ${s.sent} pushes sent, ${pushes.accepted.length} accepted, ${s.inFlight} being retried, ${s.refused.length} refused; other answers ${JSON.stringify(s.answers)}`,
      );
    }, 5000);
    const faults: FaultOutcome[] = [];
    try {
      say(`steady load: ${env.DRILL_RATE} pushes/s to ${unitIds.length} units for ${env.DRILL_STEADY_S} s`);
      await sleep(env.DRILL_STEADY_S * 1000);
      for (const fault of FAULTS) {
        const before = pushes.accepted.length;
        say(`fault: ${fault.name}`);
        const t0 = Date.now();
        await fault.inject(platform, stack);
        const recoveredS = (Date.now() - t0) / 1000;
        say(`  recovered after ${recoveredS.toFixed(1)} s; steady load for ${env.DRILL_STEADY_S} s`);
        await sleep(env.DRILL_STEADY_S * 1000);
        faults.push({ fault: fault.name, recoveredS, acceptedDuring: pushes.accepted.length - before });
      }
      say('load ends; pushes still being retried get 120 s');
      await pushes.stop(120_000);
    } finally {
      clearInterval(ticker);
    }
    const loadEnded = Date.now();

    const kafka = createKafka({
      brokers: stack.brokers,
      clientId: 'drill',
      logger: createLogger({ service: 'drill', level: 'warn' }),
    });
    const topic = await collectTopics(kafka, [`${platform.topicPrefix}${assessmentTopic.name}`]);
    let counts: DrillCounts;
    let catchUpS: number | undefined;
    try {
      for (;;) {
        counts = tally(pushes.accepted, await observe(platform, stack, agencyId, unitIds, topic));
        if (caughtUp(counts)) {
          catchUpS = (Date.now() - loadEnded) / 1000;
          break;
        }
        if (Date.now() - loadEnded > env.DRILL_CATCHUP_S * 1000) break;
        say(
          `  catching up: stored ${counts.stored}, published ${counts.published}, hazards ${counts.hazardsApplied}/${counts.hazardsExpected}, entities ${counts.entitiesApplied} of ${counts.accepted}`,
        );
        await sleep(2000);
      }
    } finally {
      await topic.stop();
    }
    const verdicts = judge(counts, catchUpS, env.DRILL_CATCHUP_S, platform.died(), {
      sent: pushes.stats.sent,
      refused: pushes.stats.refused.length,
    });
    const s = pushes.stats;
    const report: DrillReport = {
      at: new Date().toISOString(),
      conditions: `${env.DRILL_RATE} pushes/s (1–2 findings each) to ${unitIds.length} units of a ${env.DRILL_UNITS}-unit demo county; ${env.DRILL_STEADY_S} s of steady load around each fault; entities, inspections and assessment as processes; Kafka, FerretDB and Redis of the drill's own`,
      faults,
      push: {
        sent: s.sent,
        accepted: pushes.accepted.length,
        retries: s.retries,
        refused: s.refused.length,
        longestWaitS: s.longestWaitMs / 1000,
        answers: s.answers,
      },
      counts,
      catchUpS: catchUpS ?? null,
      verdicts,
    };
    fs.mkdirSync(path.join(REPO_ROOT, 'reports'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'reports', 'drill.json'), `${JSON.stringify(report, null, 2)}\n`);
    print(report, s.refused);
    return verdicts.every((v) => v.pass) ? 0 : 1;
  } finally {
    await load?.stop(0);
    await platform?.stop().catch((err: unknown) => say(`platform stop: ${String(err)}`));
    await stack.destroy();
  }
}

function print(r: DrillReport, refused: ReadonlyArray<{ key: string; status: number; body: string }>): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\nfault drill, ${r.conditions}\n`);
  for (const f of r.faults)
    out(
      `  ${f.fault.padEnd(44)} recovered in ${f.recoveredS.toFixed(1).padStart(5)} s, ${f.acceptedDuring} pushes accepted meanwhile`,
    );
  const c = r.counts;
  out(
    `\n  pushes sent ${r.push.sent}, accepted ${r.push.accepted}, retries ${r.push.retries}, refused ${r.push.refused}; longest wait for a 201 ${r.push.longestWaitS.toFixed(1)} s; answers other than 201: ${JSON.stringify(r.push.answers)}`,
  );
  out(
    `  stored ${c.stored}/${c.accepted}, published ${c.published}/${c.accepted} (${c.republished} events delivered again), hazards ${c.hazardsApplied}/${c.hazardsExpected}, entities grades ${c.entitiesApplied}/${c.accepted}`,
  );
  for (const x of refused.slice(0, 5)) out(`  refused ${x.key}: ${x.status} ${x.body}`);
  for (const v of r.verdicts) out(`  ${v.pass ? 'pass' : 'FAIL'}  ${v.what.padEnd(22)} ${v.detail}`);
  const failed = r.verdicts.filter((v) => !v.pass).length;
  out(`\n${r.verdicts.length - failed} passed, ${failed} failed`);
}

process.exitCode = await main().catch((err: unknown) => {
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
});
