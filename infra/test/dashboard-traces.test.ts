import {
  formatDuration,
  isError,
  jaegerData,
  parseTraceId,
  parseView,
  searchPath,
  servicesOf,
  traceRows,
  tracePath,
  tracesOf,
  viewHash,
  waterfall,
  type JaegerSpan,
  type JaegerTrace,
} from '../dashboard/web/traces.ts';

// The traces view's pure parts: Jaeger's answers as the search's rows and as one trace's waterfall
// (depth, offset and width in percent), the trace id an operator pastes, and the view's hash.

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_764_500_000_000_000; // µs

function span(
  id: string,
  parent: string | undefined,
  start: number,
  duration: number,
  op: string,
  p = 'p1',
  tags: JaegerSpan['tags'] = [],
): JaegerSpan {
  return {
    traceID: T,
    spanID: id,
    operationName: op,
    references: parent ? [{ refType: 'CHILD_OF', traceID: T, spanID: parent }] : [],
    startTime: T0 + start,
    duration,
    tags,
    processID: p,
  };
}

/** gateway → entities (two children, the later one listed first) → a store write that failed. */
const trace: JaegerTrace = {
  traceID: T,
  spans: [
    span('c2', 'b', 600, 200, 'publish firegov.entities.units.v1', 'p2'),
    span('b', 'a', 100, 800, 'POST /graphql', 'p2', [{ key: 'span.kind', type: 'string', value: 'server' }]),
    span('a', undefined, 0, 1000, 'POST /graphql', 'p1', [{ key: 'http.response.status_code', type: 'int64', value: 200 }]),
    span('c1', 'b', 200, 300, 'mongodb insert', 'p2', [
      { key: 'error', type: 'bool', value: true },
      { key: 'db.system', type: 'string', value: 'mongodb' },
    ]),
  ],
  processes: {
    p1: { serviceName: 'gateway', tags: [{ key: 'host.name', type: 'string', value: 'node-1' }] },
    p2: { serviceName: 'entities' },
  },
};

describe('waterfall', () => {
  test('orders spans depth-first under their parents, siblings by start, with offset and width in percent', () => {
    const w = waterfall(trace);
    expect([w.traceId, w.startUs, w.durationUs, w.services]).toEqual([T, T0, 1000, ['entities', 'gateway']]);
    expect(w.rows.map((r) => [r.spanId, r.parentId, r.depth, r.label, r.offsetPct, r.widthPct, r.error])).toEqual([
      ['a', undefined, 0, 'gateway · POST /graphql', 0, 100, false],
      ['b', 'a', 1, 'entities · POST /graphql', 10, 80, false],
      ['c1', 'b', 2, 'entities · mongodb insert', 20, 30, true],
      ['c2', 'b', 2, 'entities · publish firegov.entities.units.v1', 60, 20, false],
    ]);
    expect(w.rows[2]).toMatchObject({ offsetUs: 200, durationUs: 300, missingParent: false });
  });

  test('shows each span’s tags and its process’ tags as text, in key order', () => {
    const [root, , store] = waterfall(trace).rows;
    expect(root!.tags).toEqual([
      ['host.name', 'node-1'],
      ['http.response.status_code', '200'],
    ]);
    expect(store!.tags).toEqual([
      ['db.system', 'mongodb'],
      ['error', 'true'],
    ]);
  });

  test('a span whose parent is not in the trace is a root, said to miss its parent; a reference cycle loses no span', () => {
    const w = waterfall({
      traceID: T,
      spans: [
        span('x', 'gone', 50, 50, 'late'),
        span('r', undefined, 0, 100, 'root'),
        span('y', 'z', 10, 5, 'y'),
        span('z', 'y', 20, 5, 'z'),
      ],
      processes: { p1: { serviceName: 'svc' } },
    });
    expect(w.rows.map((r) => [r.spanId, r.depth, r.missingParent])).toEqual([
      ['r', 0, false],
      ['x', 0, true],
      ['y', 0, true],
      ['z', 1, false],
    ]);
  });

  test('bars stay inside the track, and a trace of one instantaneous span still draws', () => {
    const w = waterfall({ traceID: T, spans: [span('a', undefined, 0, 0, 'tick', 'nope')], processes: {} });
    expect(w.rows).toEqual([expect.objectContaining({ offsetPct: 0, widthPct: 100, service: '?', label: '? · tick' })]);
    const skewed = waterfall({
      traceID: T,
      spans: [span('a', undefined, 0, 300, 'root'), span('b', 'a', 299.9999, 0.0002, 'child')],
      processes: { p1: { serviceName: 's' } },
    });
    for (const r of skewed.rows) expect(r.offsetPct + r.widthPct).toBeLessThanOrEqual(100);
  });
});

describe('search rows', () => {
  test('one row per trace, the most recent first: root operation, services, span count, duration and errors', () => {
    const older: JaegerTrace = {
      traceID: '00f067aa0ba902b7',
      spans: [span('q', undefined, -5_000_000, 2_500, 'GET /v1/assessments', 'p1')],
      processes: { p1: { serviceName: 'assessment' } },
    };
    expect(traceRows([older, trace, { traceID: 'empty', spans: [], processes: {} }])).toEqual([
      {
        traceId: T,
        startUs: T0,
        rootService: 'gateway',
        rootOperation: 'POST /graphql',
        services: ['entities', 'gateway'],
        spanCount: 4,
        durationUs: 1000,
        errors: 1,
      },
      {
        traceId: '00f067aa0ba902b7',
        startUs: T0 - 5_000_000,
        rootService: 'assessment',
        rootOperation: 'GET /v1/assessments',
        services: ['assessment'],
        spanCount: 1,
        durationUs: 2500,
        errors: 0,
      },
    ]);
  });

  test('an error is error=true (bool or text) or an OpenTelemetry ERROR status', () => {
    const with_ = (tags: JaegerSpan['tags']) => isError(span('a', undefined, 0, 1, 'x', 'p1', tags));
    expect(with_([{ key: 'error', value: true }])).toBe(true);
    expect(with_([{ key: 'error', value: 'true' }])).toBe(true);
    expect(with_([{ key: 'otel.status_code', value: 'ERROR' }])).toBe(true);
    expect(with_([{ key: 'error', value: false }])).toBe(false);
    expect(with_([{ key: 'otel.status_code', value: 'OK' }])).toBe(false);
    expect(with_(undefined)).toBe(false);
  });
});

describe('answers', () => {
  test('the data of Jaeger’s answer, or why there is none', () => {
    expect(tracesOf(200, { data: [trace], total: 1, errors: null })).toEqual([trace]);
    expect(tracesOf(200, { data: null })).toEqual([]);
    expect(servicesOf(200, { data: ['gateway', 'entities', 'assessment'], total: 3 })).toEqual([
      'assessment',
      'entities',
      'gateway',
    ]);
    expect(() => tracesOf(404, { data: null, errors: [{ code: 404, msg: 'trace not found' }] })).toThrow(
      'Jaeger: trace not found',
    );
    expect(() =>
      jaegerData(503, {
        error: { code: 'UNAVAILABLE', message: 'Jaeger at http://127.0.0.1:16686/ did not answer services: ECONNREFUSED' },
      }),
    ).toThrow('Jaeger at http://127.0.0.1:16686/ did not answer services: ECONNREFUSED');
    expect(() => jaegerData(502, null)).toThrow('unexpected answer (HTTP 502)');
    expect(() => tracesOf(200, { data: { not: 'a list' } })).toThrow(/not a list of traces/);
  });
});

describe('trace ids, requests and the view’s hash', () => {
  test('a trace id is 16 or 32 hex digits, pasted as it is, in upper case or inside a traceparent', () => {
    expect(parseTraceId(` ${T.toUpperCase()}\n`)).toBe(T);
    expect(parseTraceId('00f067aa0ba902b7')).toBe('00f067aa0ba902b7');
    expect(parseTraceId(`00-${T}-00f067aa0ba902b7-01`)).toBe(T);
    for (const bad of ['', 'abc', `${T}0`, 'g'.repeat(32), `${T.slice(0, 31)}`]) expect(parseTraceId(bad)).toBeUndefined();
  });

  test('the search and trace requests go to the dashboard’s proxy, empty fields left out', () => {
    expect(searchPath({ service: 'gateway', operation: ' ', limit: 20, lookback: '1h', minDuration: '' })).toBe(
      'api/jaeger/traces?service=gateway&limit=20&lookback=1h',
    );
    expect(searchPath({ service: 'entities', operation: 'POST /graphql', minDuration: '100ms' })).toBe(
      'api/jaeger/traces?service=entities&operation=POST+%2Fgraphql&minDuration=100ms',
    );
    expect(tracePath(T)).toBe(`api/jaeger/traces/${T}`);
  });

  test('the hash holds the tab, the search and the open trace, and reads back the same', () => {
    expect(parseView('')).toMatchObject({ view: 'metrics' });
    expect(parseView('#metrics').view).toBe('metrics');
    const v = parseView('#traces');
    expect(v).toEqual({ view: 'traces', query: { service: '', operation: '', lookback: '1h', limit: 20, minDuration: '' } });
    const full = {
      view: 'traces' as const,
      query: { service: 'gateway', operation: 'POST /graphql', lookback: '6h', limit: 50, minDuration: '1s' },
      traceId: T,
    };
    expect(parseView(viewHash(full))).toEqual(full);
    // Unknown choices fall back to the defaults; a bad trace id is dropped.
    expect(parseView('#traces?lookback=9y&limit=7&trace=nope')).toEqual({ ...v });
  });
});

test('durations read as an operator reads them', () => {
  expect([850, 12_345, 1_240_000, 125_000_000].map(formatDuration)).toEqual(['850 µs', '12.3 ms', '1.24 s', '2 min 5 s']);
});
