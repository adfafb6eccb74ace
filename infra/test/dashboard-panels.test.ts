import fs from 'node:fs';
import path from 'node:path';
import {
  PANELS,
  RANGES,
  formatValue,
  frameFor,
  parseSettings,
  queryRangePath,
  rateWindow,
  sections,
  settingsQuery,
} from '../dashboard/web/panels.ts';
import {
  apiData,
  colorFor,
  frameTimes,
  lastValue,
  matrixOf,
  sampleValue,
  seriesLabel,
  toChartData,
} from '../dashboard/web/series.ts';
import { activeFor, alertRows, serviceNames, targetRows } from '../dashboard/web/status.ts';

// The operators' dashboard's pure parts: what each panel asks Prometheus, and how the answers
// become chart series, alert rows and target chips.

const root = path.join(__dirname, '..', '..');
const range = (id: string) => RANGES.find((r) => r.id === id)!;

describe('panels', () => {
  test('every panel the issue asks for is there, each with a unique id, a legend and PromQL for any window', () => {
    const ids = PANELS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'http-rate',
        'http-errors',
        'http-p95',
        'gql-rate',
        'gql-errors',
        'gql-p95',
        'consumer-lag',
        'dead-letters',
        'outbox-pending',
        'outbox-age',
        'escalations',
      ]),
    );
    for (const p of PANELS) {
      expect(p.legend.length).toBeGreaterThan(0);
      const q = p.query('60s');
      // Balanced parentheses and braces: a typo in a template would otherwise show only in a browser.
      for (const [open, close] of [
        ['(', ')'],
        ['{', '}'],
        ['[', ']'],
      ] as const)
        expect(q.split(open).length).toBe(q.split(close).length);
      // The series are grouped by exactly the labels the legend names.
      if (q.includes('sum by') || q.includes('max by')) for (const l of p.legend) expect(q).toContain(l);
    }
    expect(sections()).toEqual(['HTTP per service', 'GraphQL operations at the gateway', 'Events', 'Escalations']);
  });

  test('every metric a panel reads is one the platform’s instruments export', () => {
    // OpenTelemetry instrument names as the Prometheus exporter writes them: dots become
    // underscores, counters end in _total, histograms come as _bucket/_count/_sum.
    const sources = ['packages/kit/src/metrics.ts', 'packages/events/src/metrics.ts']
      .map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const instruments = [...sources.matchAll(/create(?:Histogram|Counter|ObservableGauge)\(\s*'([a-z_.]+)'/g)].map((m) =>
      m[1]!.replaceAll('.', '_'),
    );
    const gauges = [...sources.matchAll(/gaugeTable\(\s*'([a-z_.]+)'/g)].map((m) => m[1]!.replaceAll('.', '_'));
    const exported = new Set([
      ...gauges,
      ...instruments.flatMap((n) => [n, `${n}_total`, `${n}_bucket`, `${n}_count`, `${n}_sum`]),
      'target_info',
    ]);
    // What is left of a query without its label matchers, grouping lists and windows: functions
    // (followed by a parenthesis), operators and metric names.
    const metricsOf = (q: string) =>
      [
        ...q
          .replace(/\{[^}]*\}/g, '')
          .replace(/\b(by|on|group_left)\s*\([^)]*\)/g, '')
          .replace(/\[[^\]]*\]/g, '')
          .matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g),
      ]
        .map((m) => m[1]!)
        .filter((n) => !['or', 'and', 'unless'].includes(n));
    const metrics = new Set(PANELS.flatMap((p) => metricsOf(p.query('1m'))));
    expect([...metrics].sort()).toEqual([
      'firegov_dlq_messages_total',
      'firegov_escalations_total',
      'firegov_outbox_oldest_age',
      'firegov_outbox_pending',
      'graphql_server_operation_duration_bucket',
      'graphql_server_operation_duration_count',
      'http_server_request_duration_bucket',
      'http_server_request_duration_count',
      'messaging_kafka_consumer_lag',
      'target_info',
    ]);
    expect([...metrics].filter((m) => !exported.has(m))).toEqual([]);
  });

  test('request panels leave probes and scrapes out and name the service behind each instance', () => {
    const q = PANELS.find((p) => p.id === 'http-rate')!.query('60s');
    expect(q).toBe(
      'sum by (service_name) (sum by (instance) (rate(http_server_request_duration_count{http_route!~"/metrics|/healthz|/readyz"}[60s]))' +
        ' * on (instance) group_left (service_name) max by (instance, service_name) (target_info))',
    );
    const errors = PANELS.find((p) => p.id === 'http-errors')!.query('60s');
    expect(errors).toContain('http_response_status_code=~"5.."');
    // 0, not absent, while no request failed.
    expect(errors).toMatch(/^\(.* or .* \* 0\) \/ /);
    expect(PANELS.find((p) => p.id === 'gql-p95')!.query('90s')).toBe(
      'histogram_quantile(0.95, sum by (graphql_operation_name, le) (rate(graphql_server_operation_duration_bucket[90s])' +
        ' * on (instance) group_left () max by (instance) (target_info{service_name="gateway"})))',
    );
  });

  test('a range becomes a frame on whole scrape intervals, ~240 points, and a rate window of at least four scrapes', () => {
    const t0 = Date.UTC(2026, 10, 30, 12, 0, 0) / 1000;
    const now = (t0 + 7.5) * 1000;
    expect(frameFor(range('15m'), now)).toEqual({ start: t0 - 900, end: t0, step: 15 });
    expect(frameFor(range('1h'), now).step).toBe(15);
    const six = frameFor(range('6h'), now);
    expect(six.step).toBe(90);
    expect(six.end % 90).toBe(0);
    expect(six.end - six.start).toBe(6 * 3600);
    expect(frameFor(range('24h'), now).step).toBe(360);
    expect(rateWindow(15)).toBe('60s');
    expect(rateWindow(90)).toBe('105s');
    // Refreshing a few seconds later asks for the same points.
    expect(frameFor(range('1h'), now + 5000)).toEqual(frameFor(range('1h'), now));
  });

  test('a query_range path carries the panel’s PromQL and the frame, relative to the page', () => {
    const p = queryRangePath(
      PANELS.find((x) => x.id === 'consumer-lag')!,
      { start: 100, end: 400, step: 15 },
    );
    expect(p.startsWith('api/v1/query_range?')).toBe(true);
    const params = new URLSearchParams(p.split('?')[1]);
    expect(params.get('query')).toBe('sum by (messaging_consumer_group_name) (messaging_kafka_consumer_lag)');
    expect([params.get('start'), params.get('end'), params.get('step')]).toEqual(['100', '400', '15']);
  });

  test('settings come from the query string and fall back to the defaults', () => {
    expect(parseSettings('?range=6h&refresh=off')).toMatchObject({ range: { id: '6h' }, refresh: { seconds: 0 } });
    expect(parseSettings('')).toMatchObject({ range: { id: '1h' }, refresh: { id: '30s' } });
    expect(parseSettings('?range=2y&refresh=1ms')).toMatchObject({ range: { id: '1h' }, refresh: { id: '30s' } });
    expect(settingsQuery(parseSettings('?range=15m&refresh=1m'))).toBe('?range=15m&refresh=1m');
  });

  test('values read as an operator would say them', () => {
    expect(formatValue('reqps', 0.5)).toBe('0.5 req/s');
    expect(formatValue('reqps', 1234.56)).toBe('1,234.6 req/s');
    expect(formatValue('ratio', 0.0512)).toBe('5.1%');
    expect(formatValue('ratio', 0.00123)).toBe('0.12%');
    expect(formatValue('seconds', 0.0475)).toBe('48 ms');
    expect(formatValue('seconds', 0.0021)).toBe('2.1 ms');
    expect(formatValue('seconds', 65)).toBe('65 s');
    expect(formatValue('seconds', 600)).toBe('10 min');
    expect(formatValue('messages', 1500)).toBe('1,500');
    expect(formatValue('per_minute', 4)).toBe('4/min');
    expect(formatValue('opsps', null)).toBe('–');
    expect(formatValue('seconds', NaN)).toBe('–');
  });
});

describe('series', () => {
  const frame = { start: 1000, end: 1060, step: 15 };

  test('a matrix lands on the frame’s steps; missing steps and NaN are gaps', () => {
    expect(frameTimes(frame)).toEqual([1000, 1015, 1030, 1045, 1060]);
    const data = toChartData(
      [
        {
          metric: { service_name: 'entities' },
          values: [
            [1000, '1'],
            [1030, 'NaN'],
            [1045, '2.5'],
          ],
        },
        { metric: { service_name: 'gateway' }, values: [[1060, '+Inf']] },
      ],
      frame,
      { legend: ['service_name'], maxSeries: 10 },
    );
    expect(data).toEqual({
      xs: [1000, 1015, 1030, 1045, 1060],
      series: [
        { label: 'entities', values: [1, null, null, 2.5, null] },
        { label: 'gateway', values: [null, null, null, null, null] },
      ],
      omitted: 0,
    });
  });

  test('only the largest series are kept, then ordered by label so each keeps its place', () => {
    const result = ['a', 'b', 'c', 'd'].map((name, i) => ({
      metric: { g: name },
      values: [[1000, String(i)] as [number, string]],
    }));
    const data = toChartData(result, frame, { legend: ['g'], maxSeries: 2 });
    expect(data.series.map((s) => s.label)).toEqual(['c', 'd']);
    expect(data.omitted).toBe(2);
  });

  test('a legend of several labels joins them; a series without them is the total; same labels add up', () => {
    expect(seriesLabel({ ladder: 'hazards', action: 'escalate' }, ['ladder', 'action'])).toBe('hazards · escalate');
    expect(seriesLabel({}, ['service_name'])).toBe('total');
    const data = toChartData(
      [
        { metric: {}, values: [[1000, '1']] },
        { metric: {}, values: [[1000, '2']] },
      ],
      frame,
      { legend: ['x'], maxSeries: 5 },
    );
    expect(data.series).toEqual([{ label: 'total', values: [3, null, null, null, null] }]);
  });

  test('samples, latest values and colours', () => {
    expect(sampleValue('0.25')).toBe(0.25);
    expect(sampleValue('NaN')).toBeNull();
    expect(sampleValue('-Inf')).toBeNull();
    expect(lastValue([1, 2, null])).toBe(2);
    expect(lastValue([null, null])).toBeNull();
    expect(colorFor('entities')).toBe(colorFor('entities'));
    expect(colorFor('entities')).toMatch(/^#[0-9a-f]{6}$/);
  });

  test('answers: Prometheus’ data, its error, the proxy’s error, or something else', () => {
    expect(matrixOf(200, { status: 'success', data: { resultType: 'matrix', result: [] } })).toEqual([]);
    expect(() => matrixOf(200, { status: 'success', data: { resultType: 'vector', result: [] } })).toThrow(
      'expected a matrix, got vector',
    );
    expect(() => apiData(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' })).toThrow(
      'Prometheus: parse error at char 5 (bad_data)',
    );
    expect(() =>
      apiData(503, {
        error: { code: 'UNAVAILABLE', message: 'Prometheus at http://127.0.0.1:9090/ did not answer query_range: ECONNREFUSED' },
      }),
    ).toThrow('did not answer query_range: ECONNREFUSED');
    expect(() => apiData(502, null)).toThrow('unexpected answer (HTTP 502)');
  });
});

describe('status', () => {
  test('alerts: firing before pending, paging before warning, the oldest first; inactive ones are not listed', () => {
    const rows = alertRows([
      {
        labels: { alertname: 'FiregovConsumerLag', severity: 'warn', messaging_consumer_group_name: 'g' },
        state: 'firing',
        activeAt: '2026-11-30T10:00:00Z',
      },
      {
        labels: { alertname: 'FiregovServiceDown', severity: 'page', instance: 'x:1', job: 'firegov' },
        state: 'pending',
        activeAt: '2026-11-30T09:00:00Z',
      },
      {
        labels: { alertname: 'FiregovOutboxBehind', severity: 'page', instance: 'y:2', collection: 'hazards' },
        annotations: { summary: 'events of hazards have waited 90s', description: 'd' },
        state: 'firing',
        activeAt: '2026-11-30T11:00:00Z',
      },
      { labels: { alertname: 'Old' }, state: 'inactive' },
    ]);
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['FiregovOutboxBehind', 'firing'],
      ['FiregovConsumerLag', 'firing'],
      ['FiregovServiceDown', 'pending'],
    ]);
    expect(rows[0]).toMatchObject({ where: 'collection=hazards instance=y:2', summary: 'events of hazards have waited 90s' });
    expect(rows[2]!.where).toBe('instance=x:1');
  });

  test('targets are named by the service behind them, when known', () => {
    const names = serviceNames([
      { metric: { instance: '127.0.0.1:4001', service_name: 'entities' } },
      { metric: { instance: 'z' } },
    ]);
    expect([...names]).toEqual([['127.0.0.1:4001', 'entities']]);
    expect(
      targetRows(
        [
          { labels: { instance: '127.0.0.1:4009' }, health: 'down', lastError: 'connection refused' },
          { labels: { instance: '127.0.0.1:4001' }, health: 'up', lastError: '' },
        ],
        names,
      ),
    ).toEqual([
      { instance: '127.0.0.1:4001', service: 'entities', up: true, error: '' },
      { instance: '127.0.0.1:4009', service: '', up: false, error: 'connection refused' },
    ]);
  });

  test('how long an alert has been active', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(activeFor('2026-11-30T11:59:30Z', now)).toBe('for 30 s');
    expect(activeFor('2026-11-30T11:45:00Z', now)).toBe('for 15 min');
    expect(activeFor('2026-11-30T06:00:00Z', now)).toBe('for 6 h');
    expect(activeFor('2026-11-27T12:00:00Z', now)).toBe('for 3 days');
    expect(activeFor('', now)).toBe('');
  });
});
