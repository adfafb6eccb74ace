import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { composeSupergraph } from '../src/compose.ts';
import { testAuthEnv } from '@firegov/testing';
import { postGraphQL, tokenFor } from './fixtures/gateway.ts';
import { hazardsSchema, serveSubgraph, unitsSchema, type RunningSubgraph } from './fixtures/subgraphs.ts';

// The entry points as npm runs them: separate node processes on the TypeScript sources.
const src = path.join(__dirname, '..', 'src');
let units: RunningSubgraph;
let hazards: RunningSubgraph;
let dir: string;
let baseEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  units = await serveSubgraph('units', unitsSchema());
  hazards = await serveSubgraph('hazards', hazardsSchema());
  dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-process-'));
  baseEnv = { ...process.env, SUBGRAPHS: `units=${units.url},hazards=${hazards.url}`, LOG_LEVEL: 'info' };
});

afterAll(async () => {
  await Promise.all([units.close(), hazards.close()]);
  await rm(dir, { recursive: true, force: true });
});

test('compose-cli fetches every SDL and writes the supergraph file', async () => {
  const file = path.join(dir, 'nested', 'supergraph.graphql');
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(src, 'compose-cli.ts')], {
    env: { ...baseEnv, SUPERGRAPH_PATH: file },
  });
  expect(stdout).toContain(`wrote ${file} from units (${units.url}), hazards (${hazards.url})`);
  expect(await readFile(file, 'utf8')).toBe(composeSupergraph([units, hazards]));
});

test('compose-cli exits 1 with the reason when a subgraph is down', async () => {
  await expect(
    promisify(execFile)(process.execPath, [path.join(src, 'compose-cli.ts')], {
      env: { ...baseEnv, SUBGRAPHS: 'units=http://127.0.0.1:1/graphql', SUPERGRAPH_PATH: path.join(dir, 'never.graphql') },
    }),
  ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('subgraph http://127.0.0.1:1/graphql did not answer') });
});

/** The gateway's entry as npm runs it, composing from the test's subgraphs; `output()` is stdout and stderr so far. */
async function startGatewayProcess(extra: NodeJS.ProcessEnv) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(src, 'index.ts')], {
    env: {
      ...baseEnv,
      ...(await testAuthEnv()),
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: path.join(dir, 'absent.graphql'),
      RATE_LIMIT_PER_MINUTE: '0',
      // kit's telemetry leaves the OpenTelemetry SDK's default OTLP metrics exporter on, whose
      // final flush to an absent collector holds shutdown for ~8 s; not what these tests are about.
      OTEL_METRICS_EXPORTER: 'none',
      ...extra,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('the gateway process starts without a supergraph file, serves, and drains on SIGTERM', async () => {
  const run = await startGatewayProcess({});
  const { child, exited } = run;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${run.output()}`)), 20_000);
      child.stdout.on('data', () => {
        const line = run
          .output()
          .split('\n')
          .find((l) => l.includes('"gateway listening"'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url.replace(/\/graphql$/, ''));
        }
      });
    });
    expect(run.output()).toContain('"supergraph":"live subgraphs"');
    const token = await tokenFor();
    const res = await postGraphQL(url, '{ units { id openHazards } }', { token });
    expect(res.body.data).toEqual({
      units: [
        { id: 'u1', openHazards: 2 },
        { id: 'u2', openHazards: 0 },
      ],
    });

    // A query in flight when the signal comes is answered before the process exits.
    const inFlight = postGraphQL(url, '{ slowThing }', { token });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    expect((await inFlight).body).toEqual({ data: { slowThing: 'slow' } });
    expect(await exited).toBe(0);
    expect(run.output()).toContain('"msg":"shutting down"');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('GATEWAY_WORKERS=2: two workers serve one port, a dead worker is replaced, SIGTERM drains them all', async () => {
  const run = await startGatewayProcess({ GATEWAY_WORKERS: '2' });
  const { child, exited } = run;
  const listening = () =>
    run
      .output()
      .split('\n')
      .filter((l) => l.includes('"gateway listening"'))
      .map((l) => JSON.parse(l) as { url: string; pid: number });
  const until = async (what: string, done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!done()) throw new Error(`${what} did not happen:\n${run.output()}`);
  };
  try {
    await until('two workers listening', () => listening().length === 2);
    const [first, second] = listening() as [{ url: string; pid: number }, { url: string; pid: number }];
    expect(first.url).toBe(second.url);
    expect(first.pid).not.toBe(second.pid);
    const url = first.url.replace(/\/graphql$/, '');
    const token = await tokenFor();
    const answers = await Promise.all(Array.from({ length: 6 }, () => postGraphQL(url, '{ units { id } }', { token })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);

    process.kill(first.pid, 'SIGKILL');
    await until('a replacement worker', () => listening().length === 3);
    expect(run.output()).toContain('gateway worker died: starting another');
    expect((await postGraphQL(url, '{ units { id } }', { token })).status).toBe(200);

    const inFlight = postGraphQL(url, '{ slowThing }', { token });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    expect((await inFlight).body).toEqual({ data: { slowThing: 'slow' } });
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 60_000);

test('the gateway process refuses to start without the token issuer, naming it', async () => {
  const env: NodeJS.ProcessEnv = { ...baseEnv, AUTH_JWKS_URL: 'not a url' };
  delete env.AUTH_ISSUER;
  await expect(promisify(execFile)(process.execPath, [path.join(src, 'index.ts')], { env })).rejects.toMatchObject({
    code: 78,
    stderr: expect.stringMatching(/AUTH_ISSUER: is required[^\n]*\n.*AUTH_JWKS_URL: must be an http\(s\) URL/),
  });
});
