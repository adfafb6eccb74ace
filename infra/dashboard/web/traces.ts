// The traces view's pure parts: Jaeger's query API answers (through the dashboard's /api/jaeger
// proxy) turned into the search's table rows and into one trace's waterfall. Pure: the browser
// (traces-view.ts) and the unit tests import it alike.

export interface JaegerTag {
  key: string;
  type?: string;
  value: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; traceID?: string; spanID: string }>;
  /** Unix microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags?: JaegerTag[];
  processID: string;
  warnings?: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags?: JaegerTag[] }>;
}

/** One line of the search's table. */
export interface TraceRow {
  traceId: string;
  /** Unix microseconds of the earliest span. */
  startUs: number;
  /** The root span's service and operation (the earliest span without a parent in the trace). */
  rootService: string;
  rootOperation: string;
  /** Every service with a span in the trace, sorted. */
  services: string[];
  spanCount: number;
  /** From the earliest start to the latest end, in microseconds. */
  durationUs: number;
  /** How many spans are marked as errors. */
  errors: number;
}

/** One bar of the waterfall. */
export interface WaterfallRow {
  spanId: string;
  /** The parent's id when the parent is in the trace. */
  parentId?: string;
  /** A CHILD_OF or FOLLOWS_FROM reference names a span the trace does not hold (not yet received, or dropped). */
  missingParent: boolean;
  /** 0 for a root; a child is one deeper than its parent. */
  depth: number;
  service: string;
  operation: string;
  /** `service · operation` */
  label: string;
  /** Microseconds from the trace's start. */
  offsetUs: number;
  durationUs: number;
  /** Where the bar starts and how wide it is, in percent of the trace's duration (offset + width ≤ 100). */
  offsetPct: number;
  widthPct: number;
  error: boolean;
  /** The span's tags and its process' tags, as text, in key order. */
  tags: Array<[string, string]>;
}

export interface Waterfall {
  traceId: string;
  startUs: number;
  durationUs: number;
  services: string[];
  rows: WaterfallRow[];
}

/** A trace id as an operator pastes it (from a log's `trace_id`, or a W3C traceparent): 16 or 32 hex digits, lower case; undefined if it is not one. */
export function parseTraceId(input: string): string | undefined {
  const text = input.trim();
  const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i.exec(text);
  const id = traceparent?.[1] ?? text;
  return /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/i.test(id) ? id.toLowerCase() : undefined;
}

/** The search's request to the dashboard's proxy; empty fields are left out. */
export function searchPath(s: {
  service: string;
  operation?: string;
  limit?: number;
  lookback?: string;
  minDuration?: string;
}): string {
  const q = new URLSearchParams({ service: s.service });
  for (const [k, v] of [
    ['operation', s.operation],
    ['limit', s.limit === undefined ? undefined : String(s.limit)],
    ['lookback', s.lookback],
    ['minDuration', s.minDuration],
  ] as const) {
    if (v !== undefined && v.trim() !== '') q.set(k, v.trim());
  }
  return `api/jaeger/traces?${q.toString()}`;
}

export const tracePath = (id: string): string => `api/jaeger/traces/${encodeURIComponent(id)}`;

/**
 * The `data` of a Jaeger answer, or an error saying why there is none: the dashboard's own refusal
 * or 503 (`error.message`), or Jaeger's (`errors[].msg`, e.g. "trace not found").
 */
export function jaegerData(status: number, body: unknown): unknown {
  const answer = body as {
    data?: unknown;
    errors?: Array<{ code?: number; msg?: string }> | null;
    error?: { message?: unknown };
  } | null;
  if (status >= 200 && status < 300 && answer && 'data' in answer && !answer.errors?.length) return answer.data;
  if (typeof answer?.error?.message === 'string') throw new Error(answer.error.message);
  const msgs = (answer?.errors ?? []).map((e) => e.msg).filter((m): m is string => typeof m === 'string' && m !== '');
  if (msgs.length > 0) throw new Error(`Jaeger: ${msgs.join('; ')}`);
  throw new Error(`unexpected answer (HTTP ${status})`);
}

/** The traces of a search or trace answer (an empty list for `data: null`). */
export function tracesOf(status: number, body: unknown): JaegerTrace[] {
  const data = jaegerData(status, body);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('unexpected answer: data is not a list of traces');
  return data as JaegerTrace[];
}

/** The service names of GET /api/jaeger/services, sorted. */
export function servicesOf(status: number, body: unknown): string[] {
  const data = jaegerData(status, body);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('unexpected answer: data is not a list of services');
  return data.filter((s): s is string => typeof s === 'string').sort((a, b) => a.localeCompare(b));
}

const tagText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A span counts as an error when it carries `error=true` or OpenTelemetry's `otel.status_code=ERROR` (Jaeger sets both from an OTLP error status). */
export function isError(span: JaegerSpan): boolean {
  return (span.tags ?? []).some(
    (t) =>
      (t.key === 'error' && (t.value === true || t.value === 'true')) || (t.key === 'otel.status_code' && t.value === 'ERROR'),
  );
}

const serviceOf = (trace: JaegerTrace, span: JaegerSpan) => trace.processes[span.processID]?.serviceName ?? '?';

/** The parent's span id a span names (CHILD_OF first, then FOLLOWS_FROM), within the same trace. */
function parentRef(span: JaegerSpan): string | undefined {
  const refs = (span.references ?? []).filter((r) => r.traceID === undefined || r.traceID === span.traceID);
  return (refs.find((r) => r.refType === 'CHILD_OF') ?? refs.find((r) => r.refType === 'FOLLOWS_FROM'))?.spanID;
}

function extent(spans: readonly JaegerSpan[]): { startUs: number; durationUs: number } {
  if (spans.length === 0) return { startUs: 0, durationUs: 0 };
  const startUs = Math.min(...spans.map((s) => s.startTime));
  const endUs = Math.max(...spans.map((s) => s.startTime + s.duration));
  return { startUs, durationUs: endUs - startUs };
}

const byStart = (a: JaegerSpan, b: JaegerSpan) => a.startTime - b.startTime || a.spanID.localeCompare(b.spanID);

/** The trace's spans in waterfall order: each root, then its children depth-first, siblings by start time. */
function ordered(trace: JaegerTrace): Array<{ span: JaegerSpan; depth: number; parentId?: string; missingParent: boolean }> {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const children = new Map<string, JaegerSpan[]>();
  const roots: JaegerSpan[] = [];
  for (const span of trace.spans) {
    const parent = parentRef(span);
    if (parent !== undefined && parent !== span.spanID && ids.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(span);
      children.set(parent, list);
    } else roots.push(span);
  }
  const out: Array<{ span: JaegerSpan; depth: number; parentId?: string; missingParent: boolean }> = [];
  const seen = new Set<JaegerSpan>();
  const visit = (span: JaegerSpan, depth: number, parentId: string | undefined) => {
    if (seen.has(span)) return;
    seen.add(span);
    const ref = parentRef(span);
    out.push({ span, depth, ...(parentId ? { parentId } : {}), missingParent: parentId === undefined && ref !== undefined });
    for (const child of (children.get(span.spanID) ?? []).sort(byStart)) visit(child, depth + 1, span.spanID);
  };
  for (const root of roots.sort(byStart)) visit(root, 0, undefined);
  // Spans caught in a reference cycle have no root: shown at the top level rather than lost.
  for (const span of [...trace.spans].sort(byStart)) visit(span, 0, undefined);
  return out;
}

/** The search's table: one row per trace, the most recent first. */
export function traceRows(traces: readonly JaegerTrace[]): TraceRow[] {
  return traces
    .filter((t) => t.spans.length > 0)
    .map((t) => {
      const { startUs, durationUs } = extent(t.spans);
      const root = ordered(t)[0]?.span;
      return {
        traceId: t.traceID,
        startUs,
        rootService: root ? serviceOf(t, root) : '',
        rootOperation: root?.operationName ?? '',
        services: [...new Set(t.spans.map((s) => serviceOf(t, s)))].sort((a, b) => a.localeCompare(b)),
        spanCount: t.spans.length,
        durationUs,
        errors: t.spans.filter(isError).length,
      };
    })
    .sort((a, b) => b.startUs - a.startUs || a.traceId.localeCompare(b.traceId));
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** One trace laid out as a waterfall: bars offset by start and sized by duration, indented by parent. */
export function waterfall(trace: JaegerTrace): Waterfall {
  const { startUs, durationUs } = extent(trace.spans);
  const pct = (us: number) => (durationUs > 0 ? (us / durationUs) * 100 : 0);
  const rows = ordered(trace).map(({ span, depth, parentId, missingParent }): WaterfallRow => {
    const service = serviceOf(trace, span);
    const offsetUs = span.startTime - startUs;
    const offsetPct = round(Math.min(100, pct(offsetUs)));
    const processTags = trace.processes[span.processID]?.tags ?? [];
    return {
      spanId: span.spanID,
      ...(parentId ? { parentId } : {}),
      missingParent,
      depth,
      service,
      operation: span.operationName,
      label: `${service} · ${span.operationName}`,
      offsetUs,
      durationUs: span.duration,
      offsetPct,
      // A zero-length trace (one instantaneous span) still gets a full bar.
      widthPct: durationUs > 0 ? round(Math.min(100 - offsetPct, pct(span.duration))) : 100,
      error: isError(span),
      tags: [...(span.tags ?? []), ...processTags]
        .map((t): [string, string] => [t.key, tagText(t.value)])
        .sort(([a], [b]) => a.localeCompare(b)),
    };
  });
  return {
    traceId: trace.traceID,
    startUs,
    durationUs,
    services: [...new Set(rows.map((r) => r.service))].sort((a, b) => a.localeCompare(b)),
    rows,
  };
}

/** "850 µs", "12.3 ms", "1.24 s", "2 min 5 s". */
export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${Number((us / 1000).toPrecision(3))} ms`;
  if (us < 60_000_000) return `${Number((us / 1_000_000).toPrecision(3))} s`;
  const s = Math.round(us / 1_000_000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A span's or trace's start as local "YYYY-MM-DD HH:mm:ss.mmm" (the browser's time zone). */
export function formatStart(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** The search form's fields. */
export interface TraceQuery {
  service: string;
  operation: string;
  lookback: string;
  limit: number;
  minDuration: string;
}

export const LOOKBACKS: ReadonlyArray<{ id: string; label: string }> = [
  { id: '15m', label: 'last 15 min' },
  { id: '1h', label: 'last hour' },
  { id: '6h', label: 'last 6 hours' },
  { id: '24h', label: 'last 24 hours' },
  { id: '2d', label: 'last 2 days' },
  { id: '7d', label: 'last 7 days' },
];
export const LIMITS: readonly number[] = [20, 50, 100];

/** Which view the page shows, from its hash: `#traces?service=…&lookback=…&trace=<id>` is the traces view (bookmarkable), anything else the metrics. */
export interface View {
  view: 'metrics' | 'traces';
  query: TraceQuery;
  traceId?: string;
}

export function parseView(hash: string): View {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const q = new URLSearchParams(search);
  const limit = Number(q.get('limit'));
  const traceId = parseTraceId(q.get('trace') ?? '');
  return {
    view: path === 'traces' ? 'traces' : 'metrics',
    query: {
      service: q.get('service') ?? '',
      operation: q.get('operation') ?? '',
      lookback: LOOKBACKS.some((l) => l.id === q.get('lookback')) ? (q.get('lookback') ?? '1h') : '1h',
      limit: LIMITS.includes(limit) ? limit : (LIMITS[0] ?? 20),
      minDuration: q.get('minDuration') ?? '',
    },
    ...(traceId ? { traceId } : {}),
  };
}

export function viewHash(v: View): string {
  if (v.view === 'metrics') return '#metrics';
  const q = new URLSearchParams();
  for (const [k, val] of Object.entries(v.query)) if (String(val) !== '') q.set(k, String(val));
  if (v.traceId) q.set('trace', v.traceId);
  return `#traces?${q.toString()}`;
}
