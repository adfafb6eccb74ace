import path from 'node:path';
import { DEV_JWT_SECRET } from '../../gateway/src/dev-secret.ts';
import { configuredJwtSecret, type StackEnv } from './env.ts';
import { startPlatform } from './platform.ts';
import { down, up } from './stack.ts';

/**
 * `npm start`: the stack (with Jaeger), the entities, inspections and assessment services, demo data, the gateway. Prints the
 * GraphQL URL and tokens, stays in the foreground; Ctrl-C stops everything it started.
 */
export async function start(env: StackEnv): Promise<number> {
  const stack: StackEnv = { ...env, STACK_JAEGER: '1' };
  // Whatever was already running (a stack from `npm run stack:up`) is left running on exit.
  const started = await up(stack);
  const jwtSecret = configuredJwtSecret() ?? DEV_JWT_SECRET;
  let platform;
  try {
    platform = await startPlatform({
      stack,
      jwtSecret,
      entitiesPort: 4001,
      inspectionsPort: 4002,
      assessmentPort: 4003,
      gatewayPort: 4000,
      mongoDbPrefix: 'firegov_',
      redisKeyPrefix: 'firegov:inspections:',
      topicPrefix: '',
      demoUnits: 2000,
      otlpEndpoint: `http://127.0.0.1:${stack.STACK_OTLP_HTTP_PORT}`,
      logDir: path.join(stack.dataDir, 'logs'),
    });
  } catch (err) {
    await down(stack, started);
    throw err;
  }
  const lines = [
    '',
    `GraphQL (GraphiQL in a browser): ${platform.graphqlUrl}`,
    `Traces (Jaeger UI):              http://127.0.0.1:${stack.STACK_JAEGER_UI_PORT}`,
    `Logs:                            ${path.join(stack.dataDir, 'logs')}`,
    '',
    'Tokens (send as "Authorization: Bearer <token>"; `npm run token -- --all` mints more):',
    ...platform.tokens.map((t) => `  ${t.role.padEnd(22)} ${t.jurisdiction}\n    ${t.token}`),
    '',
    `Try: curl -s ${platform.graphqlUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `       -d '{"query":"{ villageSummaries { villageName units byGrade { major significant } } }"}'`,
    `     and { hazardQueue(queue: overdue) { totalCount nodes { title unitName deadline escalation { level } unit { risk { grade } } } } }`,
    `Public reports (OpenAPI): http://127.0.0.1:4002/public/v1/openapi.json`,
    `Agency push API (OpenAPI): http://127.0.0.1:4003/v1/openapi.json`,
    ...(platform.demoAgency
      ? [`  demo agency client: CLIENT_ID=${platform.demoAgency.clientId} CLIENT_SECRET=${platform.demoAgency.clientSecret}`]
      : []),
    '',
    'Press Ctrl-C to stop everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  process.stderr.write('[start] stopping\n');
  await platform.stop();
  await down(stack, started);
  return 0;
}
