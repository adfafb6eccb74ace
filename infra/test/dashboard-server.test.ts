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

// The operators' dashboard's server against a stand-in for the Prometheus HTTP API (Prometheus is
// not built in every test run): the page and everything it loads, the read-only proxy and what it
// refuses, Prometheus being down, and the process npm start runs.

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

let prometheus: Awaited<ReturnType<typeof stubPrometheus>>;
let dashboard: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  prometheus = await stubPrometheus();
  const app = createDashboardApp({ prometheusUrl: prometheus.url, timeoutMs: 1000, logger: testLogger('dashboard'), ...paths });
  dashboard = await startApp(app, 0);
});

afterAll(async () => {
  await dashboard.close();
  await prometheus.close();
});

beforeEach(() => {
  prometheus.seen.length = 0;
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
      'app/panels.ts',
      'app/series.ts',
      'app/status.ts',
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

describe('under npm start', () => {
  const stackEnv = (dashboardPort: number): StackEnv => ({
    ...loadStackEnv(repoRoot, {}),
    STACK_DASHBOARD_PORT: dashboardPort,
    STACK_PROMETHEUS_PORT: prometheus.port,
  });

  test('the dashboard process serves the page against the stack’s Prometheus, refuses a taken port, and stops', async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-logs-'));
    const stack = stackEnv(await freePort());
    const running = await launchDashboard({ stack, logDir });
    try {
      expect(running.url).toBe(`http://127.0.0.1:${stack.STACK_DASHBOARD_PORT}/`);
      expect((await fetch(running.url)).status).toBe(200);
      expect((await fetch(`${running.url}api/v1/alerts`)).status).toBe(200);
      expect(prometheus.seen.some((s) => s.url === '/api/v1/alerts')).toBe(true);
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
