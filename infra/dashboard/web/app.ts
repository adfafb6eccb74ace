// The operators' dashboard in the browser: draws every panel of panels.ts with uPlot from the
// Prometheus API the dashboard server proxies (same origin), lists firing and pending alerts and the
// scrape targets, and refreshes on a timer; the Traces tab (traces-view.ts) reads Jaeger through the
// same server. The server strips the types from this file and the
// modules it imports; `uplot` resolves through the page's import map to the package's own file.
import uPlot from 'uplot';
import {
  PANELS,
  RANGES,
  REFRESHES,
  formatValue,
  frameFor,
  parseSettings,
  queryRangePath,
  sections,
  settingsQuery,
  type Frame,
  type Panel,
  type Settings,
} from './panels.ts';
import { apiData, colorFor, lastValue, matrixOf, toChartData, type ChartData } from './series.ts';
import { activeFor, alertRows, serviceNames, targetRows, type PromAlert, type PromTarget } from './status.ts';
import { byId, el, getJson } from './dom.ts';
import { parseView } from './traces.ts';
import { mountTraces } from './traces-view.ts';

const MAX_SERIES = 10;
const CHART_HEIGHT = 200;
// Names every target, also one that stopped answering within the hour (its target_info went stale).
const TARGET_NAMES = 'max by (instance, service_name) (max_over_time(target_info[1h]))';

interface PanelView {
  panel: Panel;
  body: HTMLElement;
  note: HTMLElement;
  chart?: uPlot;
  /** The series labels the chart was made with: other labels need a new chart. */
  labels?: string;
}

// ---- panels ----

function buildPanels(root: HTMLElement): PanelView[] {
  const views: PanelView[] = [];
  for (const section of sections()) {
    const grid = el('div', { class: 'grid' });
    root.append(el('h2', {}, section), grid);
    for (const panel of PANELS.filter((p) => p.section === section)) {
      const body = el('div', { class: 'chart' });
      const note = el('p', { class: 'note' });
      grid.append(
        el(
          'article',
          { class: 'panel', id: `panel-${panel.id}` },
          el('h3', {}, panel.title),
          el('p', { class: 'help' }, panel.help),
          body,
          note,
        ),
      );
      views.push({ panel, body, note });
    }
  }
  return views;
}

const stamp = uPlot.fmtDate('{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}');

function chartOptions(panel: Panel, data: ChartData, width: number): uPlot.Options {
  const fmt = (v: number | null) => formatValue(panel.unit, v);
  // With the cursor off the chart (no index), the legend shows each series' latest value.
  const legendValue = (u: uPlot, v: number | null, si: number, idx: number | null) =>
    fmt(idx === null ? lastValue(u.data[si] ?? []) : v);
  return {
    width,
    height: CHART_HEIGHT,
    scales: {
      x: { time: true },
      // Counts, rates and durations start at zero; a flat zero line still gets a visible scale.
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [{}, { size: 72, values: (_u, splits) => splits.map(fmt) }],
    series: [
      { value: (_u, v, _si, idx) => (idx === null ? 'latest' : stamp(new Date(v * 1000))) },
      ...data.series.map((s) => ({
        label: s.label,
        stroke: colorFor(s.label),
        width: 1.5,
        points: { show: false },
        value: legendValue,
      })),
    ],
    legend: { live: true },
  };
}

function aligned(data: ChartData): uPlot.AlignedData {
  return [data.xs, ...data.series.map((s) => s.values)];
}

function draw(view: PanelView, data: ChartData): void {
  const labels = data.series.map((s) => s.label).join('\n');
  if (data.series.length === 0) {
    view.chart?.destroy();
    view.chart = undefined;
    view.labels = undefined;
    view.note.textContent = view.panel.empty;
    view.note.className = 'note empty';
    return;
  }
  if (view.chart && view.labels === labels) {
    view.chart.setData(aligned(data));
  } else {
    view.chart?.destroy();
    view.chart = new uPlot(chartOptions(view.panel, data, view.body.clientWidth || 400), aligned(data), view.body);
    view.labels = labels;
  }
  const latest = data.series.map((s) => lastValue(s.values)).filter((v) => v !== null);
  view.note.className = 'note';
  view.note.textContent =
    (latest.length === 0 ? 'No value in the latest step. ' : '') +
    (data.omitted > 0 ? `${data.omitted} smaller series not shown.` : '');
}

async function refreshPanel(view: PanelView, frame: Frame, signal: AbortSignal): Promise<boolean> {
  try {
    const { status, body } = await getJson(queryRangePath(view.panel, frame), signal);
    draw(view, toChartData(matrixOf(status, body), frame, { legend: view.panel.legend, maxSeries: MAX_SERIES }));
    return true;
  } catch (err) {
    if (signal.aborted) return true;
    view.note.className = 'note error';
    view.note.textContent = `Could not load: ${(err as Error).message}`;
    return false;
  }
}

// ---- alerts and targets ----

async function refreshAlerts(root: HTMLElement, signal: AbortSignal): Promise<boolean> {
  try {
    const { status, body } = await getJson('api/v1/alerts', signal);
    const data = apiData(status, body) as { alerts?: PromAlert[] };
    const rows = alertRows(data.alerts ?? []);
    const now = Date.now();
    if (rows.length === 0) {
      root.replaceChildren(el('p', { class: 'ok' }, 'No alert is firing or pending.'));
      return true;
    }
    const head = el('tr', {}, ...['state', 'severity', 'alert', 'where', 'summary', 'since'].map((h) => el('th', {}, h)));
    const trs = rows.map((r) =>
      el(
        'tr',
        { class: r.state, title: r.description },
        el('td', {}, r.state),
        el('td', {}, r.severity),
        el('td', {}, r.name),
        el('td', { class: 'where' }, r.where),
        el('td', {}, r.summary),
        el('td', {}, activeFor(r.since, now)),
      ),
    );
    root.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, ...trs)));
    return true;
  } catch (err) {
    if (signal.aborted) return true;
    root.replaceChildren(el('p', { class: 'error' }, `Could not load the alerts: ${(err as Error).message}`));
    return false;
  }
}

async function refreshTargets(root: HTMLElement, signal: AbortSignal): Promise<boolean> {
  try {
    const [targets, names] = await Promise.all([
      getJson('api/v1/targets?state=active', signal),
      getJson(`api/v1/query?${new URLSearchParams({ query: TARGET_NAMES }).toString()}`, signal),
    ]);
    const active = (apiData(targets.status, targets.body) as { activeTargets?: PromTarget[] }).activeTargets ?? [];
    const vector = (apiData(names.status, names.body) as { result?: Array<{ metric: Record<string, string> }> }).result ?? [];
    const rows = targetRows(active, serviceNames(vector));
    root.replaceChildren(
      el('span', { class: 'label' }, 'scrape targets:'),
      ...rows.map((r) =>
        el(
          'span',
          { class: `target ${r.up ? 'up' : 'down'}`, title: r.error ? `${r.instance}: ${r.error}` : r.instance },
          `${r.service || r.instance} ${r.up ? 'up' : 'down'}`,
        ),
      ),
    );
    return true;
  } catch (err) {
    if (signal.aborted) return true;
    root.replaceChildren(el('span', { class: 'error' }, `Could not load the scrape targets: ${(err as Error).message}`));
    return false;
  }
}

// ---- controls and the refresh loop ----

function select<T extends { id: string; label: string }>(
  choices: readonly T[],
  current: T,
  onChange: (c: T) => void,
): HTMLSelectElement {
  const node = el('select', {}, ...choices.map((c) => el('option', { value: c.id }, c.label)));
  node.value = current.id;
  node.addEventListener('change', () => {
    const chosen = choices.find((c) => c.id === node.value);
    if (chosen) onChange(chosen);
  });
  return node;
}

function main(): void {
  let settings: Settings = parseSettings(location.search);
  const views = buildPanels(byId('panels'));
  const alerts = byId('alerts');
  const targets = byId('targets');
  const status = byId('status');
  const metricsView = byId('metrics-view');
  const tracesView = byId('traces-view');
  const controls = byId('controls');
  const traces = mountTraces(tracesView);
  // The metrics do not query while the Traces tab is open; they catch up when shown again.
  const metricsShown = () => !metricsView.hidden;
  let inFlight: AbortController | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const refresh = async () => {
    inFlight?.abort();
    const ctrl = new AbortController();
    inFlight = ctrl;
    const frame = frameFor(settings.range, Date.now());
    status.textContent = 'updating…';
    const results = await Promise.all([
      refreshAlerts(alerts, ctrl.signal),
      refreshTargets(targets, ctrl.signal),
      ...views.map((v) => refreshPanel(v, frame, ctrl.signal)),
    ]);
    if (ctrl.signal.aborted) return;
    const failed = results.filter((ok) => !ok).length;
    status.textContent = `updated ${new Date().toLocaleTimeString()}${failed > 0 ? ` — ${failed} part(s) failed, see below` : ''}`;
    status.className = failed > 0 ? 'error' : '';
  };
  const schedule = () => {
    clearInterval(timer);
    timer = undefined;
    if (settings.refresh.seconds > 0) {
      // A hidden tab does not query; it catches up when it is shown again.
      timer = setInterval(() => {
        if (!document.hidden && metricsShown()) void refresh();
      }, settings.refresh.seconds * 1000);
    }
  };
  const change = (next: Settings) => {
    settings = next;
    history.replaceState(null, '', settingsQuery(settings) + location.hash);
    schedule();
    void refresh();
  };

  const refreshButton = el('button', { type: 'button' }, 'refresh now');
  refreshButton.addEventListener('click', () => void refresh());
  controls.replaceChildren(
    select(RANGES, settings.range, (range) => change({ ...settings, range })),
    select(REFRESHES, settings.refresh, (refresh) => change({ ...settings, refresh })),
    refreshButton,
  );
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && metricsShown() && settings.refresh.seconds > 0) void refresh();
  });
  const resizeCharts = () => {
    for (const v of views) v.chart?.setSize({ width: v.body.clientWidth, height: CHART_HEIGHT });
  };
  let resizing: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(resizeCharts, 150);
  });
  // The tabs: the hash says which view is shown (#traces?… for the traces, anything else the metrics).
  const showView = () => {
    const v = parseView(location.hash);
    const tracesOn = v.view === 'traces';
    const wasHidden = metricsView.hidden;
    metricsView.hidden = tracesOn;
    controls.hidden = tracesOn;
    status.hidden = tracesOn;
    tracesView.hidden = !tracesOn;
    byId('tab-metrics').classList.toggle('active', !tracesOn);
    byId('tab-traces').classList.toggle('active', tracesOn);
    if (tracesOn) traces.show(v);
    else if (wasHidden) {
      resizeCharts();
      void refresh();
    }
  };
  window.addEventListener('hashchange', showView);
  schedule();
  showView();
  if (metricsShown()) void refresh();
}

main();
