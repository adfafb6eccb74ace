// The dashboard's status strip: firing and pending alerts (/api/v1/alerts) and whether Prometheus
// reaches every service (/api/v1/targets). Pure: app.ts and the unit tests import it alike.

/** An active alert as /api/v1/alerts lists it. */
export interface PromAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

export interface AlertRow {
  name: string;
  state: 'firing' | 'pending';
  severity: string;
  summary: string;
  description: string;
  /** The labels that tell this alert from others of its rule (instance, group, collection ...). */
  where: string;
  since: string;
}

const SEVERITY_ORDER = ['page', 'warn'];
const NOT_WHERE = new Set(['alertname', 'severity', 'job']);

/** Firing before pending, paging before warning, the longest-active first. */
export function alertRows(alerts: readonly PromAlert[]): AlertRow[] {
  const rank = (s: string) => {
    const i = SEVERITY_ORDER.indexOf(s);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return alerts
    .filter((a): a is PromAlert & { state: 'firing' | 'pending' } => a.state === 'firing' || a.state === 'pending')
    .map((a) => ({
      name: a.labels.alertname ?? '(unnamed)',
      state: a.state,
      severity: a.labels.severity ?? '',
      summary: a.annotations?.summary ?? '',
      description: a.annotations?.description ?? '',
      where: Object.entries(a.labels)
        .filter(([k]) => !NOT_WHERE.has(k))
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      since: a.activeAt ?? '',
    }))
    .sort(
      (a, b) =>
        (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) ||
        rank(a.severity) - rank(b.severity) ||
        a.since.localeCompare(b.since) ||
        a.name.localeCompare(b.name),
    );
}

/** A scrape target as /api/v1/targets lists it. */
export interface PromTarget {
  labels: Record<string, string>;
  health: string;
  lastError?: string;
  scrapeUrl?: string;
}

export interface TargetRow {
  instance: string;
  /** The service behind the instance (from target_info), when it was ever scraped. */
  service: string;
  up: boolean;
  error: string;
}

/** One row per target, named by service where known, in service order. */
export function targetRows(targets: readonly PromTarget[], serviceOf: ReadonlyMap<string, string>): TargetRow[] {
  return targets
    .map((t) => {
      const instance = t.labels.instance ?? t.scrapeUrl ?? '?';
      return { instance, service: serviceOf.get(instance) ?? '', up: t.health === 'up', error: t.lastError ?? '' };
    })
    .sort(
      (a, b) =>
        Number(a.service === '') - Number(b.service === '') ||
        a.service.localeCompare(b.service) ||
        a.instance.localeCompare(b.instance),
    );
}

/** instance → service_name from an instant vector of target_info (see app.ts for the query). */
export function serviceNames(vector: ReadonlyArray<{ metric: Record<string, string> }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const { metric } of vector) if (metric.instance && metric.service_name) names.set(metric.instance, metric.service_name);
  return names;
}

/** "for 3 min" from an RFC 3339 time to now. */
export function activeFor(since: string, nowMs: number): string {
  const t = Date.parse(since);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((nowMs - t) / 1000));
  if (s < 90) return `for ${s} s`;
  if (s < 90 * 60) return `for ${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `for ${Math.round(s / 3600)} h`;
  return `for ${Math.round(s / 86400)} days`;
}
