import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, startApp, testLogger } from '@firegov/testing';
import { dashboardFollowingPrometheus, launchDashboard } from '../src/dashboard/launch.ts';
import { createDashboardApp, dashboardPaths, inlineScriptHashes } from '../src/dashboard/server.ts';
import { loadStackEnv, type StackEnv } from '../src/env.ts';

// The operators' dashboard's server against stand-ins for the Prometheus HTTP API and Jaeger's query
// API (neither is built in every test run): the page and everything it loads, the read-only proxies
// and what they refuse, Prometheus or Jaeger being down, and the process npm start runs.
// dashboard-jaeger.test.ts runs the Jaeger proxy against a real Jaeger.

const infraDir = path.join(__dirname, '..');
const repoRoot = path.join(infraDir, '..');
const paths = dashboardPaths(infraDir);

interface Seen {
  method: string;
  url: string;
}

/** Answers like Prometheus' API for the few requests the tests make, and records every request. */
async function stubPrometheus(): Promise<{ url: string; port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    const url = new URL(req.url ?? '/', 'http://prometheus');
    if (url.pathname === '/-/ready') return void res.writeHead(200).end('Prometheus Server is Ready.\n');
    if (url.pathname === '/api/v1/query_range') {
      return json(res, 200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: { service_name: 'entities' }, values: [[Number(url.searchParams.get('start')), '1']] }],
        },
      });
    }
    if (url.pathname === '/api/v1/query' && url.searchParams.get('query') === 'slow') return; // never answers
    if (url.pathname === '/api/v1/query' && url.searchParams.get('query') === 'sum(') {
      return json(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' });
    }
    if (url.pathname === '/api/v1/query')
      return json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    if (url.pathname === '/api/v1/alerts') {
      return json(res, 200, {
        status: 'success',
        data: {
          alerts: [
            { labels: { alertname: 'FiregovServiceDown', severity: 'page' }, state: 'firing', activeAt: '2026-11-30T12:00:00Z' },
          ],
        },
      });
    }
    if (url.pathname === '/api/v1/rules' || url.pathname === '/api/v1/targets')
      return json(res, 200, { status: 'success', data: {} });
    res.writeHead(404).end('404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A GET with the path sent exactly as written (fetch would resolve `..` and escapes first). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/`, { path: rawPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Answers like Jaeger's query API (GET /api/services, /api/traces, /api/traces/{id}), and records every request. */
async function stubJaeger(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const trace = {
    traceID: TRACE_ID,
    spans: [
      {
        traceID: TRACE_ID,
        spanID: '00f067aa0ba902b7',
        operationName: 'POST /graphql',
        startTime: 1,
        duration: 2,
        processID: 'p1',
      },
    ],
    processes: { p1: { serviceName: 'gateway' } },
  };
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    const url = new URL(req.url ?? '/', 'http://jaeger');
    if (url.pathname === '/api/services') return json(res, 200, { data: ['gateway', 'entities'], total: 2 });
    if (url.pathname === '/api/traces') return json(res, 200, { data: [trace], total: 1, limit: 0, offset: 0, errors: null });
    if (url.pathname === `/api/traces/${TRACE_ID}`) return json(res, 200, { data: [trace], total: 1 });
    if (url.pathname.startsWith('/api/traces/')) {
      return json(res, 404, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
    }
    res.writeHead(404).end('404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let prometheus: Awaited<ReturnType<typeof stubPrometheus>>;
let jaeger: Awaited<ReturnType<typeof stubJaeger>>;
let dashboard: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  prometheus = await stubPrometheus();
  jaeger = await stubJaeger();
  const app = createDashboardApp({
    prometheusUrl: prometheus.url,
    timeoutMs: 1000,
    jaegerUrl: jaeger.url,
    jaegerTimeoutMs: 1000,
    logger: testLogger('dashboard'),
    ...paths,
  });
  dashboard = await startApp(app, 0);
});

afterAll(async () => {
  await dashboard.close();
  await prometheus.close();
  await jaeger.close();
});

beforeEach(() => {
  prometheus.seen.length = 0;
  jaeger.seen.length = 0;
});

describe('the page', () => {
  test('is served with a content security policy that admits only its own import map inline', async () => {
    const res = await fetch(`${dashboard.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toBe(fs.readFileSync(path.join(paths.webDir, 'index.html'), 'utf8'));
    const csp = res.headers.get('content-security-policy') ?? '';
    const [hash] = inlineScriptHashes(html);
    expect(inlineScriptHashes(html)).toHaveLength(1);
    expect(csp).toContain(`script-src 'self' ${hash}`);
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('everything the page and its modules load is served, as JavaScript or CSS, from this origin', async () => {
    const html = await (await fetch(`${dashboard.url}/`)).text();
    const linked = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    const importMap = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!) as {
      imports: Record<string, string>;
    };
    expect(linked).toEqual(expect.arrayContaining(['vendor/uplot/uPlot.min.css', 'app/style.css', 'app/app.ts']));
    expect(importMap.imports).toEqual({ uplot: './vendor/uplot/uPlot.esm.js' });
    // No CDN: every URL is relative to the page.
    for (const url of [...linked, ...Object.values(importMap.imports)]) expect(url).not.toMatch(/^(https?:)?\/\//);

    const modules = new Map<string, string>();
    const queue = ['app/app.ts'];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (modules.has(url)) continue;
      const res = await fetch(`${dashboard.url}/${url}`);
      expect([url, res.status, res.headers.get('content-type')]).toEqual([url, 200, 'text/javascript; charset=utf-8']);
      const js = await res.text();
      modules.set(url, js);
      for (const [, spec] of js.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        const resolved = importMap.imports[spec!] ?? path.posix.join(path.posix.dirname(url), spec!);
        queue.push(resolved.replace(/^\.\//, ''));
      }
    }
    expect([...modules.keys()].sort()).toEqual([
      'app/app.ts',
      'app/dom.ts',
      'app/panels.ts',
      'app/series.ts',
      'app/status.ts',
      'app/traces-view.ts',
      'app/traces.ts',
      'vendor/uplot/uPlot.esm.js',
    ]);
    // The types are gone and what is left parses as an ES module (node --check).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
    try {
      for (const [url, js] of modules) {
        if (url.endsWith('.ts')) expect(js).not.toMatch(/\binterface \w+|: Array<|import type /);
        const file = path.join(dir, `${path.basename(url, path.extname(url))}.mjs`);
        fs.writeFileSync(file, js);
        const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
        expect([url, check.status, check.stderr]).toEqual([url, 0, '']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(modules.get('vendor/uplot/uPlot.esm.js')).toBe(fs.readFileSync(path.join(paths.uplotDir, 'uPlot.esm.js'), 'utf8'));

    for (const css of ['vendor/uplot/uPlot.min.css', 'app/style.css']) {
      const res = await fetch(`${dashboard.url}/${css}`);
      expect([css, res.status, res.headers.get('content-type')]).toEqual([css, 200, 'text/css; charset=utf-8']);
    }
  });

  test('files that are not the page’s are not served', async () => {
    for (const url of ['app/index.html', 'app/nope.ts', 'vendor/uplot/uPlot.cjs.js', 'vendor/uplot/package.json']) {
      expect([url, (await fetch(`${dashboard.url}/${url}`)).status]).toEqual([url, 404]);
    }
    expect((await rawGet(dashboard.url, '/app/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  test('answers /healthz, and /readyz while Prometheus does', async () => {
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${dashboard.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { prometheus: { ok: true } } });
  });
});

describe('the proxy', () => {
  test('passes a query_range request through, query string and answer unchanged', async () => {
    const qs = new URLSearchParams({ query: 'sum by (service_name) (up)', start: '1000', end: '1060', step: '15' }).toString();
    const res = await fetch(`${dashboard.url}/api/v1/query_range?${qs}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { service_name: 'entities' }, values: [[1000, '1']] }] },
    });
    expect(prometheus.seen).toEqual([{ method: 'GET', url: `/api/v1/query_range?${qs}` }]);
  });

  test('proxies GET on query, alerts, rules and targets too, and Prometheus’ own refusals as they are', async () => {
    for (const p of ['query?query=up', 'alerts', 'rules', 'targets?state=active']) {
      expect([p, (await fetch(`${dashboard.url}/api/v1/${p}`)).status]).toEqual([p, 200]);
    }
    const alerts = (await (await fetch(`${dashboard.url}/api/v1/alerts`)).json()) as { data: { alerts: unknown[] } };
    expect(alerts.data.alerts).toHaveLength(1);
    const bad = await fetch(`${dashboard.url}/api/v1/query?query=${encodeURIComponent('sum(')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(prometheus.seen.map((s) => s.url.split('?')[0])).toEqual([
      '/api/v1/query',
      '/api/v1/alerts',
      '/api/v1/rules',
      '/api/v1/targets',
      '/api/v1/alerts',
      '/api/v1/query',
    ]);
  });

  test('refuses every other path and method with a clear error, and none reaches Prometheus', async () => {
    const message = 'the dashboard proxies only GET /api/v1/{query,query_range,alerts,rules,targets} to Prometheus';
    for (const p of [
      '/api/v1/admin/tsdb/delete_series?match[]=up',
      '/api/v1/admin/tsdb/snapshot',
      '/api/v1/status/config',
      '/api/v1/series?match[]=up',
      '/api/v1/label/__name__/values',
      '/api/v1/query/../admin/tsdb/snapshot',
      '/api/v1/query%2F..%2Fadmin%2Ftsdb%2Fsnapshot',
      '/api/v1/',
      '/api/v2/query',
      '/api/',
    ]) {
      const res = await rawGet(dashboard.url, p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining(message) } });
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${dashboard.url}/api/v1/query?query=up`, { method });
      expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'GET, HEAD']);
      expect(await res.json()).toMatchObject({
        error: { code: 'METHOD_NOT_ALLOWED', message: `${message}, not ${method} /api/v1/query` },
      });
    }
    expect(prometheus.seen).toEqual([]);
  });

  test('says so when Prometheus does not answer, or answers too slowly', async () => {
    const closed = await freePort();
    const app = createDashboardApp({
      prometheusUrl: `http://127.0.0.1:${closed}`,
      timeoutMs: 300,
      jaegerUrl: jaeger.url,
      jaegerTimeoutMs: 300,
      logger: testLogger('dashboard'),
      ...paths,
    });
    const down = await startApp(app, 0);
    try {
      const res = await fetch(`${down.url}/api/v1/query_range?query=up`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: {
          code: 'UNAVAILABLE',
          message: `Prometheus at http://127.0.0.1:${closed}/ did not answer query_range: ECONNREFUSED`,
          details: [],
        },
      });
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${down.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { prometheus: { ok: false } } });
      // The page itself is still there, to say what is wrong.
      expect((await fetch(`${down.url}/`)).status).toBe(200);
    } finally {
      await down.close();
    }
    const slow = await fetch(`${dashboard.url}/api/v1/query?query=slow`);
    expect(slow.status).toBe(503);
    expect(((await slow.json()) as { error: { message: string } }).error.message).toMatch(/did not answer query: .*timeout/i);
  });
});

describe('the Jaeger proxy', () => {
  const refusal = 'the dashboard proxies only GET /api/jaeger/services, /api/jaeger/traces and /api/jaeger/traces/{id} to Jaeger';

  test('passes the services and a trace by id through, answer unchanged', async () => {
    const services = await fetch(`${dashboard.url}/api/jaeger/services`);
    expect(services.status).toBe(200);
    expect(services.headers.get('cache-control')).toBe('no-store');
    expect(await services.json()).toEqual({ data: ['gateway', 'entities'], total: 2 });

    const trace = await fetch(`${dashboard.url}/api/jaeger/traces/${TRACE_ID.toUpperCase()}`);
    expect(trace.status).toBe(200);
    expect(((await trace.json()) as { data: Array<{ traceID: string }> }).data[0]!.traceID).toBe(TRACE_ID);
    // A 16-digit id (Jaeger's 64-bit ids) is accepted; Jaeger's own "not found" comes back as it is.
    const missing = await fetch(`${dashboard.url}/api/jaeger/traces/00f067aa0ba902b7`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ code: 404, msg: 'trace not found' }] });
    expect(jaeger.seen).toEqual([
      { method: 'GET', url: '/api/services' },
      { method: 'GET', url: `/api/traces/${TRACE_ID}` },
      { method: 'GET', url: '/api/traces/00f067aa0ba902b7' },
    ]);
  });

  test('turns a search into the start and end (µs) Jaeger takes, with its limit and filters', async () => {
    const before = Date.now();
    const qs = new URLSearchParams({
      service: 'entities',
      operation: 'POST /graphql',
      limit: '50',
      lookback: '15m',
      minDuration: '1.5s',
    });
    const res = await fetch(`${dashboard.url}/api/jaeger/traces?${qs.toString()}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
    const [sent] = jaeger.seen;
    const q = new URL(sent!.url, 'http://jaeger').searchParams;
    expect(new URL(sent!.url, 'http://jaeger').pathname).toBe('/api/traces');
    expect([...q.keys()]).toEqual(['service', 'operation', 'limit', 'start', 'end', 'minDuration']);
    expect(Object.fromEntries(q)).toMatchObject({
      service: 'entities',
      operation: 'POST /graphql',
      limit: '50',
      minDuration: '1.5s',
    });
    const end = Number(q.get('end'));
    expect(end - Number(q.get('start'))).toBe(15 * 60 * 1_000_000);
    expect(end).toBeGreaterThanOrEqual(before * 1000);
    expect(end).toBeLessThanOrEqual(Date.now() * 1000);

    // Defaults: the last hour, 20 traces.
    await fetch(`${dashboard.url}/api/jaeger/traces?service=gateway`);
    const d = new URL(jaeger.seen[1]!.url, 'http://jaeger').searchParams;
    expect([d.get('service'), d.get('limit'), d.get('operation'), d.get('minDuration')]).toEqual(['gateway', '20', null, null]);
    expect(Number(d.get('end')) - Number(d.get('start'))).toBe(3600 * 1_000_000);
  });

  test('refuses a bad search or trace id with 400 naming the parameter, and none reaches Jaeger', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['', ['$.service'], /'service' is required/],
      ['service=gateway&limit=500', ['$.limit'], /'limit' must be a whole number from 1 to 100, not '500'/],
      ['service=gateway&limit=0', ['$.limit'], /'limit'/],
      ['service=gateway&limit=2.5', ['$.limit'], /'limit'/],
      ['service=gateway&lookback=2y', ['$.lookback'], /'lookback' must be minutes, hours or days .* not '2y'/],
      ['service=gateway&lookback=30d', ['$.lookback'], /'lookback'/],
      [
        'service=gateway&minDuration=fast',
        ['$.minDuration'],
        /'minDuration' must be a duration such as 250ms, 1.5s or 2m, not 'fast'/,
      ],
      ['service=gateway&tags=%7B%7D', ['$.tags'], /unknown parameter 'tags'/],
      ['service=gateway&limit=5&limit=6', ['$.limit'], /'limit' is given 2 times/],
      ['service=a%00b', ['$.service'], /'service' must be 1 to 256 printable characters/],
      ['service=gateway&limit=x&lookback=1y', ['$.limit', '$.lookback'], /'limit'.*; 'lookback'/],
    ];
    for (const [qs, paths, message] of cases) {
      const res = await fetch(`${dashboard.url}/api/jaeger/traces?${qs}`);
      expect([qs, res.status]).toEqual([qs, 400]);
      const body = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string }> } };
      expect([qs, body.error.code, body.error.details.map((x) => x.path)]).toEqual([qs, 'VALIDATION_FAILED', paths]);
      expect(body.error.message).toMatch(/^invalid trace search: /);
      expect(body.error.message).toMatch(message);
    }
    for (const id of ['abc', `${TRACE_ID}00`, 'zz92f3577b34da6a3ce929d0e0e4736z', '4bf92f3577b34da6a3ce929d0e0e473']) {
      const res = await fetch(`${dashboard.url}/api/jaeger/traces/${id}`);
      expect([id, res.status]).toEqual([id, 400]);
      expect(await res.json()).toMatchObject({
        error: {
          code: 'VALIDATION_FAILED',
          message: `trace id '${id}' is not 16 or 32 hexadecimal digits`,
          details: [{ path: '$.id' }],
        },
      });
    }
    expect(jaeger.seen).toEqual([]);
  });

  test('refuses every other path and method, and none reaches Jaeger', async () => {
    for (const p of [
      '/api/jaeger/dependencies?endTs=1',
      '/api/jaeger/services/gateway/operations',
      '/api/jaeger/operations?service=gateway',
      `/api/jaeger/traces/${TRACE_ID}/extra`,
      '/api/jaeger/traces/..%2F..%2Fservices/x',
      '/api/jaeger/archive/x',
      '/api/jaeger/',
      '/api/jaeger',
    ]) {
      const res = await rawGet(dashboard.url, p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining(refusal) } });
    }
    // Jaeger's own paths are not proxied as they are, and the refusal names both proxies.
    for (const p of ['/api/traces?service=gateway', '/api/services']) {
      const res = await rawGet(dashboard.url, p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(JSON.parse(res.body).error.message).toContain(
        `and GET /api/jaeger/services, /api/jaeger/traces and /api/jaeger/traces/{id} to Jaeger, not GET ${p.split('?')[0]}`,
      );
    }
    for (const [method, p] of [
      ['POST', '/api/jaeger/traces?service=gateway'],
      ['DELETE', `/api/jaeger/traces/${TRACE_ID}`],
      ['PUT', '/api/jaeger/services'],
    ] as const) {
      const res = await fetch(`${dashboard.url}${p}`, { method });
      expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'GET, HEAD']);
      expect(await res.json()).toMatchObject({
        error: { code: 'METHOD_NOT_ALLOWED', message: `${refusal}, not ${method} ${p.split('?')[0]}` },
      });
    }
    expect(jaeger.seen).toEqual([]);
  });

  test('says so when Jaeger does not answer, and the page and Prometheus’ proxy carry on', async () => {
    const closed = await freePort();
    const app = createDashboardApp({
      prometheusUrl: prometheus.url,
      timeoutMs: 1000,
      jaegerUrl: `http://127.0.0.1:${closed}/jaeger`,
      jaegerTimeoutMs: 300,
      logger: testLogger('dashboard'),
      ...paths,
    });
    const down = await startApp(app, 0);
    try {
      for (const [p, what] of [
        ['/api/jaeger/services', 'services'],
        ['/api/jaeger/traces?service=gateway', 'a trace search'],
        [`/api/jaeger/traces/${TRACE_ID}`, `trace ${TRACE_ID}`],
      ]) {
        const res = await fetch(`${down.url}${p}`);
        expect([p, res.status]).toEqual([p, 503]);
        expect(await res.json()).toEqual({
          error: {
            code: 'UNAVAILABLE',
            message: `Jaeger at http://127.0.0.1:${closed}/jaeger/ did not answer ${what}: ECONNREFUSED`,
            details: [],
          },
        });
      }
      // A bad search is still the caller's fault, said before Jaeger is asked.
      expect((await fetch(`${down.url}/api/jaeger/traces?service=gateway&limit=101`)).status).toBe(400);
      expect((await fetch(`${down.url}/`)).status).toBe(200);
      expect((await fetch(`${down.url}/api/v1/alerts`)).status).toBe(200);
      // Jaeger is optional: the dashboard is ready without it.
      expect((await fetch(`${down.url}/readyz`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('under npm start', () => {
  const stackEnv = (dashboardPort: number): StackEnv => ({
    ...loadStackEnv(repoRoot, {}),
    STACK_DASHBOARD_PORT: dashboardPort,
    STACK_PROMETHEUS_PORT: prometheus.port,
    STACK_JAEGER_UI_PORT: Number(new URL(jaeger.url).port),
  });

  test('the dashboard process serves the page against the stack’s Prometheus and Jaeger, refuses a taken port, and stops', async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-logs-'));
    const stack = stackEnv(await freePort());
    const running = await launchDashboard({ stack, logDir });
    try {
      expect(running.url).toBe(`http://127.0.0.1:${stack.STACK_DASHBOARD_PORT}/`);
      expect((await fetch(running.url)).status).toBe(200);
      expect((await fetch(`${running.url}api/v1/alerts`)).status).toBe(200);
      expect(prometheus.seen.some((s) => s.url === '/api/v1/alerts')).toBe(true);
      // The traces view reads the stack's Jaeger.
      expect((await fetch(`${running.url}api/jaeger/services`)).status).toBe(200);
      expect(jaeger.seen).toEqual([{ method: 'GET', url: '/api/services' }]);
      await expect(launchDashboard({ stack, logDir })).rejects.toThrow(/port \d+ already answers/);
    } finally {
      await running.stop();
    }
    await expect(fetch(running.url)).rejects.toThrow();
    expect(fs.readFileSync(path.join(logDir, 'dashboard.log'), 'utf8')).toContain('dashboard listening');
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  test('a dashboard that cannot start, or a Prometheus that never answers, is said and never thrown', async () => {
    const said: string[] = [];
    const stack = stackEnv(9999);
    const base = { stack, logDir: os.tmpdir(), signal: new AbortController().signal, say: (m: string) => said.push(m) };

    const waiting = dashboardFollowingPrometheus({ ...base, launch: () => Promise.reject(new Error('not called')) });
    expect(await waiting.bannerLine(false)).toBe('http://127.0.0.1:9999/ once Prometheus is ready (announced here)');
    expect(await waiting.bannerLine(true)).toBe('not available (see above)');

    const failing = dashboardFollowingPrometheus({ ...base, launch: () => Promise.reject(new Error('dashboard exited with 1')) });
    failing.prometheusReady();
    expect(await failing.bannerLine(false)).toBe('not available (see above)');
    expect(said).toEqual(["The operators' dashboard could not be started: dashboard exited with 1; the platform keeps running."]);
    await failing.stop();

    let stops = 0;
    let launches = 0;
    const fine = dashboardFollowingPrometheus({
      ...base,
      launch: async () => {
        launches++;
        return { url: 'http://127.0.0.1:9999/', stop: async () => void stops++ };
      },
    });
    fine.bannerShown();
    fine.prometheusReady();
    fine.prometheusReady();
    expect(await fine.bannerLine(false)).toBe('http://127.0.0.1:9999/');
    expect(said.at(-1)).toBe("The operators' dashboard is ready: http://127.0.0.1:9999/");
    await fine.stop();
    fine.prometheusReady();
    expect([launches, stops]).toEqual([1, 1]);
  });
});
