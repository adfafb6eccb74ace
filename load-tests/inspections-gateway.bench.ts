// Inspections through the gateway (ISSUE 4): the county's overdue work queue at `concurrency`
// clients, direct to the inspections subgraph and through the gateway in the same run (the ratio is
// gateway/direct; the goal is p95 < 100 ms). The fill is the demo county and its six weeks of
// inspection history (some hazards past their deadline), loaded by the services' own demo loaders;
// entities, inspections and the gateway run as their own processes.
// `BENCH_ONLY=inspections-gateway npm run bench`.
import { formatLoad, httpLoad } from '@firegov/testing';
import { graphql, startLoadPlatform } from './harness/platform.ts';

export interface InspectionsGatewayBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Units of the demo county; its history holds the hazards. */
  units: number;
  concurrency: number;
  durationS: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };

export async function runInspectionsGatewayBench(o: InspectionsGatewayBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const platform = await startLoadPlatform({
    brokers: o.brokers,
    mongoUrl: o.mongoUrl,
    redisUrl: o.redisUrl,
    // The inspections subgraph extends the registry's Unit: the gateway composes both.
    services: ['entities', 'inspections'],
    demoUnits: o.units,
    gateway: true,
  });
  try {
    const subgraph = platform.url('inspections');
    const gw = platform.gatewayUrl!;
    const token = await platform.signToken(admin);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const stats = await graphql<{ hazardStatistics: Array<{ found: number; open: number; overdue: number }> }>(
      subgraph,
      token,
      '{ hazardStatistics { found open overdue } }',
    );
    const sum = (k: 'found' | 'open' | 'overdue') => stats.hazardStatistics.reduce((n, s) => n + s[k], 0);
    const body = JSON.stringify({
      query: `{ hazardQueue(queue: overdue, first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { id title unitName villageName deadline grade escalation { level } } } }`,
    });
    const probe = (await (await fetch(`${gw}/graphql`, { method: 'POST', headers, body })).json()) as {
      data?: { hazardQueue: { totalCount: number } };
      errors?: unknown;
    };
    if (!probe.data) throw new Error(`queue probe failed: ${JSON.stringify(probe.errors)}`);
    const overdue = probe.data.hazardQueue.totalCount;
    progress(`overdue queue: ${overdue} hazards; loading for ${o.durationS} s each`);
    const load = (url: string) => httpLoad({ url, body, headers, connections: o.concurrency, durationS: o.durationS });
    const direct = await load(`${subgraph}/graphql`);
    const via = await load(`${gw}/graphql`);
    record(
      `overdue work queue for the county (first 20 of ${overdue}, totalCount) on ${sum('found')} hazards (${sum('open')} open) of ${o.units} demo units, ${o.concurrency} clients:`,
    );
    record(`  direct to subgraph: ${formatLoad(direct, o.durationS)}`);
    record(`  through gateway:    ${formatLoad(via, o.durationS)}`);
    if (direct.n > 0 && via.n > 0)
      record(`  gateway/direct throughput ratio: ${(via.rps / direct.rps).toFixed(2)}; p95 goal < 100 ms`);
  } finally {
    await platform.stop();
  }
  return out;
}
