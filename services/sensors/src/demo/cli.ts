// Loads the demo county's monitoring devices: `node services/sensors/src/demo/cli.ts [minUnits]`,
// run by `npm start` once the service is up. Waits until the registry view has learned at least
// minUnits demo units (and the household view some households), makes sure the demo gateway exists
// with the client secret npm start derives (DEMO_GATEWAY_CLIENT_SECRET), registers the planned
// devices it lacks through the gateway REST API, then starts the simulator (simulate.ts) in the
// background and exits. Loading twice registers nothing new. Prints one JSON line with the result.
import { connectMongo, createLogger, waitForCount } from '@firegov/kit';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sensorsModels } from '../store/models.ts';
import { ensureDemoGateway } from './demo-gateway.ts';
import { loadDemoEnv, serviceUrlOf, simulatorEnv } from './env.ts';
import { planFleet, type DemoUnit } from './fleet.ts';
import { gatewayApi } from './gateway-api.ts';

const env = loadDemoEnv();
const logger = createLogger({ service: 'sensors-demo', level: env.LOG_LEVEL });
const minUnits = Number(process.argv[2] ?? 1);
if (!Number.isInteger(minUnits) || minUnits < 0) {
  process.stderr.write('usage: DEMO_GATEWAY_CLIENT_SECRET=<≥16 chars> cli.ts [minUnits]\n');
  process.exit(2);
}

const conn = await connectMongo(env.MONGO_URL, env.MONGO_DB, logger);
const models = sensorsModels(conn);
try {
  // The registry and the households arrive over Kafka: a county-sized registry takes minutes.
  await waitForCount({
    count: () => models.units.countDocuments({ demo: true, status: 'active' }),
    target: minUnits,
    what: 'demo units in the registry view',
    logger,
  });
  // Households are a bonus: a county without any still gets its unit devices.
  await waitForCount({
    count: () => models.households.estimatedDocumentCount(),
    target: minUnits > 0 ? 1 : 0,
    what: 'households in the household view',
    logger,
    stallMs: 30_000,
  }).catch((err: unknown) => logger.warn({ err }, 'no households yet: household devices are left out'));

  const units = await models.units
    .find({ demo: true, status: 'active' }, { _id: 1, category: 1, keyUnit: 1, highRise: 1 })
    .lean<DemoUnit[]>();
  const households = await models.households.find({}, { _id: 1 }).lean<Array<{ _id: string }>>();
  const plan = planFleet(units, households);

  const gateway = await ensureDemoGateway(models, env.DEMO_GATEWAY_CLIENT_SECRET, new Date());
  const api = gatewayApi({
    baseUrl: serviceUrlOf(env),
    clientId: gateway.clientId,
    clientSecret: env.DEMO_GATEWAY_CLIENT_SECRET,
  });
  // A rekeyed gateway may still be in the service's 2-second gateway cache.
  if (gateway.outcome === 'rekeyed') await new Promise((resolve) => setTimeout(resolve, 2500));
  await api.token();

  const registered = new Set(
    (await models.devices.find({ gatewayId: gateway.gatewayId }, { serial: 1 }).lean<Array<{ serial: string }>>()).map(
      (d) => d.serial,
    ),
  );
  const missing = plan.devices.filter((d) => !registered.has(d.serial));
  let added = 0;
  for (const [i, device] of missing.entries()) {
    if (await api.register(gateway.gatewayId, device)) added += 1;
    if ((i + 1) % 50 === 0 || i + 1 === missing.length)
      logger.info({ done: i + 1, total: missing.length }, 'demo: devices registered');
  }

  let simulator: string | number = 'off';
  if (env.DEMO_SIMULATOR === 'on') {
    // Its own process group, so it outlives this loader; it ends with npm start (DEMO_PARENT_PID).
    const child = spawn(process.execPath, [fileURLToPath(new URL('./simulate.ts', import.meta.url))], {
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: simulatorEnv(process.ppid),
    });
    child.unref();
    simulator = child.pid ?? 'not started';
  }
  const summary = {
    gatewayId: gateway.gatewayId,
    clientId: gateway.clientId,
    gateway: gateway.outcome,
    devices: plan.devices.length,
    registered: added,
    alreadyRegistered: plan.devices.length - added,
    householdDevices: plan.devices.filter((d) => d.householdId).length,
    uitds: plan.uitds.map((u) => u.address),
    simulator,
  };
  logger.info(summary, 'demo devices loaded');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await conn.close();
}
