import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnv, type StackEnv } from './env.ts';
import { signInWithPassword } from '@firegov/auth';
import {
  demoAgencySecret,
  demoGatewaySecret,
  demoPlatformClientSecret,
  demoUserPassword,
  DEMO_PEOPLE,
  devDerive,
  PLATFORM_SERVICES,
  type Derive,
} from './services.ts';

const DEMO_GATEWAY_CLIENT = 'gw_demo.demo';
// The identity service's demo county platform client (services/identity/src/demo/cli.ts).
const DEMO_PLATFORM_CLIENT = 'pc_demo_county';
/** The identity service's public client for people (the console), and where its codes land. */
import { step, type StepLabel } from './progress.ts';
import { abortError, runLogged } from './run-logged.ts';

// Runs the platform's own processes (services, then the gateway) on top of the stack, the way
// `npm start` does; the end-to-end test uses the same code with its own ports and database.

export interface PlatformOptions {
  stack: StackEnv;
  /**
   * The development seed every development secret is derived from (DEV_SEED in env.ts). It stays
   * here: no process is given it, and users' tokens are signed only by the identity service.
   */
  devSeed: string;
  /** The port of each service by name; a service not named gets its catalogue port. */
  ports?: Partial<Record<string, number>>;
  gatewayPort: number;
  /** Database names are this plus the service, e.g. `firegov_entities`. */
  mongoDbPrefix: string;
  /** Redis keys start with this plus the service, e.g. `firegov:entities:` (read models, locks, limits). */
  redisKeyPrefix: string;
  topicPrefix: string;
  demoUnits: number;
  otlpEndpoint?: string;
  logDir: string;
  /** Ctrl-C: stops what was started and rejects. */
  signal?: AbortSignal;
}

export interface RunningPlatform {
  graphqlUrl: string;
  /** Each service's base URL (`http://127.0.0.1:<port>`), by name. */
  serviceUrls: Record<string, string>;
  /** The demo agency's API client, for trying the push API (only with demo data). */
  demoAgency?: { clientId: string; clientSecret: string };
  /** The demo device gateway's API client, for trying telemetry ingest (only with demo data). */
  demoGateway?: { clientId: string; clientSecret: string };
  tokens: Array<{ role: string; jurisdiction: string; token: string; who: string }>;
  /** The identity service: its issuer, the demo people's sign-in and the demo county platform client (only with demo data). */
  identity: {
    issuer: string;
    loginUrl: string;
    demo?: { usernames: readonly string[]; password: string; platformClient: { clientId: string; clientSecret: string } };
  };
  stop(): Promise<void>;
}

const log = (msg: string) => process.stderr.write(`[platform] ${msg}\n`);

/** The last `{ done, total }` a loader logged (pino JSON lines), as "1,500 of 50,000 demo units registered". */
export function lastProgress(text: string): string | undefined {
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /"done":(\d+),"total":(\d+)/.exec(lines[i]!);
    if (!m) continue;
    const msg = /"msg":"([^"]*)"/.exec(lines[i]!)?.[1]?.replace(/^demo: /, '');
    return `${Number(m[1]).toLocaleString('en')} of ${Number(m[2]).toLocaleString('en')}${msg ? ` ${msg}` : ''}`;
  }
  return undefined;
}

/**
 * Runs a Node script of the platform (a demo loader, the composer) without blocking the event loop,
 * its output in `logDir/<name>.log`, with progress lines while it runs; returns what it printed.
 */
async function runScript(
  o: PlatformOptions,
  name: string,
  label: Omit<StepLabel, 'name' | 'logPath'>,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const logPath = path.join(o.logDir, `${name}.log`);
  fs.mkdirSync(o.logDir, { recursive: true });
  const from = fs.existsSync(logPath) ? fs.statSync(logPath).size : 0;
  const output = () => {
    try {
      return fs.readFileSync(logPath).subarray(from).toString('utf8');
    } catch {
      return '';
    }
  };
  await step(log, { ...label, name, logPath }, o.stack.STACK_HEARTBEAT_S * 1000, async (control) => {
    const poll = setInterval(() => {
      const p = lastProgress(output());
      if (p) control.detail(p);
    }, 1000);
    try {
      await runLogged(process.execPath, [script, ...args], {
        cwd: o.stack.repoRoot,
        env,
        logPath,
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } finally {
      clearInterval(poll);
    }
  });
  return output();
}

export function spawnLogged(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
  cwd: string,
): ChildProcess {
  fs.mkdirSync(logDir, { recursive: true });
  const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

export async function waitReady(
  name: string,
  url: string,
  child: ChildProcess,
  logFile: string,
  signal: AbortSignal | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw abortError();
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`${name} did not become ready at ${url} within ${timeoutMs / 1000}s; see ${logFile}`);
}

export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startPlatform(o: PlatformOptions): Promise<RunningPlatform> {
  const root = o.stack.repoRoot;
  // The identity service starts first (services.ts); its URL is the issuer of every user's token.
  const identityPort = o.ports?.identity ?? PLATFORM_SERVICES.find((s) => s.name === 'identity')?.port ?? 4006;
  const identityUrl = `http://127.0.0.1:${identityPort}`;
  // Development secrets derived from the development seed; production sets each of them itself.
  const derive: Derive = devDerive(o.devSeed);
  const common = {
    KAFKA_BROKERS: `127.0.0.1:${o.stack.STACK_KAFKA_PORT}`,
    MONGO_URL: `mongodb://127.0.0.1:${o.stack.STACK_MONGO_PORT}`,
    REDIS_URL: `redis://127.0.0.1:${o.stack.STACK_REDIS_PORT}`,
    KAFKA_TOPIC_PREFIX: o.topicPrefix,
    // Every service and the gateway verify users' tokens against the identity service's JWKS.
    AUTH_ISSUER: identityUrl,
    AUTH_JWKS_URL: `${identityUrl}/jwks`,
    // The gateway proves it forwarded a request with it; a subgraph serves a platform client limited
    // to trusted documents only with that proof. Each run has its own cutoff keys (revoked clients).
    GATEWAY_FORWARD_KEYS: derive('gateway-forward').toString('base64url'),
    AUTH_CLIENT_CUTOFF_PREFIX: `${o.redisKeyPrefix}auth:client-cutoff:`,
    NODE_OPTIONS: '--disable-warning=TimeoutNegativeWarning',
    ...(o.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: o.otlpEndpoint } : {}),
  };
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of [...children].reverse()) await stopChild(c);
  };
  try {
    const serviceUrls: Record<string, string> = {};
    const demoOutput: Record<string, string> = {};
    for (const svc of PLATFORM_SERVICES) {
      const port = o.ports?.[svc.name] ?? svc.port;
      const env = childEnv({
        ...common,
        PORT: String(port),
        MONGO_DB: `${o.mongoDbPrefix}${svc.name}`,
        REDIS_KEY_PREFIX: `${o.redisKeyPrefix}${svc.name}:`,
        // A run on ports of its own (tests) must not take the fixed GB/T 26875.3 port (4014) either.
        ...(o.ports ? { GBT26875_PORT: '0' } : {}),
        ...svc.devEnv?.(derive),
      });
      const child = spawnLogged(svc.name, `services/${svc.name}/src/index.ts`, [], env, o.logDir, root);
      children.push(child);
      await waitReady(svc.name, `http://127.0.0.1:${port}/readyz`, child, path.join(o.logDir, `${svc.name}.log`), o.signal);
      log(`${svc.name} ready on :${port}`);
      serviceUrls[svc.name] = `http://127.0.0.1:${port}`;
      if (o.demoUnits > 0 && svc.demo) {
        demoOutput[svc.name] = await runScript(
          o,
          `demo-${svc.name}`,
          { doing: 'loading', done: 'loaded', what: svc.demo.what(o.demoUnits) },
          svc.demo.script,
          [String(o.demoUnits)],
          { ...env, LOG_LEVEL: 'info', ...svc.demo.env?.(derive) },
        );
      }
    }
    // The demo agency's summary line (client id, assessments pushed) is the assessment loader's output.
    let demoAgency: { clientId: string; clientSecret: string } | undefined;
    const out = demoOutput.assessment;
    if (out !== undefined) {
      // Log lines share stdout with the summary; the summary is the line that starts with its key.
      const line = out.split('\n').find((l) => l.startsWith('{"agencyId"'));
      if (!line) throw new Error(`demo agency printed no summary:\n${out.slice(-2000)}`);
      const summary = JSON.parse(line) as { clientId: string; assessments: number };
      demoAgency = { clientId: summary.clientId, clientSecret: demoAgencySecret(derive) };
      log(`demo agency ready (${summary.assessments} assessments pushed)`);
    }

    const supergraph = path.join(o.logDir, `supergraph-${o.gatewayPort}.graphql`);
    const gatewayEnv = childEnv({
      ...common,
      GATEWAY_PORT: String(o.gatewayPort),
      SUBGRAPHS: Object.entries(serviceUrls)
        .map(([name, url]) => `${name}=${url}/graphql`)
        .join(','),
      SUPERGRAPH_PATH: supergraph,
      // Platform clients limited to trusted documents have them read at the identity service.
      TRUSTED_DOCUMENTS_URL: `${identityUrl}/trusted-documents`,
    });
    // Compose from the running subgraphs every start, so the gateway never serves a stale supergraph.
    fs.rmSync(supergraph, { force: true });
    await runScript(
      o,
      'compose',
      { doing: 'composing', done: 'composed', what: 'the supergraph from the running subgraphs' },
      'gateway/src/compose-cli.ts',
      [],
      gatewayEnv,
    );
    const gateway = spawnLogged('gateway', 'gateway/src/index.ts', [], gatewayEnv, o.logDir, root);
    children.push(gateway);
    await waitReady('gateway', `http://127.0.0.1:${o.gatewayPort}/readyz`, gateway, path.join(o.logDir, 'gateway.log'), o.signal);
    log(`gateway ready on :${o.gatewayPort}`);

    // Tokens come from the identity service only: here the demo county platform client's, by client
    // credentials as a county platform gets one (the demo people sign in at the provider).
    const demoIdentity =
      demoOutput.identity !== undefined
        ? {
            usernames: DEMO_PEOPLE.map((p) => p.username),
            password: demoUserPassword(derive),
            platformClient: { clientId: DEMO_PLATFORM_CLIENT, clientSecret: demoPlatformClientSecret(derive) },
          }
        : undefined;
    const tokens = demoIdentity
      ? [
          {
            ...(await clientCredentialsToken(identityUrl, DEMO_PLATFORM_CLIENT, demoIdentity.platformClient.clientSecret)),
            who: `platform client ${DEMO_PLATFORM_CLIENT}`,
          },
          // Each demo person signs in at the provider (code + PKCE), as `npm run token` does.
          ...(await Promise.all(
            DEMO_PEOPLE.map(async ({ username }) => ({
              ...claimsOf((await demoPersonToken(identityUrl, username, demoIdentity.password)).access_token),
              who: `person ${username}`,
            })),
          )),
        ]
      : [];
    return {
      graphqlUrl: `http://127.0.0.1:${o.gatewayPort}/graphql`,
      serviceUrls,
      ...(demoAgency ? { demoAgency } : {}),
      // The sensors loader registers the demo gateway with a fixed client id and the derived secret.
      ...(demoOutput.sensors !== undefined
        ? { demoGateway: { clientId: DEMO_GATEWAY_CLIENT, clientSecret: demoGatewaySecret(derive) } }
        : {}),
      tokens,
      identity: { issuer: identityUrl, loginUrl: `${identityUrl}/login`, ...(demoIdentity ? { demo: demoIdentity } : {}) },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A platform client's access token from the identity service (client credentials, RFC 6749 §4.4), with its role and jurisdiction. */
export async function clientCredentialsToken(
  issuer: string,
  clientId: string,
  clientSecret: string,
): Promise<{ role: string; jurisdiction: string; token: string }> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }).toString(),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`the identity service refused the demo platform client a token: ${res.status} ${text.slice(0, 300)}`);
  return claimsOf((JSON.parse(text) as { access_token: string }).access_token);
}

/** A token with the role and jurisdiction it carries (read, not verified: it came straight from the provider). */
function claimsOf(token: string): { role: string; jurisdiction: string; token: string } {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    role?: string;
    jur?: string;
  };
  return { role: claims.role ?? 'unknown', jurisdiction: claims.jur ?? 'unknown', token };
}

/** A demo person's tokens from the identity service: code + PKCE through its sign-in page, as a browser would. */
export const demoPersonToken = (issuer: string, username: string, password: string) =>
  signInWithPassword({ issuer, username, password });
