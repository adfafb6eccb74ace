import { AppError, type ErrorDetail } from '@firegov/kit';
import type { Express, Request } from 'express';
import { baseUrl, forward, refuseMethod } from './forward.ts';

// The dashboard's read-only proxy to Jaeger's HTTP query API, for the page's traces view: the
// services, a search of recent traces (its parameters checked here, the lookback turned into the
// start and end Jaeger's API takes) and one trace by id. Nothing else reaches Jaeger.

/** What the page may ask Jaeger, as refusals name it. */
export const JAEGER_PROXIED = 'GET /api/jaeger/services, /api/jaeger/traces and /api/jaeger/traces/{id}';

export const TRACE_SEARCH_PARAMS = ['service', 'operation', 'limit', 'lookback', 'minDuration'] as const;
export const DEFAULT_TRACE_LIMIT = 20;
export const MAX_TRACE_LIMIT = 100;
export const DEFAULT_LOOKBACK = '1h';
/** A week: Jaeger's in-memory store (npm start, docker-compose) keeps no more anyway. */
export const MAX_LOOKBACK_S = 7 * 24 * 3600;

const LOOKBACK_UNITS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };
const NAME_MAX = 256;
/** A Go duration of one unit, as Jaeger parses minDuration (time.ParseDuration). */
const DURATION = /^\d+(?:\.\d+)?(?:us|µs|ms|s|m|h)$/;
const TRACE_ID = /^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/;

export interface TraceSearch {
  service: string;
  operation?: string;
  limit: number;
  lookbackS: number;
  minDuration?: string;
}

const refusal = (req: Request) =>
  `the dashboard proxies only ${JAEGER_PROXIED} to Jaeger, not ${req.method} ${req.baseUrl}${req.path}`;

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const printable = (v: string) => v.length >= 1 && v.length <= NAME_MAX && !/[\u0000-\u001f\u007f]/.test(v);

/** The search's parameters, checked: every bad or unknown one is named in one VALIDATION_FAILED (400). */
export function parseTraceSearch(query: URLSearchParams): TraceSearch {
  const details: ErrorDetail[] = [];
  const bad = (name: string, why: string) => details.push({ path: `$.${name}`, reason: why });
  const one = (name: string): string | undefined => {
    const all = query.getAll(name);
    if (all.length > 1) bad(name, `'${name}' is given ${all.length} times; give it once`);
    return all[0];
  };
  for (const name of new Set(query.keys())) {
    if (!(TRACE_SEARCH_PARAMS as readonly string[]).includes(name))
      bad(name, `unknown parameter '${name}'; a trace search takes ${TRACE_SEARCH_PARAMS.join(', ')}`);
  }

  const service = one('service');
  if (service === undefined || service === '') bad('service', "'service' is required (one of GET /api/jaeger/services)");
  else if (!printable(service)) bad('service', `'service' must be 1 to ${NAME_MAX} printable characters`);

  const operation = one('operation');
  if (operation !== undefined && operation !== '' && !printable(operation))
    bad('operation', `'operation' must be 1 to ${NAME_MAX} printable characters`);

  const limitText = one('limit');
  const limit = limitText === undefined || limitText === '' ? DEFAULT_TRACE_LIMIT : Number(limitText);
  if (!/^\d*$/.test(limitText ?? '') || !Number.isInteger(limit) || limit < 1 || limit > MAX_TRACE_LIMIT)
    bad('limit', `'limit' must be a whole number from 1 to ${MAX_TRACE_LIMIT}, not '${limitText}'`);

  const lookbackText = one('lookback') || DEFAULT_LOOKBACK;
  const lb = /^(\d{1,6})([mhd])$/.exec(lookbackText);
  const lookbackS = lb ? Number(lb[1]) * (LOOKBACK_UNITS[lb[2] ?? ''] ?? 0) : 0;
  if (lookbackS < 60 || lookbackS > MAX_LOOKBACK_S)
    bad('lookback', `'lookback' must be minutes, hours or days (15m, 1h, 2d) from 1m to 7d, not '${lookbackText}'`);

  const minDuration = one('minDuration');
  if (minDuration !== undefined && minDuration !== '' && !DURATION.test(minDuration))
    bad('minDuration', `'minDuration' must be a duration such as 250ms, 1.5s or 2m, not '${minDuration}'`);

  if (details.length > 0) {
    throw new AppError('VALIDATION_FAILED', `invalid trace search: ${details.map((d) => d.reason).join('; ')}`, { details });
  }
  return {
    service: service ?? '',
    ...(operation ? { operation } : {}),
    limit,
    lookbackS,
    ...(minDuration ? { minDuration } : {}),
  };
}

/** The query string Jaeger's GET /api/traces takes for a search ending at `nowMs` (start and end in µs). */
export function jaegerSearchQuery(s: TraceSearch, nowMs: number): URLSearchParams {
  const endUs = Math.floor(nowMs) * 1000;
  const q = new URLSearchParams({ service: s.service });
  if (s.operation) q.set('operation', s.operation);
  q.set('limit', String(s.limit));
  q.set('start', String(endUs - s.lookbackS * 1_000_000));
  q.set('end', String(endUs));
  if (s.minDuration) q.set('minDuration', s.minDuration);
  return q;
}

export interface JaegerProxyOptions {
  /** Jaeger's query service, e.g. http://127.0.0.1:16686 (a path prefix is kept). */
  jaegerUrl: string;
  timeoutMs: number;
  now?: () => number;
}

/** Mounts the proxy's routes under /api/jaeger; any other path there is refused with 404. */
export function mountJaegerProxy(app: Express, o: JaegerProxyOptions): void {
  const base = baseUrl(o.jaegerUrl);
  const where = `${base.origin}${base.pathname}`;
  const now = o.now ?? Date.now;
  const unavailable = (what: string) => (why: string) => `Jaeger at ${where} did not answer ${what}: ${why}`;

  app.all('/api/jaeger/services', async (req, res) => {
    if (refuseMethod(req, res, refusal(req))) return;
    await forward(res, new URL('api/services', base), o.timeoutMs, unavailable('services'));
  });
  app.all('/api/jaeger/traces', async (req, res) => {
    if (refuseMethod(req, res, refusal(req))) return;
    const search = parseTraceSearch(new URL(req.originalUrl, 'http://dashboard').searchParams);
    const target = new URL('api/traces', base);
    target.search = jaegerSearchQuery(search, now()).toString();
    await forward(res, target, o.timeoutMs, unavailable('a trace search'));
  });
  app.all('/api/jaeger/traces/:id', async (req, res) => {
    if (refuseMethod(req, res, refusal(req))) return;
    const id = String(req.params.id);
    if (!TRACE_ID.test(id)) {
      throw new AppError('VALIDATION_FAILED', `trace id '${id}' is not 16 or 32 hexadecimal digits`, {
        details: [{ path: '$.id', reason: 'a trace id is 16 or 32 hexadecimal digits' }],
      });
    }
    // The id is checked and the path is ours: nothing reaches another Jaeger endpoint.
    await forward(res, new URL(`api/traces/${id.toLowerCase()}`, base), o.timeoutMs, unavailable(`trace ${id}`));
  });
  app.use('/api/jaeger', (req, _res, next) => next(new AppError('NOT_FOUND', refusal(req))));
}
