// What the operators' dashboard charts: each panel's PromQL over the platform's /metrics
// (packages/kit/src/metrics.ts, packages/events/src/metrics.ts), the time ranges and how a range
// becomes a query_range request. Pure: the browser (app.ts) and the unit tests import it alike.

/** Prometheus scrapes every 15 s (infra/src/prometheus-config.ts): no step is finer than that. */
export const SCRAPE_INTERVAL_S = 15;

export interface TimeRange {
  id: string;
  label: string;
  seconds: number;
}

export const RANGES: readonly TimeRange[] = [
  { id: '15m', label: 'last 15 min', seconds: 15 * 60 },
  { id: '1h', label: 'last hour', seconds: 60 * 60 },
  { id: '6h', label: 'last 6 hours', seconds: 6 * 60 * 60 },
  { id: '24h', label: 'last 24 hours', seconds: 24 * 60 * 60 },
];

export interface RefreshChoice {
  id: string;
  label: string;
  /** 0: no auto refresh. */
  seconds: number;
}

export const REFRESHES: readonly RefreshChoice[] = [
  { id: 'off', label: 'no auto refresh', seconds: 0 },
  { id: '15s', label: 'every 15 s', seconds: 15 },
  { id: '30s', label: 'every 30 s', seconds: 30 },
  { id: '1m', label: 'every minute', seconds: 60 },
];

export const DEFAULT_RANGE = '1h';
export const DEFAULT_REFRESH = '30s';

export interface Settings {
  range: TimeRange;
  refresh: RefreshChoice;
}

/** The page's settings from its query string (`?range=6h&refresh=off`, bookmarkable); unknown values fall back to the defaults. */
export function parseSettings(search: string): Settings {
  const params = new URLSearchParams(search);
  return {
    range: choose(RANGES, params.get('range'), DEFAULT_RANGE),
    refresh: choose(REFRESHES, params.get('refresh'), DEFAULT_REFRESH),
  };
}

function choose<T extends { id: string }>(list: readonly T[], id: string | null, fallback: string): T {
  const found = list.find((c) => c.id === id) ?? list.find((c) => c.id === fallback);
  if (!found) throw new Error(`no choice ${fallback}`);
  return found;
}

export function settingsQuery(s: Settings): string {
  return `?${new URLSearchParams({ range: s.range.id, refresh: s.refresh.id }).toString()}`;
}

/** The window of one query_range request, in Unix seconds. */
export interface Frame {
  start: number;
  end: number;
  step: number;
}

/** About this many points per series, whatever the range. */
const POINTS = 240;

/**
 * The frame ending now: the step is a whole number of scrape intervals giving about 240 points, and
 * both ends sit on a multiple of it, so successive refreshes ask for the same points.
 */
export function frameFor(range: TimeRange, nowMs: number): Frame {
  const step = Math.max(1, Math.ceil(range.seconds / POINTS / SCRAPE_INTERVAL_S)) * SCRAPE_INTERVAL_S;
  const end = Math.floor(nowMs / 1000 / step) * step;
  return { start: end - range.seconds, end, step };
}

/**
 * The rate() window for a step: at least four scrapes (a counter needs two samples in the window,
 * and one may be missing), and at least step + one scrape so no sample between points is skipped.
 */
export function rateWindow(step: number): string {
  return `${Math.max(4 * SCRAPE_INTERVAL_S, step + SCRAPE_INTERVAL_S)}s`;
}

export type Unit = 'reqps' | 'opsps' | 'ratio' | 'seconds' | 'messages' | 'per_minute';

export interface Panel {
  id: string;
  section: string;
  title: string;
  /** One line under the title: what the numbers are. */
  help: string;
  unit: Unit;
  /** Labels naming a series in the legend, joined with ' · '. */
  legend: readonly string[];
  /** The PromQL for a rate window (see rateWindow); gauges ignore it. */
  query: (window: string) => string;
  /** Said instead of a chart when the query has no series in the range. */
  empty: string;
}

// Metrics carry `instance`, not the service: every process exports `target_info{service_name}`
// (the OpenTelemetry resource), which names the service behind an instance on any deployment.
const SERVICE_OF = 'max by (instance, service_name) (target_info)';
const GATEWAY = 'max by (instance) (target_info{service_name="gateway"})';
const withService = (expr: string) => `${expr} * on (instance) group_left (service_name) ${SERVICE_OF}`;
const atGateway = (expr: string) => `${expr} * on (instance) group_left () ${GATEWAY}`;

// Probes and scrapes are not traffic: Prometheus, the stack and load balancers call them all the time.
const TRAFFIC = 'http_route!~"/metrics|/healthz|/readyz"';

const httpRate = (w: string, match: string) =>
  `sum by (service_name) (${withService(`sum by (instance) (rate(http_server_request_duration_count{${match}}[${w}]))`)})`;

const gqlRate = (w: string, match: string) =>
  `sum by (graphql_operation_name) (${atGateway(`rate(graphql_server_operation_duration_count${match ? `{${match}}` : ''}[${w}])`)})`;

/** A share that is 0, not absent, while the numerator has no series (nothing failed yet). */
const share = (failed: string, all: string) => `(${failed} or ${all} * 0) / ${all}`;

export const PANELS: readonly Panel[] = [
  {
    id: 'http-rate',
    section: 'HTTP per service',
    title: 'Request rate',
    help: 'Requests per second each service (and the gateway) answered, probes and scrapes left out.',
    unit: 'reqps',
    legend: ['service_name'],
    query: (w) => httpRate(w, TRAFFIC),
    empty: 'No requests in this range.',
  },
  {
    id: 'http-errors',
    section: 'HTTP per service',
    title: 'Error rate (5xx)',
    help: 'Share of requests answered with a 5xx status (the FiregovErrorRate alert fires above 5% for 5 minutes).',
    unit: 'ratio',
    legend: ['service_name'],
    query: (w) => share(httpRate(w, `${TRAFFIC},http_response_status_code=~"5.."`), httpRate(w, TRAFFIC)),
    empty: 'No requests in this range.',
  },
  {
    id: 'http-p95',
    section: 'HTTP per service',
    title: 'p95 request duration',
    help: '95% of requests finished within this time (from the duration histogram, so within a bucket’s width).',
    unit: 'seconds',
    legend: ['service_name'],
    query: (w) =>
      `histogram_quantile(0.95, sum by (service_name, le) (${withService(
        `sum by (instance, le) (rate(http_server_request_duration_bucket{${TRAFFIC}}[${w}]))`,
      )}))`,
    empty: 'No requests in this range.',
  },
  {
    id: 'gql-rate',
    section: 'GraphQL operations at the gateway',
    title: 'Operation rate',
    help: 'Executed operations per second by operation name (unnamed ones count as “anonymous”).',
    unit: 'opsps',
    legend: ['graphql_operation_name'],
    query: (w) => gqlRate(w, ''),
    empty: 'No GraphQL operations reached the gateway in this range.',
  },
  {
    id: 'gql-errors',
    section: 'GraphQL operations at the gateway',
    title: 'Operations answered with errors',
    help: 'Share of each operation’s executions whose answer carried GraphQL errors.',
    unit: 'ratio',
    legend: ['graphql_operation_name'],
    query: (w) => share(gqlRate(w, 'firegov_graphql_errors="true"'), gqlRate(w, '')),
    empty: 'No GraphQL operations reached the gateway in this range.',
  },
  {
    id: 'gql-p95',
    section: 'GraphQL operations at the gateway',
    title: 'p95 operation duration',
    help: '95% of each operation’s executions finished within this time.',
    unit: 'seconds',
    legend: ['graphql_operation_name'],
    query: (w) =>
      `histogram_quantile(0.95, sum by (graphql_operation_name, le) (${atGateway(
        `rate(graphql_server_operation_duration_bucket[${w}])`,
      )}))`,
    empty: 'No GraphQL operations reached the gateway in this range.',
  },
  {
    id: 'consumer-lag',
    section: 'Events',
    title: 'Consumer lag per group',
    help: 'Messages each consumer group has yet to handle, over all its partitions (FiregovConsumerLag: above 1,000 for 5 minutes).',
    unit: 'messages',
    legend: ['messaging_consumer_group_name'],
    query: () => 'sum by (messaging_consumer_group_name) (messaging_kafka_consumer_lag)',
    empty: 'No consumer reported its lag in this range.',
  },
  {
    id: 'dead-letters',
    section: 'Events',
    title: 'Dead-lettered messages',
    help: 'Messages per minute each consumer group sent to firegov.dlq.v1 instead of applying them (FiregovDeadLetters).',
    unit: 'per_minute',
    legend: ['messaging_consumer_group_name'],
    query: (w) => `sum by (messaging_consumer_group_name) (rate(firegov_dlq_messages_total[${w}])) * 60`,
    empty: 'No message has been dead-lettered since the services started.',
  },
  {
    id: 'outbox-pending',
    section: 'Events',
    title: 'Outbox backlog per service',
    help: 'Documents whose events the outbox relay has not yet published, as its last sweep found them.',
    unit: 'messages',
    legend: ['service_name'],
    query: () => `sum by (service_name) (${withService('firegov_outbox_pending')})`,
    empty: 'No outbox relay reported in this range.',
  },
  {
    id: 'outbox-age',
    section: 'Events',
    title: 'Oldest unpublished event per service',
    help: 'Age of the oldest event still waiting in an outbox (FiregovOutboxBehind: above 60 s for 2 minutes).',
    unit: 'seconds',
    legend: ['service_name'],
    query: () => `max by (service_name) (${withService('firegov_outbox_oldest_age')})`,
    empty: 'No outbox relay reported in this range.',
  },
  {
    id: 'escalations',
    section: 'Escalations',
    title: 'Escalations fired',
    help: 'Escalation steps per minute the sweeps fired, by ladder (hazards, overdue inspections, list items, alarms) and action.',
    unit: 'per_minute',
    legend: ['ladder', 'action'],
    query: (w) => `sum by (ladder, action) (rate(firegov_escalations_total[${w}])) * 60`,
    empty: 'No escalation has fired since the services started.',
  },
];

/** The sections in the order their first panel appears. */
export function sections(panels: readonly Panel[] = PANELS): string[] {
  return [...new Set(panels.map((p) => p.section))];
}

/** The proxied Prometheus API path and query string of a panel over a frame (relative, so the page works under a path prefix). */
export function queryRangePath(panel: Panel, frame: Frame): string {
  const params = new URLSearchParams({
    query: panel.query(rateWindow(frame.step)),
    start: String(frame.start),
    end: String(frame.end),
    step: String(frame.step),
  });
  return `api/v1/query_range?${params.toString()}`;
}

const number = (v: number, digits: number) => v.toLocaleString('en', { maximumFractionDigits: digits });

/** A value as the legend and the axis show it. */
export function formatValue(unit: Unit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  switch (unit) {
    case 'reqps':
      return `${number(v, v < 10 ? 2 : 1)} req/s`;
    case 'opsps':
      return `${number(v, v < 10 ? 2 : 1)} op/s`;
    case 'ratio':
      return `${number(v * 100, v < 0.01 ? 2 : 1)}%`;
    case 'seconds':
      if (v === 0) return '0 s';
      if (Math.abs(v) < 1) return `${number(v * 1000, v < 0.01 ? 1 : 0)} ms`;
      if (Math.abs(v) < 120) return `${number(v, 1)} s`;
      return `${number(v / 60, 1)} min`;
    case 'messages':
      return number(v, 0);
    case 'per_minute':
      return `${number(v, v < 10 ? 2 : 1)}/min`;
  }
}
