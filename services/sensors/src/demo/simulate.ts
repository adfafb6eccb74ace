// The demo devices, talking: `node services/sensors/src/demo/simulate.ts` (the demo loader starts it
// in the background after registering the fleet). Normal readings every few seconds in batches over
// REST, occasional alarms, faults, devices going silent, and transmission devices speaking
// GB/T 26875.3 to the listener. One simulator per deployment (a Redis lease); it stops on SIGINT or
// SIGTERM, when DEMO_PARENT_PID (npm start) is gone, or when the service has not answered for 30 s.
import { acquireLease, connectMongo, connectRedis, createLogger, type Lease } from '@firegov/kit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceKind } from '../domain/kinds.ts';
import { sensorsModels } from '../store/models.ts';
import { DEMO_CLIENT_ID, DEMO_GATEWAY_ID } from './demo-gateway.ts';
import { loadDemoEnv, serviceUrlOf } from './env.ts';
import { gatewayApi } from './gateway-api.ts';
import { startSimulator, type DemoUitd } from './run-simulator.ts';
import { simFleet } from './traffic.ts';

const SERVICE_SILENCE_MS = 30_000;
const LEASE_TTL_MS = 15_000;

const env = loadDemoEnv();
const logger = createLogger({ service: 'sensors-demo-simulator', level: env.LOG_LEVEL });

const parentAlive = (): boolean => {
  if (env.DEMO_PARENT_PID === undefined) return true;
  try {
    process.kill(env.DEMO_PARENT_PID, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The fleet as registered (the loader's plan may have been made from other units). */
async function loadFleet() {
  const conn = await connectMongo(env.MONGO_URL, env.MONGO_DB, logger);
  try {
    const docs = await sensorsModels(conn)
      .devices.find({ gatewayId: DEMO_GATEWAY_ID, status: 'active' }, { _id: 1, kind: 1, serial: 1, uitd: 1 })
      .lean<Array<{ _id: string; kind: DeviceKind; serial: string; uitd?: { address: string; system: number } }>>();
    const uitds = new Map<string, number[]>();
    for (const d of docs) if (d.uitd) uitds.set(d.uitd.address, [...(uitds.get(d.uitd.address) ?? []), d.uitd.system].sort());
    const demoUitds: DemoUitd[] = [...uitds]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([address, systems]) => ({ address, systems }));
    return { devices: simFleet(docs), uitds: demoUitds };
  } finally {
    await conn.close();
  }
}

const redis = await connectRedis(env.REDIS_URL, logger);
const leaseKey = `${env.REDIS_KEY_PREFIX}demo:simulator`;
let lease: Lease | null = null;
// A simulator killed without releasing its lease holds it for up to LEASE_TTL_MS more.
for (const until = Date.now() + LEASE_TTL_MS + 5000; !lease && Date.now() < until; await sleep(1000))
  lease = await acquireLease(redis, leaseKey, LEASE_TTL_MS);
if (!lease) {
  logger.info('another demo simulator is running; this one exits');
  redis.disconnect();
  process.exit(0);
}

const held: Lease = lease;
const { devices, uitds } = await loadFleet();
const api = gatewayApi({ baseUrl: serviceUrlOf(env), clientId: DEMO_CLIENT_ID, clientSecret: env.DEMO_GATEWAY_CLIENT_SECRET });
const gbtHost = env.GBT26875_HOST === '0.0.0.0' ? '127.0.0.1' : env.GBT26875_HOST;
const sim = startSimulator({
  api,
  devices,
  uitds,
  gbt: env.GBT26875_PORT > 0 ? { host: gbtHost, port: env.GBT26875_PORT } : null,
  logger,
});
logger.info({ devices: devices.length, uitds: uitds.length, pid: process.pid }, 'demo simulator started');

const done = new Promise<string>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  const watch = setInterval(() => {
    if (!parentAlive()) resolve('npm start has ended');
    else if (Date.now() - sim.stats.lastContact > SERVICE_SILENCE_MS) resolve('the service has not answered for 30 s');
    else if (!held.held()) resolve('the simulator lease was lost');
  }, 2000);
  watch.unref();
});
const reason = await done;
logger.info({ reason, stats: sim.stats }, 'demo simulator stopping');
await sim.stop();
await held.release().catch(() => undefined);
redis.disconnect();
process.exit(0);
