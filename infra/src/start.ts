import path from 'node:path';
import { parseDemoUnits } from './demo-units.ts';
import { untilInterrupted } from './interrupt.ts';
import { demoUnitsSetting, devSeed, type StackEnv } from './env.ts';
import { dashboardFollowingPrometheus } from './dashboard/launch.ts';
import { startPlatform, type RunningPlatform } from './platform.ts';
import { stderrSay } from './progress.ts';
import { up } from './stack.ts';

const say = stderrSay('start');

/**
 * `npm start [-- --units N]`: the stack, the entities, inspections and assessment services, demo
 * data, the gateway. Jaeger and Prometheus are optional: they build and start in the background and
 * nothing waits for them; the operators' dashboard starts once Prometheus answers. Prints the
 * GraphQL URL and tokens, stays in the foreground; Ctrl-C (`signal`) stops everything it started,
 * and so does a failed start.
 */
export async function start(env: StackEnv, argv: readonly string[], signal: AbortSignal): Promise<number> {
  const demoUnits = parseDemoUnits(argv, demoUnitsSetting());
  const stack: StackEnv = { ...env, STACK_JAEGER: '1', STACK_PROMETHEUS: '1' };
  // Operators read traces in the dashboard's Traces tab: the Jaeger built from the Go module proxy
  // answers its query API but has no UI of its own (jaeger-ui is embedded only in release builds).
  const tracesView = `http://127.0.0.1:${stack.STACK_DASHBOARD_PORT}/#traces`;
  const jaegerApi = `http://127.0.0.1:${stack.STACK_JAEGER_UI_PORT}/api`;
  const prometheusUrl = `http://127.0.0.1:${stack.STACK_PROMETHEUS_PORT}`;
  let bannerShown = false;
  const logDir = path.join(stack.dataDir, 'logs');
  const dashboard = dashboardFollowingPrometheus({ stack, logDir, signal, say });
  // Whatever was already running (a stack from `npm run stack:up`) is left running on exit.
  const session = await up(stack, {
    optional: 'background',
    signal,
    onOptional: (name, error) => {
      if (name === 'prometheus' && !error) dashboard.prometheusReady();
      if (!bannerShown) return;
      if (name === 'jaeger') {
        if (error) say(`Jaeger could not be started; the platform keeps running without traces.`);
        else
          say(
            `Jaeger is ready: traces are now in the operators' dashboard's Traces tab, ${tracesView} (Jaeger's API: ${jaegerApi})`,
          );
      }
      if (name === 'prometheus') {
        if (error) say(`Prometheus could not be started; the platform keeps running without metrics history and alerts.`);
        else say(`Prometheus is ready: metrics and alerts at ${prometheusUrl}/api/v1/alerts`);
      }
    },
  });
  if (session.ready.has('prometheus')) dashboard.prometheusReady();
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      stack,
      devSeed: devSeed(),
      gatewayPort: 4000,
      mongoDbPrefix: 'firegov_',
      redisKeyPrefix: 'firegov:',
      topicPrefix: '',
      demoUnits,
      // The services export spans here from the start; until Jaeger answers, the exporter's sends
      // fail quietly and those spans are dropped.
      otlpEndpoint: `http://127.0.0.1:${stack.STACK_OTLP_HTTP_PORT}`,
      logDir,
      signal,
    });
  } catch (err) {
    await dashboard.stop();
    await session.stop();
    throw err;
  }
  const traces = session.ready.has('jaeger')
    ? tracesView
    : session.failed.has('jaeger')
      ? 'not available (Jaeger failed to start; see above)'
      : `${tracesView} once Jaeger is built (announced here)`;
  const metrics = session.ready.has('prometheus')
    ? `${prometheusUrl}/api/v1/alerts`
    : session.failed.has('prometheus')
      ? 'not available (Prometheus failed to start; see above)'
      : `${prometheusUrl} once Prometheus is built (announced here)`;
  const lines = [
    '',
    `GraphQL (GraphiQL in a browser): ${platform.graphqlUrl}`,
    `Traces (dashboard, Traces tab):  ${traces}`,
    `  Jaeger's query API:            ${jaegerApi} (Jaeger's own UI is not part of its module build)`,
    `Metrics and alerts (Prometheus): ${metrics}; every service answers /metrics`,
    `Operators' dashboard (browser):  ${await dashboard.bannerLine(session.failed.has('prometheus'))}`,
    `Logs:                            ${logDir}`,
    '',
    `Identity (OpenID provider):      ${platform.identity.issuer}/.well-known/openid-configuration`,
    ...identityLines(platform),
    '',
    `Tokens (send as "Authorization: Bearer <token>"; they expire in 10 min; \`npm run token -- --all\` gets fresh ones):`,
    ...platform.tokens.map((t) => `  ${t.role.padEnd(22)} ${t.jurisdiction}  (${t.who})\n    ${t.token}`),
    '',
    `Try: curl -s ${platform.graphqlUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `       -d '{"query":"{ villageSummaries { villageName units byGrade { major significant } } }"}'`,
    `     and { hazardQueue(queue: overdue) { totalCount nodes { title unitName deadline escalation { level } unit { risk { grade } } } } }`,
    `Public reports (OpenAPI): http://127.0.0.1:4002/public/v1/openapi.json`,
    `Agency push API (OpenAPI): http://127.0.0.1:4003/v1/openapi.json`,
    ...(platform.demoAgency
      ? [`  demo agency client: CLIENT_ID=${platform.demoAgency.clientId} CLIENT_SECRET=${platform.demoAgency.clientSecret}`]
      : []),
    `Device gateway API (OpenAPI): http://127.0.0.1:4004/v1/openapi.json`,
    ...(platform.demoGateway
      ? [`  demo gateway client: CLIENT_ID=${platform.demoGateway.clientId} CLIENT_SECRET=${platform.demoGateway.clientSecret}`]
      : []),
    '',
    'Press Ctrl-C to stop everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  bannerShown = true;
  dashboard.bannerShown();
  await untilInterrupted(signal);
  await platform.stop();
  await dashboard.stop();
  await session.stop();
  say('stopped');
  return 0;
}

/** How to get a token from the identity service: as the demo county platform (curl) and as a demo person. */
function identityLines(platform: RunningPlatform): string[] {
  const { issuer, loginUrl, demo } = platform.identity;
  if (!demo) return [`  sign in (people): ${loginUrl}`];
  const { clientId, clientSecret } = demo.platformClient;
  return [
    `  as a platform (client credentials): curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials -d scope=read ${issuer}/token`,
    `  as a person (browser): ${loginUrl}  users ${demo.usernames.join(', ')}  password ${demo.password}`,
    `  as a person (scripts): TOKEN=$(npm run -s token -- --role township_officer --jurisdiction 500230213000)`,
  ];
}
