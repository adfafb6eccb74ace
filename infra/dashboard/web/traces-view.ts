// The Traces tab in the browser: pick a service and search its recent traces, or open a trace by
// the id a log line gave (`trace_id`), and follow it as a waterfall. Reads Jaeger's query API through
// the dashboard server's /api/jaeger proxy; the pure parts are in traces.ts. The tab's state is in
// the page's hash (`#traces?service=gateway&trace=…`), so a trace can be bookmarked or sent on.
import { byId, el, getJson } from './dom.ts';
import { colorFor } from './series.ts';
import {
  LIMITS,
  LOOKBACKS,
  formatDuration,
  formatStart,
  parseTraceId,
  searchPath,
  servicesOf,
  traceRows,
  tracePath,
  tracesOf,
  viewHash,
  waterfall,
  type TraceQuery,
  type View,
  type Waterfall,
} from './traces.ts';

export interface TracesView {
  /** Shows the view's search and trace, fetching only what changed. */
  show(v: View): void;
}

const queryKey = (q: TraceQuery) => JSON.stringify(q);

export function mountTraces(root: HTMLElement): TracesView {
  const service = el('select', { 'aria-label': 'service' });
  const reloadServices = el('button', { type: 'button', title: 'reload the list of services' }, '↻');
  const operation = el('input', { type: 'text', placeholder: 'operation (optional)', 'aria-label': 'operation', size: '22' });
  const lookback = el('select', { 'aria-label': 'lookback' }, ...LOOKBACKS.map((l) => el('option', { value: l.id }, l.label)));
  const minDuration = el('input', {
    type: 'text',
    placeholder: 'min duration: 100ms, 1.5s',
    'aria-label': 'minimum duration',
    size: '18',
  });
  const limit = el('select', { 'aria-label': 'limit' }, ...LIMITS.map((n) => el('option', { value: String(n) }, `${n} traces`)));
  const search = el(
    'form',
    { class: 'trace-form' },
    el('label', {}, 'service ', service),
    reloadServices,
    operation,
    lookback,
    minDuration,
    limit,
    el('button', { type: 'submit' }, 'search'),
  );
  const idInput = el('input', {
    type: 'text',
    placeholder: 'trace id from a log (trace_id)',
    'aria-label': 'trace id',
    size: '36',
    spellcheck: 'false',
  });
  const open = el('form', { class: 'trace-form' }, idInput, el('button', { type: 'submit' }, 'open trace'));
  const note = el('p', { class: 'note' });
  const results = el('div', { class: 'trace-results' });
  const detail = el('div', { class: 'trace-detail' });
  root.replaceChildren(el('h2', {}, 'Traces'), el('div', { class: 'trace-forms' }, search, open), note, results, detail);

  let shown: { query?: string; traceId?: string } = {};
  let servicesLoaded: Promise<void> | undefined;
  let searching: AbortController | undefined;
  let opening: AbortController | undefined;

  const formQuery = (): TraceQuery => ({
    service: service.value,
    operation: operation.value.trim(),
    lookback: lookback.value,
    limit: Number(limit.value),
    minDuration: minDuration.value.trim(),
  });
  const remember = (traceId: string | undefined) => {
    const hash = viewHash({ view: 'traces', query: formQuery(), ...(traceId ? { traceId } : {}) });
    history.replaceState(null, '', hash);
    byId('tab-traces').setAttribute('href', hash);
  };
  const say = (text: string, kind = '') => {
    note.textContent = text;
    note.className = `note ${kind}`;
  };

  const loadServices = (): Promise<void> => {
    const wanted = service.value;
    servicesLoaded = (async () => {
      try {
        const { status, body } = await getJson('api/jaeger/services', AbortSignal.timeout(30_000));
        const names = servicesOf(status, body);
        const keep = wanted && !names.includes(wanted) ? [wanted, ...names] : names;
        service.replaceChildren(...keep.map((n) => el('option', { value: n }, n)));
        if (wanted) service.value = wanted;
        if (names.length === 0) say('Jaeger has no traces yet: no service has sent it a span.', 'empty');
      } catch (err) {
        say(`Could not load the services: ${(err as Error).message}`, 'error');
        if (wanted) service.replaceChildren(el('option', { value: wanted }, wanted));
      }
    })();
    return servicesLoaded;
  };

  const runSearch = async (q: TraceQuery) => {
    searching?.abort();
    const ctrl = new AbortController();
    searching = ctrl;
    shown.query = queryKey(q);
    if (!q.service) {
      results.replaceChildren();
      return;
    }
    say(`searching ${q.service}…`);
    try {
      const { status, body } = await getJson(searchPath(q), ctrl.signal);
      const rows = traceRows(tracesOf(status, body));
      say(
        rows.length === 0
          ? `No trace of ${q.service} in the ${LOOKBACKS.find((l) => l.id === q.lookback)?.label ?? q.lookback}.`
          : `${rows.length} trace(s) of ${q.service}, the most recent first; click one to follow it.`,
        rows.length === 0 ? 'empty' : '',
      );
      const head = el(
        'tr',
        {},
        ...['start', 'root operation', 'services', 'spans', 'duration', 'errors'].map((h) => el('th', {}, h)),
      );
      const trs = rows.map((r) => {
        const tr = el(
          'tr',
          { class: `trace-row${r.errors > 0 ? ' error-row' : ''}`, tabindex: '0', title: `trace ${r.traceId}` },
          el('td', {}, formatStart(r.startUs)),
          el('td', {}, `${r.rootService} · ${r.rootOperation}`),
          el('td', {}, r.services.join(', ')),
          el('td', { class: 'num' }, String(r.spanCount)),
          el('td', { class: 'num' }, formatDuration(r.durationUs)),
          el('td', { class: 'num' }, r.errors > 0 ? `⚠ ${r.errors}` : ''),
        );
        const choose = () => void openTrace(r.traceId);
        tr.addEventListener('click', choose);
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') choose();
        });
        return tr;
      });
      results.replaceChildren(...(rows.length > 0 ? [el('table', {}, el('thead', {}, head), el('tbody', {}, ...trs))] : []));
    } catch (err) {
      if (ctrl.signal.aborted) return;
      results.replaceChildren();
      say(`Could not search: ${(err as Error).message}`, 'error');
    }
  };

  const openTrace = async (id: string) => {
    opening?.abort();
    const ctrl = new AbortController();
    opening = ctrl;
    shown.traceId = id;
    idInput.value = id;
    remember(id);
    detail.replaceChildren(el('p', { class: 'note' }, `loading trace ${id}…`));
    try {
      const { status, body } = await getJson(tracePath(id), ctrl.signal);
      const trace = tracesOf(status, body)[0];
      if (!trace || trace.spans.length === 0) throw new Error('Jaeger: trace not found');
      drawWaterfall(detail, waterfall(trace));
      detail.scrollIntoView({ block: 'start', behavior: 'smooth' });
    } catch (err) {
      if (ctrl.signal.aborted) return;
      detail.replaceChildren(el('p', { class: 'error' }, `Could not open trace ${id}: ${(err as Error).message}`));
    }
  };

  search.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = formQuery();
    if (!q.service) {
      say('Pick a service first (none? Jaeger has received no span yet).', 'error');
      return;
    }
    remember(undefined);
    shown.traceId = undefined;
    detail.replaceChildren();
    void runSearch(q);
  });
  open.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = parseTraceId(idInput.value);
    if (!id) {
      detail.replaceChildren(el('p', { class: 'error' }, 'A trace id is 16 or 32 hexadecimal digits (a log line’s trace_id).'));
      return;
    }
    void openTrace(id);
  });
  reloadServices.addEventListener('click', () => void loadServices());

  return {
    show(v) {
      void (async () => {
        if (!servicesLoaded) {
          if (v.query.service) service.replaceChildren(el('option', { value: v.query.service }, v.query.service));
          await loadServices();
        }
        if (v.query.service) service.value = v.query.service;
        operation.value = v.query.operation;
        lookback.value = v.query.lookback;
        limit.value = String(v.query.limit);
        minDuration.value = v.query.minDuration;
        byId('tab-traces').setAttribute('href', viewHash(v));
        if (v.query.service && queryKey(v.query) !== shown.query) void runSearch(v.query);
        if (v.traceId && v.traceId !== shown.traceId) void openTrace(v.traceId);
        if (!v.traceId && shown.traceId) {
          shown = { ...shown, traceId: undefined };
          detail.replaceChildren();
        }
        if (!v.query.service && !v.traceId && service.value) {
          say('Pick a service and search, or open a trace by the id a log line gave.', 'empty');
        }
      })();
    },
  };
}

const AXIS_TICKS = [0, 25, 50, 75, 100];

/** The waterfall: one row per span, its bar offset by start and sized by duration, indented by parent; a click shows its tags. */
function drawWaterfall(root: HTMLElement, w: Waterfall): void {
  const errors = w.rows.filter((r) => r.error).length;
  const axis = el(
    'div',
    { class: 'wf-row wf-axis' },
    el('div', { class: 'wf-label' }, 'service · operation'),
    el(
      'div',
      { class: 'wf-track' },
      ...AXIS_TICKS.map((t) => {
        const tick = el('span', { class: 'wf-tick' }, formatDuration((w.durationUs * t) / 100));
        tick.style.left = `${t}%`;
        return tick;
      }),
    ),
  );
  const rows = w.rows.flatMap((r) => {
    const bar = el('div', { class: 'wf-bar', title: `${r.label}: ${formatDuration(r.durationUs)}` });
    bar.style.left = `${r.offsetPct}%`;
    bar.style.width = `${r.widthPct}%`;
    bar.style.background = r.error ? '' : colorFor(r.service);
    const label = el(
      'div',
      { class: 'wf-label', title: r.label },
      el('span', { class: 'wf-name' }, r.label),
      el('span', { class: 'wf-dur' }, formatDuration(r.durationUs)),
    );
    // Deep chains stay readable: the indent stops growing at 12 levels (the details give the parent).
    label.style.paddingLeft = `${(0.3 + Math.min(r.depth, 12) * 1.1).toFixed(1)}em`;
    const row = el(
      'div',
      {
        class: `wf-row${r.error ? ' error-row' : ''}`,
        tabindex: '0',
        role: 'button',
        'aria-expanded': 'false',
        'data-depth': String(r.depth),
      },
      label,
      el('div', { class: 'wf-track' }, bar),
    );
    const facts: Array<[string, string]> = [
      ['span id', r.spanId],
      ['parent span id', r.parentId ?? (r.missingParent ? 'not in this trace (not received, or dropped)' : '(root)')],
      ['starts at', `+${formatDuration(r.offsetUs)}`],
      ['duration', formatDuration(r.durationUs)],
      ...r.tags,
    ];
    const tags = el(
      'div',
      { class: 'wf-tags' },
      el('table', {}, el('tbody', {}, ...facts.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))),
    );
    tags.hidden = true;
    const toggle = () => {
      tags.hidden = !tags.hidden;
      row.setAttribute('aria-expanded', String(!tags.hidden));
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      }
    });
    return [row, tags];
  });
  root.replaceChildren(
    el('h3', {}, 'trace ', el('code', {}, w.traceId)),
    el(
      'p',
      { class: errors > 0 ? 'error' : 'help' },
      `${formatStart(w.startUs)} · ${formatDuration(w.durationUs)} · ${w.rows.length} spans · ${w.services.join(', ')}` +
        (errors > 0 ? ` · ${errors} span(s) with error=true, in red` : '') +
        ' · click a span for its tags',
    ),
    el('div', { class: 'waterfall' }, axis, ...rows),
  );
}
