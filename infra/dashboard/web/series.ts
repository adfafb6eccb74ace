// Turning the Prometheus HTTP API's answers into what a chart draws. Pure: app.ts (the browser)
// and the unit tests import it alike.

import type { Frame } from './panels.ts';

/** One series of a `matrix` result: its labels and [unix seconds, value as text] pairs. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** What a chart draws: one x per step of the frame and, per series, a value or a gap (null) at each. */
export interface ChartData {
  xs: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Series left out to keep the chart readable (the smallest ones). */
  omitted: number;
}

/** Every x of a frame: start, start + step, ..., end. */
export function frameTimes(frame: Frame): number[] {
  const xs: number[] = [];
  for (let t = frame.start; t <= frame.end; t += frame.step) xs.push(t);
  return xs;
}

/** A sample as a number; NaN and infinities (a quantile of no requests, 0/0) are gaps. */
export function sampleValue(text: string): number | null {
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/** The legend of a series: its values of the panel's legend labels, or "total" when it has none of them. */
export function seriesLabel(metric: Record<string, string>, legend: readonly string[]): string {
  const parts = legend.map((l) => metric[l]).filter((v): v is string => v !== undefined && v !== '');
  return parts.length > 0 ? parts.join(' · ') : 'total';
}

/**
 * A matrix result as chart data on the frame's x grid: samples land on the step they belong to
 * (Prometheus returns them at start + k·step), missing steps are gaps. Series sharing a label are
 * summed; at most `maxSeries` are kept, the largest by their peak, then ordered by label so a
 * series keeps its place (and colour) from one refresh to the next.
 */
export function toChartData(
  result: readonly MatrixSeries[],
  frame: Frame,
  opts: { legend: readonly string[]; maxSeries: number },
): ChartData {
  const xs = frameTimes(frame);
  const byLabel = new Map<string, Array<number | null>>();
  for (const s of result) {
    const label = seriesLabel(s.metric, opts.legend);
    let values = byLabel.get(label);
    if (!values) {
      values = xs.map(() => null);
      byLabel.set(label, values);
    }
    for (const [t, text] of s.values) {
      const i = Math.round((t - frame.start) / frame.step);
      const v = sampleValue(text);
      if (i < 0 || i >= xs.length || v === null) continue;
      values[i] = (values[i] ?? 0) + v;
    }
  }
  const peak = (values: Array<number | null>) => values.reduce<number>((m, v) => (v !== null && v > m ? v : m), -Infinity);
  const ranked = [...byLabel.entries()].sort((a, b) => peak(b[1]) - peak(a[1]) || a[0].localeCompare(b[0]));
  const kept = ranked.slice(0, Math.max(0, opts.maxSeries));
  kept.sort((a, b) => a[0].localeCompare(b[0]));
  return { xs, series: kept.map(([label, values]) => ({ label, values })), omitted: ranked.length - kept.length };
}

/** The latest value of a series (what the legend shows when the cursor is off the chart). */
export function lastValue(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#ad494a',
];

/** A colour per label, the same on every refresh and in every panel (entities is one colour everywhere). */
export function colorFor(label: string): string {
  let h = 0;
  for (const ch of label) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#000';
}

/** A Prometheus API answer: `{ status: 'success', data }` or `{ status: 'error', errorType, error }`. */
interface PromAnswer {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: unknown;
}

/** The dashboard's own refusals and the proxy's failures: `{ error: { code, message } }`. */
interface ProxyAnswer {
  error?: { code?: string; message?: string };
}

/**
 * The data of an API answer, or an Error saying what went wrong in words an operator can act on
 * (Prometheus' own message for a bad query, the proxy's when Prometheus does not answer).
 */
export function apiData(status: number, body: unknown): unknown {
  const prom = body as PromAnswer | null;
  if (status >= 200 && status < 300 && prom?.status === 'success') return prom.data;
  const proxy = (body as ProxyAnswer | null)?.error;
  if (proxy && typeof proxy === 'object' && typeof proxy.message === 'string') return fail(proxy.message);
  if (typeof prom?.error === 'string') return fail(`Prometheus: ${prom.error}${prom.errorType ? ` (${prom.errorType})` : ''}`);
  return fail(`unexpected answer (HTTP ${status})`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** The series of a query_range answer; anything but a matrix is an error. */
export function matrixOf(status: number, body: unknown): MatrixSeries[] {
  const data = apiData(status, body) as { resultType?: string; result?: unknown } | null;
  if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) {
    throw new Error(`expected a matrix, got ${data?.resultType ?? 'nothing'}`);
  }
  return data.result as MatrixSeries[];
}
