import path from 'node:path';
import { eventually, startApp, testEnv, testLogger } from '@firegov/testing';
import { startJaeger, type TestJaeger } from '../../e2e/jaeger.ts';
import { createDashboardApp, dashboardPaths } from '../src/dashboard/server.ts';
import { servicesOf, traceRows, tracesOf, waterfall, searchPath, tracePath } from '../dashboard/web/traces.ts';

// The dashboard's traces view against a real Jaeger: the binary `npm test` builds (JAEGER_BIN), run
// in memory on free ports as the end-to-end trace test runs it (e2e/jaeger.ts), beside any npm start.
// One small trace goes in over OTLP/HTTP JSON, as the services send theirs; the dashboard's proxy
// must find it and hand it back, and the page's layout must put the child under its parent.

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const PARENT = 'eee19b7ec3c1b174';
const CHILD = 'eee19b7ec3c1b173';

let jaeger: TestJaeger;
let dashboard: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  if (!testEnv.JAEGER_BIN) throw new Error('JAEGER_BIN is not set: run the tests with `npm test`, which builds Jaeger first');
  jaeger = await startJaeger(testEnv.JAEGER_BIN);
  const app = createDashboardApp({
    // Prometheus is not needed here: its proxy is tested against a stand-in in dashboard-server.test.ts.
    prometheusUrl: 'http://127.0.0.1:9',
    timeoutMs: 1000,
    jaegerUrl: jaeger.queryUrl,
    jaegerTimeoutMs: 10_000,
    logger: testLogger('dashboard'),
    ...dashboardPaths(path.join(__dirname, '..')),
  });
  dashboard = await startApp(app, 0);
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  await jaeger?.close();
});

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** A gateway span and, under it in another service, a store write that failed: OTLP/HTTP JSON (ids in hex). */
function otlpTrace(nowMs: number) {
  const ns = (ms: number) => String(BigInt(Math.round(nowMs + ms)) * 1_000_000n);
  const resource = (service: string) => ({ attributes: [str('service.name', service)] });
  const scope = { name: 'dashboard-jaeger.test' };
  return {
    resourceSpans: [
      {
        resource: resource('test-gateway'),
        scopeSpans: [
          {
            scope,
            spans: [
              {
                traceId: TRACE_ID,
                spanId: PARENT,
                name: 'POST /graphql',
                kind: 2,
                startTimeUnixNano: ns(-100),
                endTimeUnixNano: ns(0),
                attributes: [str('http.request.method', 'POST')],
              },
            ],
          },
        ],
      },
      {
        resource: resource('test-entities'),
        scopeSpans: [
          {
            scope,
            spans: [
              {
                traceId: TRACE_ID,
                spanId: CHILD,
                parentSpanId: PARENT,
                name: 'mongodb insert',
                kind: 3,
                startTimeUnixNano: ns(-75),
                endTimeUnixNano: ns(-25),
                attributes: [str('db.system', 'mongodb')],
                status: { code: 2, message: 'E11000 duplicate key' },
              },
            ],
          },
        ],
      },
    ],
  };
}

const get = async (p: string) => {
  const res = await fetch(`${dashboard.url}/${p}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

test('the proxy finds a trace sent over OTLP, and the waterfall puts the child under its parent', async () => {
  const sent = await fetch(`${jaeger.otlpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpTrace(Date.now())),
  });
  expect(sent.status).toBe(200);

  // Jaeger's batch processor stores it within a moment.
  const services = await eventually(async () => {
    const { status, body } = await get('api/jaeger/services');
    const names = servicesOf(status, body);
    expect(names).toEqual(expect.arrayContaining(['test-gateway', 'test-entities']));
    return names;
  });
  expect(services).not.toContain('');

  // The search, as the page sends it: the last 15 minutes of the gateway.
  const found = await get(searchPath({ service: 'test-gateway', lookback: '15m', limit: 20 }));
  expect(found.status).toBe(200);
  expect(traceRows(tracesOf(found.status, found.body))).toEqual([
    expect.objectContaining({
      traceId: TRACE_ID,
      rootService: 'test-gateway',
      rootOperation: 'POST /graphql',
      services: ['test-entities', 'test-gateway'],
      spanCount: 2,
      durationUs: 100_000,
      errors: 1,
    }),
  ]);
  // A minimum duration longer than the trace finds nothing.
  const none = await get(searchPath({ service: 'test-gateway', lookback: '15m', minDuration: '1s' }));
  expect(tracesOf(none.status, none.body)).toEqual([]);

  // The trace by id, as an operator opens it from a log's trace_id (in upper case, even).
  const one = await get(tracePath(TRACE_ID.toUpperCase()));
  expect(one.status).toBe(200);
  const [trace] = tracesOf(one.status, one.body);
  const w = waterfall(trace!);
  expect(w.durationUs).toBe(100_000);
  expect(w.rows.map((r) => [r.spanId, r.parentId, r.depth, r.label, r.offsetPct, r.widthPct, r.error])).toEqual([
    [PARENT, undefined, 0, 'test-gateway · POST /graphql', 0, 100, false],
    [CHILD, PARENT, 1, 'test-entities · mongodb insert', 25, 50, true],
  ]);
  expect(Object.fromEntries(w.rows[1]!.tags)).toMatchObject({ 'db.system': 'mongodb', error: 'true' });

  // Jaeger's own "not found" comes through for an id it does not hold.
  const missing = await get(tracePath('0123456789abcdef0123456789abcdef'));
  expect(missing.status).toBe(404);
  expect(() => tracesOf(missing.status, missing.body)).toThrow(/^Jaeger: .*not found/i);
});
