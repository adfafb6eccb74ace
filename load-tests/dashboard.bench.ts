// The county dashboard as a person meets it after `npm start`: the README's queries and the
// registry lists, one request at a time through the running gateway, median of 7 after one warm-up,
// with the same query sent straight to its subgraph as the same-run baseline.
// `BENCH_ONLY=dashboard npm run bench` (needs `npm start` running).
import { performance } from 'node:perf_hooks';

export interface DashboardBenchOptions {
  gatewayUrl: string;
  subgraphs: Record<string, string>;
  /** A bearer token from the identity service (npm start's demo county platform client). */
  token: string;
  reps: number;
}

const QUERIES: Array<{ name: string; subgraph: string; query: string; variables?: Record<string, unknown> }> = [
  {
    name: 'village summaries + fire-force gaps (README)',
    subgraph: 'entities',
    query:
      '{ villageSummaries { villageName units byGrade { major significant } } fireForceReadiness(onlyGaps: true) { villageName gaps } }',
  },
  {
    name: 'overdue hazard queue + clear-to-zero (README)',
    subgraph: 'inspections',
    query:
      '{ hazardQueue(queue: overdue) { totalCount nodes { title deadline escalation { level } } } clearToZero { name open overdue cleared } }',
  },
  {
    name: 'overdue queue joined with units (README)',
    subgraph: '',
    query:
      '{ hazardQueue(queue: overdue) { totalCount nodes { title deadline escalation { level } unit { name risk { grade } } } } }',
  },
  {
    name: 'intervals + units due for inspection (README)',
    subgraph: '',
    query:
      '{ inspectionIntervals { major significant general low } inspectionsDue(queue: due_soon, first: 5) { totalCount nodes { grade dueAt escalation { level } unit { name } } } }',
  },
  {
    name: 'key units missing training + coverage (README)',
    subgraph: 'training',
    query:
      '{ keyUnitsMissingTraining(first: 5) { unitName coverage missing { role reason } } trainingCoverage(by: village) { key required covered coverage } }',
  },
  {
    name: 'alarms + alarm stats + online rate (README)',
    subgraph: 'sensors',
    query:
      '{ alarms(first: 5) { totalCount nodes { typeLabel severity status raisedAt unitId } } alarmStats { open unacknowledged falseAlarmRate } deviceOnlineRate(level: village) { key total online rate } }',
  },
  {
    name: 'committees + warnings + annual 考核 (README)',
    subgraph: 'entities',
    query:
      '{ committees { name meetings { lastHeldOn nextDue overdue } } fireWarnings { title acknowledged pending } dutyAssessments(year: 2026) { kind name score grade factors { label points detail } } }',
  },
  {
    name: 'unit list: category, first 20, totalCount',
    subgraph: 'entities',
    query: 'query($f: UnitFilter) { units(first: 20, filter: $f) { totalCount edges { node { id name risk { grade } } } } }',
    variables: { f: { category: 'restaurant' } },
  },
  {
    name: 'unit list: key units of grade major',
    subgraph: 'entities',
    query: 'query($f: UnitFilter) { units(first: 20, filter: $f) { totalCount edges { node { id name } } } }',
    variables: { f: { keyUnit: true, riskGrade: 'major' } },
  },
  {
    name: 'name search 超市, first 20',
    subgraph: 'entities',
    query: 'query($f: UnitFilter) { units(first: 20, filter: $f) { edges { node { id name } } } }',
    variables: { f: { search: '超市' } },
  },
];

async function timeOne(url: string, token: string, body: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { data?: unknown; errors?: unknown };
  if (!res.ok || json.errors || !json.data)
    throw new Error(`${url}: ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 300)}`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runDashboardBench(o: DashboardBenchOptions): Promise<string[]> {
  const { token } = o;
  const lines: string[] = [];
  for (const q of QUERIES) {
    const body = JSON.stringify({ query: q.query, variables: q.variables });
    const measure = async (url: string) => {
      await timeOne(url, token, body);
      const times: number[] = [];
      for (let i = 0; i < o.reps; i += 1) times.push(await timeOne(url, token, body));
      return median(times);
    };
    const viaGateway = await measure(o.gatewayUrl);
    const subgraphUrl = o.subgraphs[q.subgraph];
    const direct = subgraphUrl ? await measure(subgraphUrl) : undefined;
    lines.push(
      `${q.name.padEnd(46)} gateway ${viaGateway.toFixed(1).padStart(7)} ms` +
        (direct !== undefined
          ? `   subgraph ${direct.toFixed(1).padStart(7)} ms   ratio ${(viaGateway / direct).toFixed(2)}`
          : '   (spans two subgraphs)'),
    );
  }
  return lines;
}
