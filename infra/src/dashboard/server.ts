import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire, stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { AppError, createHttpApp, finishApp, type Logger } from '@firegov/kit';
import type { Express, Request, Response } from 'express';
import { baseUrl, forward, refuseMethod } from './forward.ts';
import { JAEGER_PROXIED, mountJaegerProxy } from './jaeger-proxy.ts';

// The operators' dashboard's server: the page (infra/dashboard/web), its modules with their types
// stripped, uPlot's files from node_modules (no CDN: county networks have no internet), and
// read-only proxies to the Prometheus HTTP API and to Jaeger's query API (jaeger-proxy.ts) on the
// same origin, so the page needs no CORS.

/** The Prometheus API endpoints the page reads; nothing else is proxied (no admin API, no writes). */
export const PROXIED_ENDPOINTS = ['query', 'query_range', 'alerts', 'rules', 'targets'] as const;

export interface DashboardOptions {
  /** The Prometheus API's base URL, e.g. http://127.0.0.1:9090 (a path prefix is kept). */
  prometheusUrl: string;
  timeoutMs: number;
  /** Jaeger's query service, e.g. http://127.0.0.1:16686 (a path prefix is kept). */
  jaegerUrl: string;
  jaegerTimeoutMs: number;
  logger: Logger;
  /** The page, its style sheet and its modules (infra/dashboard/web). */
  webDir: string;
  /** uPlot's dist/ folder. */
  uplotDir: string;
  /** False once shutdown started: /readyz answers 503. */
  isAccepting?: () => boolean;
}

/** Where the page and uPlot's files are, from the infra workspace's folder. */
export function dashboardPaths(infraDir: string): { webDir: string; uplotDir: string } {
  const require = createRequire(path.join(infraDir, 'package.json'));
  return {
    webDir: path.join(infraDir, 'dashboard', 'web'),
    uplotDir: path.dirname(require.resolve('uplot/dist/uPlot.esm.js')),
  };
}

interface Asset {
  type: string;
  body: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The page's modules as JavaScript (types stripped once, at start) and its style sheets, by file name. */
export function webAssets(webDir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of fs.readdirSync(webDir).sort()) {
    const source = () => fs.readFileSync(path.join(webDir, file), 'utf8');
    if (file.endsWith('.ts')) assets.set(file, { type: JS, body: stripTypeScriptTypes(source(), { mode: 'strip' }) });
    else if (file.endsWith('.css')) assets.set(file, { type: CSS, body: source() });
  }
  return assets;
}

const UPLOT_FILES: Record<string, string> = { 'uPlot.esm.js': JS, 'uPlot.min.css': CSS };

/** CSP hashes of the page's inline scripts (its import map), so no other inline script runs. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
}

function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes(html).join(' ')}`,
    // uPlot sizes and colours its elements through their style properties.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const PROMETHEUS_PROXIED = `GET /api/v1/{${PROXIED_ENDPOINTS.join(',')}}`;
const refusal = (req: Request) =>
  `the dashboard proxies only ${PROMETHEUS_PROXIED} to Prometheus, not ${req.method} ${req.baseUrl}${req.path}`;
const anyRefusal = (req: Request) =>
  `the dashboard proxies only ${PROMETHEUS_PROXIED} to Prometheus and ${JAEGER_PROXIED} to Jaeger, not ${req.method} ${req.baseUrl}${req.path}`;

export function createDashboardApp(o: DashboardOptions): Express {
  const base = baseUrl(o.prometheusUrl);
  const where = `${base.origin}${base.pathname}`;
  const html = fs.readFileSync(path.join(o.webDir, 'index.html'), 'utf8');
  const csp = contentSecurityPolicy(html);
  const assets = webAssets(o.webDir);
  const uplot = new Map(
    Object.entries(UPLOT_FILES).map(([file, type]) => [
      file,
      { type, body: fs.readFileSync(path.join(o.uplotDir, file), 'utf8') },
    ]),
  );

  const app = createHttpApp({
    logger: o.logger,
    ...(o.isAccepting ? { isAccepting: o.isAccepting } : {}),
    readiness: [
      {
        name: 'prometheus',
        check: async () => {
          const res = await fetch(new URL('-/ready', base), { signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`${where}-/ready answered HTTP ${res.status}`);
        },
      },
    ],
  });
  app.use((_req, res, next) => {
    res.set({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    next();
  });

  const send = (res: Response, asset: Asset | undefined, next: () => void) => {
    if (!asset) return next();
    res.type(asset.type).set('cache-control', 'no-cache').send(asset.body);
  };
  app.get('/', (_req, res) => {
    res.type('html').set({ 'content-security-policy': csp, 'cache-control': 'no-cache' }).send(html);
  });
  app.get('/app/:file', (req, res, next) => send(res, assets.get(String(req.params.file)), next));
  app.get('/vendor/uplot/:file', (req, res, next) => send(res, uplot.get(String(req.params.file)), next));

  app.all('/api/v1/:endpoint', async (req, res, next) => {
    const endpoint = String(req.params.endpoint);
    if (!(PROXIED_ENDPOINTS as readonly string[]).includes(endpoint)) return next(new AppError('NOT_FOUND', refusal(req)));
    if (refuseMethod(req, res, refusal(req))) return;
    // Only the query string travels: the path is ours, so nothing reaches another Prometheus endpoint.
    const target = new URL(`api/v1/${endpoint}`, base);
    target.search = new URL(req.originalUrl, 'http://dashboard').search;
    await forward(res, target, o.timeoutMs, (why) => `Prometheus at ${where} did not answer ${endpoint}: ${why}`);
  });
  mountJaegerProxy(app, { jaegerUrl: o.jaegerUrl, timeoutMs: o.jaegerTimeoutMs });
  app.use('/api', (req, _res, next) =>
    next(new AppError('NOT_FOUND', req.path.startsWith('/v1/') ? refusal(req) : anyRefusal(req))),
  );

  return finishApp(app, o.logger);
}
