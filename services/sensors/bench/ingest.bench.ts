// Sensors ingest benchmark (issue goal: ≥ 10,000 readings/s accepted, alarm p99 < 500 ms), end to
// end on this machine with Kafka and the store on the same cores: the sensors app in-process
// against the local stack (its own database, topic prefix and Redis prefix), N devices registered
// under several gateways, then each gateway's client posts batches to /v1/telemetry back to back
// for the run. Measured: readings/s accepted (202: on Kafka), readings/s evaluated (the evaluator's
// applied count, cross-checked against the hourly buckets it stored), and for a small share of
// readings deliberately over the residual-current limit, the time from the 202 to the
// sensors.alarm.raised event on Kafka. Baseline in the same run: raw kafkajs produce of the same
// readings with the same grouping (one message per reading shard per batch), same concurrency.
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { sensorsAlarmTopic, sensorsReadingTopic } from '@firegov/contracts';
import { createKafka, createPublisher, fromKafkaMessage, startOutboxRelay, topicName } from '@firegov/events';
import { connectMongo, connectRedis, createLogger, ensureModelIndexes, listen } from '@firegov/kit';
import { upsertUnit } from '@firegov/registry';
import { testTokenVerification } from '@firegov/testing';
import { Partitioners } from 'kafkajs';
import { testUnit } from '../test/int/harness.ts';
import { createSensorsApp, type SensorsAppEnv } from '../src/app.ts';
import type { ReadingGroup } from '../src/service/evaluator.ts';
import { readingShardOf } from '../src/domain/readings.ts';
import { startReadingEvaluator } from '../src/events/inbound/readings.ts';
import { liveDatabaseOf, outboxCollections, sensorsModels } from '../src/store/models.ts';

export interface SensorsIngestBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Devices registered (half electrical fire monitors, half smoke detectors). */
  devices: number;
  /** Readings per request. */
  batch: number;
  /** Concurrent clients, each a gateway of its own with its share of the devices. */
  clients: number;
  durationS: number;
  /** Offered rate (readings/s) of the paced phase that measures alarm latency below saturation. */
  pacedRate: number;
  /** `debug` shows each checkpoint's timings. */
  logLevel?: 'warn' | 'debug';
  /** Share of readings over the residual-current limit (each on a channel not yet in alarm). */
  alarmShare?: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const COUNTY = '500230000000';
const admin: Identity = { subject: 'bench-admin', role: 'county_admin', jurisdiction: COUNTY };
/** The local stack's partition count (STACK_KAFKA_PARTITIONS), as the service's topics get it. */
const PARTITIONS = 3;
const UNITS = 20;
/** Channels 2-64 of an electrical fire monitor take the alarm readings, each once. */
const ALARM_CHANNELS = 63;
/** The evaluator counts as stalled when it applies nothing for this long with readings waiting. */
const STALL_MS = 30_000;

const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : 'n/a');
const perS = (n: number) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString('en')}/s` : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

interface Reading {
  deviceId: string;
  at: string;
  point?: string;
  values: Record<string, number | boolean>;
}

/** A telemetry answer as the bench reads it; status 0: no answer within 30 s. */
interface Answer {
  status: number;
  body: { accepted?: number; refused?: unknown[] };
}

interface Client {
  gatewayId: string;
  token: string;
  devices: Array<{ id: string; efm: boolean }>;
}

/**
 * One client's batches: its devices in turn, times strictly increasing per device across batches
 * (so the evaluator applies every reading), and about `share` of them over the limit on a fresh
 * channel of a monitor. `alarmKeys` are the `device|channel` of those.
 */
function batchMaker(c: Client, size: number, share: number) {
  let cursor = 0;
  let last = 0;
  let alarmDue = 0;
  const nextChannel = new Map<string, number>();
  const monitors = c.devices.filter((d) => d.efm);
  let monitorCursor = 0;
  return (): { readings: Reading[]; alarmKeys: string[] } => {
    const rounds = Math.ceil(size / c.devices.length);
    const base = Math.max(Date.now(), last + rounds);
    last = base;
    const readings: Reading[] = [];
    const alarmKeys: string[] = [];
    for (let j = 0; j < size; j++) {
      alarmDue += share;
      const at = new Date(base + Math.floor(j / c.devices.length)).toISOString();
      if (alarmDue >= 1 && monitors.length > 0) {
        alarmDue -= 1;
        const d = monitors[monitorCursor++ % monitors.length]!;
        const channel = nextChannel.get(d.id) ?? 2;
        if (channel < 2 + ALARM_CHANNELS) {
          nextChannel.set(d.id, channel + 1);
          readings.push({ deviceId: d.id, at, point: String(channel), values: { residualCurrentMa: 450 } });
          alarmKeys.push(`${d.id}|${channel}`);
          continue;
        }
      }
      const d = c.devices[cursor++ % c.devices.length]!;
      readings.push(
        d.efm
          ? { deviceId: d.id, at, point: '1', values: { residualCurrentMa: 40 + (j % 90), cableTemperatureC: 30 + (j % 9) } }
          : { deviceId: d.id, at, values: { alarm: false, batteryPercent: 90 - (j % 20) } },
      );
    }
    return { readings, alarmKeys };
  };
}

/** Runs `loop` on every client until the deadline; returns the per-request times. */
/** Each client runs `loop` until `untilMs`; with `everyMs`, a client starts a request at most that often (a paced, open load). */
async function drive(
  clients: readonly Client[],
  untilMs: number,
  loop: (c: Client) => Promise<number>,
  everyMs = 0,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    clients.map(async (c, i) => {
      // Staggered, so paced clients do not all post at the same instant.
      let next = performance.now() + (everyMs * i) / clients.length;
      if (everyMs > 0) await sleep(next - performance.now());
      while (performance.now() < untilMs) {
        times.push(await loop(c));
        next += everyMs;
        if (everyMs > 0) await sleep(Math.max(0, next - performance.now()));
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

export async function runSensorsIngestBench(o: SensorsIngestBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const share = o.alarmShare ?? 0.002;
  const logger = createLogger({ service: 'bench', level: o.logLevel ?? 'warn' });
  const stamp = Date.now().toString(36);
  const prefix = `bench.${stamp}.`;
  const redisPrefix = `bench:${stamp}:`;
  const conn = await connectMongo(o.mongoUrl, `bench_sensors_${stamp}`);
  const models = sensorsModels(conn);
  await ensureModelIndexes(models);
  const redis = await connectRedis(o.redisUrl);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-sensors', logger });
  const admin0 = kafka.admin();
  await admin0.connect();
  const rawTopic = `${prefix}bench.raw-readings`;
  await admin0.createTopics({
    topics: [topicName(prefix, sensorsReadingTopic.name), topicName(prefix, sensorsAlarmTopic.name), rawTopic].map((topic) => ({
      topic,
      numPartitions: PARTITIONS,
    })),
    waitForLeaders: true,
  });
  const publisher = await createPublisher({ kafka, source: 'sensors', topicPrefix: prefix });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 500 });
  const stops: Array<() => Promise<unknown>> = [];
  let wedged = false;
  try {
    for (let i = 0; i < UNITS; i++) await upsertUnit(models, testUnit(`u_bench${String(i).padStart(3, '0')}`));
    // The service's defaults, except the secrets (random) and the prefix (this run's).
    const env: SensorsAppEnv = {
      GATEWAY_TOKEN_SECRET: randomBytes(32).toString('hex'),
      GATEWAY_TOKEN_TTL_S: 900,
      INGEST_RATE_LIMIT_PER_MINUTE: 1200,
      READING_MAX_AGE_HOURS: 72,
      READING_MAX_SKEW_SECONDS: 300,
      DEVICE_CACHE_TTL_MS: 10_000,
      READING_CHECKPOINT_MS: 2000,
      REDIS_KEY_PREFIX: redisPrefix,
    };
    const { app, services, closeReadiness } = createSensorsApp({
      conn,
      models,
      redis,
      kafka,
      relay,
      publisher,
      logger,
      // No user calls the subgraph here; the app still verifies against a (test) issuer's JWKS.
      auth: await testTokenVerification(),
      env,
    });
    const server = await listen(app, 0);
    stops.push(() => server.close(), closeReadiness);

    // Gateways, their tokens, and the devices (round-robin, so each client has its own share).
    progress(`registering ${o.clients} gateways and ${o.devices.toLocaleString('en')} devices`);
    const t0 = performance.now();
    const clients: Client[] = [];
    for (let g = 0; g < o.clients; g++) {
      const issued = await services.gateways.register(admin, {
        name: `压测物联网平台 ${g + 1}`,
        vendor: `压测厂商 ${g + 1}`,
        jurisdictionCode: COUNTY,
        contact: { name: '王工', phone: '13800138000' },
      });
      const res = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: issued.clientId,
          client_secret: issued.clientSecret,
        }),
      });
      const { access_token: token } = (await res.json()) as { access_token: string };
      clients.push({ gatewayId: issued.gatewayId, token, devices: [] });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < o.devices; i = next++) {
          const c = clients[i % clients.length]!;
          const efm = i % 2 === 0;
          const device = await services.devices.register(
            { subject: 'bench', jurisdiction: COUNTY, gatewayId: c.gatewayId },
            {
              serial: `BENCH-${String(i).padStart(6, '0')}`,
              kind: efm ? 'electrical_fire_monitor' : 'smoke_detector',
              name: `压测设备 ${i}`,
              gatewayId: c.gatewayId,
              unitId: `u_bench${String(i % UNITS).padStart(3, '0')}`,
              place: '一楼配电箱',
            },
          );
          c.devices.push({ id: device._id, efm });
        }
      }),
    );
    progress(`registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The evaluator, counting what it applies; a consumer timing each raised alarm.
    let applied = 0;
    const evaluator = {
      ...services.evaluator,
      async apply(groups: readonly ReadingGroup[]) {
        const r = await services.evaluator.apply(groups);
        applied += r.applied;
        return r;
      },
    };
    const running = await startReadingEvaluator({
      kafka,
      publisher,
      logger,
      evaluator,
      topicPrefix: prefix,
      checkpointMs: env.READING_CHECKPOINT_MS,
    });
    // Stored = written by a checkpoint (live state and hourly buckets): what "evaluated" is measured by.
    const stored = () => services.evaluator.counts().stored;
    stops.push(() => running.stop());
    const raisedAt = new Map<string, number>();
    const alarmConsumer = kafka.consumer({ groupId: `bench-alarms-${stamp}` });
    await alarmConsumer.connect();
    stops.push(() => alarmConsumer.disconnect());
    await alarmConsumer.subscribe({ topic: topicName(prefix, sensorsAlarmTopic.name), fromBeginning: true });
    const joined = new Promise<void>((resolve) => alarmConsumer.on(alarmConsumer.events.GROUP_JOIN, () => resolve()));
    await alarmConsumer.run({
      eachMessage: async ({ message }) => {
        const t = performance.now();
        const decoded = fromKafkaMessage(message);
        if (!decoded.ok || decoded.envelope.type !== 'sensors.alarm.raised') return;
        const data = decoded.envelope.data as { deviceId: string; point?: string };
        raisedAt.set(`${data.deviceId}|${data.point ?? ''}`, t);
      },
    });
    await joined;

    // Ingest: each client posts its next batch as soon as the previous one is answered.
    const makers = new Map(clients.map((c) => [c, batchMaker(c, o.batch, share)]));
    let accepted = 0;
    let refused = 0;
    let failed = 0;
    const acceptedAt = new Map<string, number>();
    const post = async (c: Client): Promise<number> => {
      const { readings, alarmKeys } = makers.get(c)!();
      const t = performance.now();
      const answer = await fetch(`${server.url}/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
        body: JSON.stringify({ readings }),
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (res): Promise<Answer> => ({ status: res.status, body: (await res.json()) as Answer['body'] }),
        (): Answer => ({ status: 0, body: {} }),
      );
      const { status, body } = answer;
      const done = performance.now();
      if (status !== 202) failed += 1;
      accepted += body.accepted ?? 0;
      refused += body.refused?.length ?? 0;
      if (status === 202) for (const k of alarmKeys) acceptedAt.set(k, done);
      return done - t;
    };
    const ticker = setInterval(
      () =>
        progress(
          `accepted ${accepted.toLocaleString('en')}, evaluated ${applied.toLocaleString('en')}, stored ${stored().toLocaleString('en')}, alarms raised ${raisedAt.size}`,
        ),
      5000,
    );
    stops.push(async () => clearInterval(ticker));
    /** Until everything accepted is evaluated and stored, within `limitMs`; 'stalled' once nothing was stored for STALL_MS. */
    const evaluatorCatchUp = async (limitMs: number): Promise<'done' | 'stalled' | 'late'> => {
      let seen = stored();
      let movedAt = performance.now();
      for (const deadline = performance.now() + limitMs; stored() < accepted; await sleep(50)) {
        if (stored() !== seen) [seen, movedAt] = [stored(), performance.now()];
        if (performance.now() - movedAt > STALL_MS) return 'stalled';
        if (performance.now() > deadline) return 'late';
      }
      return 'done';
    };
    const stallLine = (when: string) =>
      `evaluator STALLED ${when}: nothing stored for ${STALL_MS / 1000} s with ${(accepted - stored()).toLocaleString('en')} readings waiting (${applied.toLocaleString('en')} evaluated, ${stored().toLocaleString('en')} stored); the local FerretDB wedges a database on an update command of 100 or more statements`;

    // Warm-up (JIT, connections, device cache), then wait for the evaluator before measuring.
    const w0 = performance.now();
    await drive(clients, w0 + 2000, post);
    const warmRate = accepted / ((performance.now() - w0) / 1000);
    let stalled = (await evaluatorCatchUp(60_000)) === 'stalled';
    wedged = stalled;
    let acceptedRate = NaN;
    let evaluatedRate = NaN;
    let latencies: number[] = [];
    let missing = 0;
    if (stalled) {
      acceptedRate = warmRate;
      record(`ingest, 2 s warm-up only: ${perS(warmRate)} readings accepted (202, on Kafka)`);
      record(stallLine(`after the ${accepted.toLocaleString('en')}-reading warm-up`));
    } else {
      const warm = { accepted, applied, stored: stored(), refused, failed };
      acceptedAt.clear();
      raisedAt.clear();
      progress(`posting ${o.batch}-reading batches from ${o.clients} clients for ${o.durationS} s`);
      const start = performance.now();
      const times = await drive(clients, start + o.durationS * 1000, post);
      const end = performance.now();
      const runS = (end - start) / 1000;
      const acceptedRun = accepted - warm.accepted;
      const appliedByEnd = applied - warm.applied;
      stalled = (await evaluatorCatchUp(60_000)) === 'stalled';
      wedged = stalled;
      const drained = performance.now();
      const appliedRun = stored() - warm.stored;
      for (const deadline = performance.now() + 10_000; !stalled && performance.now() < deadline; await sleep(50))
        if ([...acceptedAt.keys()].every((k) => raisedAt.has(k))) break;
      latencies = [...acceptedAt].flatMap(([k, t]) => (raisedAt.has(k) ? [raisedAt.get(k)! - t] : [])).sort((a, b) => a - b);
      missing = acceptedAt.size - latencies.length;
      acceptedRate = acceptedRun / runS;
      evaluatedRate = appliedRun / ((drained - start) / 1000);
      record(
        `ingest: ${o.clients} clients (one gateway each) × ${o.batch}-reading batches for ${runS.toFixed(1)} s over ${o.devices.toLocaleString('en')} devices: ${perS(acceptedRate)} readings accepted (202, on Kafka); ${times.length} requests, p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}; refused ${refused - warm.refused}, non-202 ${failed - warm.failed}`,
      );
      if (stalled) record(stallLine('during the measured run'));
      else {
        // The hourly buckets (finished ones stored, the hour in progress in the live state) count every
        // applied reading once: a check on the evaluator's own count.
        const [hours] = await models.readingHours.aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: '$count' } } }]);
        const openHours = (await models.deviceLive.find().lean()).reduce(
          (n, d) =>
            n +
            Object.values((JSON.parse(d.state) as { hours?: Record<string, { count: number }> }).hours ?? {}).reduce(
              (m, b) => m + b.count,
              0,
            ),
          0,
        );
        record(
          `evaluated and stored: ${perS(evaluatedRate)} (${appliedRun.toLocaleString('en')} of ${acceptedRun.toLocaleString('en')} stored, the last ${((drained - end) / 1000).toFixed(1)} s after the load stopped; ${perS(appliedByEnd / runS)} evaluated while it ran; checkpoint every ${env.READING_CHECKPOINT_MS} ms); hourly buckets count ${((hours?.n ?? 0) + openHours - warm.stored).toLocaleString('en')}`,
        );
      }
      record(
        `alarms: ${acceptedAt.size} readings over the limit (${(share * 100).toFixed(1)} %), ${latencies.length} sensors.alarm.raised seen; 202 → raised on Kafka p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}${missing > 0 ? `; ${missing} not raised` : ''}`,
      );
    }

    // Alarm latency below saturation: the goal's rate offered at a steady pace. At saturation the
    // evaluator's backlog, not the path of an alarm, decides how late an alarm is.
    let pacedP99 = NaN;
    let pacedMissing = 0;
    if (!stalled) {
      const before = { accepted, stored: stored() };
      acceptedAt.clear();
      raisedAt.clear();
      const everyMs = (o.batch * o.clients * 1000) / o.pacedRate;
      progress(
        `paced: ${perS(o.pacedRate)} offered (each client a ${o.batch}-reading batch every ${everyMs.toFixed(0)} ms) for ${o.durationS} s`,
      );
      const p0 = performance.now();
      const times = await drive(clients, p0 + o.durationS * 1000, post, everyMs);
      const pEnd = performance.now();
      const lagAtEnd = accepted - stored();
      const storedAtEnd = stored();
      stalled = (await evaluatorCatchUp(60_000)) === 'stalled';
      for (const deadline = performance.now() + 10_000; !stalled && performance.now() < deadline; await sleep(50))
        if ([...acceptedAt.keys()].every((k) => raisedAt.has(k))) break;
      const paced = [...acceptedAt].flatMap(([k, t]) => (raisedAt.has(k) ? [raisedAt.get(k)! - t] : [])).sort((a, b) => a - b);
      pacedP99 = pct(paced, 99);
      pacedMissing = acceptedAt.size - paced.length;
      const runS = (pEnd - p0) / 1000;
      record(
        `paced at ${perS(o.pacedRate)} offered for ${runS.toFixed(1)} s: ${perS((accepted - before.accepted) / runS)} accepted, ${perS((storedAtEnd - before.stored) / runS)} evaluated and stored while it ran, ${lagAtEnd.toLocaleString('en')} readings not yet stored when the load stopped (one checkpoint period holds about ${perS(o.pacedRate)} × ${(env.READING_CHECKPOINT_MS / 1000).toFixed(0)} s); requests p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}`,
      );
      record(
        `paced alarms: ${acceptedAt.size} readings over the limit, ${paced.length} raised; 202 → sensors.alarm.raised on Kafka p50 ${ms(pct(paced, 50))}, p99 ${ms(pacedP99)}, max ${ms(paced.at(-1) ?? NaN)}${pacedMissing > 0 ? `; ${pacedMissing} not raised` : ''}`,
      );
    }

    // Baseline: the same readings, one message per reading shard per batch, straight to Kafka (acks=all).
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stops.push(() => producer.disconnect());
    let produced = 0;
    const rawMakers = new Map(clients.map((c) => [c, batchMaker(c, o.batch, share)]));
    const produce = async (c: Client): Promise<number> => {
      const { readings } = rawMakers.get(c)!();
      const t = performance.now();
      // Grouped as ingest groups them: one message per reading shard, each device's readings together.
      const byShard = new Map<number, Map<string, Array<Omit<Reading, 'deviceId'>>>>();
      for (const { deviceId, ...r } of readings) {
        const shard = readingShardOf(deviceId);
        const devices = byShard.get(shard) ?? new Map<string, Array<Omit<Reading, 'deviceId'>>>();
        byShard.set(shard, devices);
        devices.set(deviceId, [...(devices.get(deviceId) ?? []), r]);
      }
      const receivedAt = new Date().toISOString();
      await producer.send({
        topic: rawTopic,
        acks: -1,
        messages: [...byShard].map(([shard, devices]) => ({
          key: `shard:${shard}`,
          value: JSON.stringify({
            shard,
            via: c.gatewayId,
            receivedAt,
            devices: [...devices].map(([deviceId, list]) => ({ deviceId, readings: list })),
          }),
        })),
      });
      produced += readings.length;
      return performance.now() - t;
    };
    progress(`baseline: raw kafkajs produce from ${o.clients} clients for ${o.durationS} s`);
    const b0 = performance.now();
    const rawTimes = await drive(clients, b0 + o.durationS * 1000, produce);
    const rawRate = produced / ((performance.now() - b0) / 1000);
    record(
      `baseline: raw kafkajs produce of the same readings (grouped as ingest groups them: one message per reading shard per batch, acks=all), ${o.clients} in flight: ${perS(rawRate)}; per batch p50 ${ms(pct(rawTimes, 50))}, p99 ${ms(pct(rawTimes, 99))}`,
    );
    record(
      `ratios: accepted/baseline ${ratio(acceptedRate, rawRate)}, evaluated/baseline ${ratio(evaluatedRate, rawRate)}, evaluated/accepted ${ratio(evaluatedRate, acceptedRate)}`,
    );
    const met =
      !stalled && acceptedRate >= 10_000 && evaluatedRate >= 10_000 && pacedP99 < 500 && missing === 0 && pacedMissing === 0;
    record(
      `summary: ${perS(acceptedRate)} accepted, ${stalled ? 'evaluator stalled' : `${perS(evaluatedRate)} evaluated and stored`} at saturation; alarm p99 ${ms(pacedP99)} at ${perS(o.pacedRate)} offered (${ms(pct(latencies, 99))} at saturation); goal ≥ 10,000 readings/s, p99 < 500 ms: ${met ? 'met' : 'NOT met'} (${PARTITIONS} partitions, broker and store on the same cores)`,
    );
  } finally {
    // A wedged store holds a stuck command until its connection closes: close it by force first,
    // so what waits on the store fails and stops; drop the database through a new connection.
    if (wedged) await conn.close(true);
    for (const stop of stops.reverse()) await Promise.race([stop().catch(() => undefined), sleep(15_000)]);
    await Promise.race([relay.stop().catch(() => undefined), sleep(15_000)]);
    await publisher.disconnect();
    const topics = (await admin0.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin0.deleteTopics({ topics }).catch(() => undefined);
    const keys = await redis.keys(`${redisPrefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await admin0.deleteGroups([`${prefix}sensors.evaluator`, `bench-alarms-${stamp}`]).catch(() => undefined);
    await admin0.disconnect();
    await conn.close(true);
    // A command the store was stuck on finishes once its connection is gone and may write again:
    // drop after it, twice.
    const dropper = await connectMongo(o.mongoUrl, `bench_sensors_${stamp}`);
    for (const wait of [2000, 3000]) {
      await sleep(wait);
      await dropper.dropDatabase().catch(() => undefined);
      await liveDatabaseOf(dropper)
        .dropDatabase()
        .catch(() => undefined);
    }
    await dropper.close();
  }
  return out;
}
