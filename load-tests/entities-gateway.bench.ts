// Entities through the gateway (ISSUE 3): the county list query, unit lookup, village summaries and
// name search on a county-sized registry, at `concurrency` clients, direct to the entities subgraph
// and through the gateway in the same run (the ratio is gateway/direct). The subgraph, its demo
// loader (the fill) and the gateway run as their own processes, as they are deployed.
// `BENCH_ONLY=entities-gateway npm run bench`.
import { performance } from 'node:perf_hooks';
import { formatLoad, httpLoad, type LoadResult } from '@firegov/testing';
import { graphql, startLoadPlatform } from './harness/platform.ts';

export interface EntitiesGatewayBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  storeUnits: number;
  concurrency: number;
  durationS: number;
  /** Drive the list queries with concurrent clients too (on a large FerretDB store that backlog takes many minutes to drain). */
  listLoad: boolean;
  /** GATEWAY_WORKERS of the gateway under test. */
  gatewayWorkers: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const TOWNSHIP = '500230213000';
const admin = { subject: 'bench', role: 'county_admin' as const, jurisdiction: '500230000000' };

export async function runEntitiesGatewayBench(o: EntitiesGatewayBenchOptions): Promise<string[]> {
  const out: string[] = [];
  // Print each result as it is measured, so a long run still shows what it has.
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const platform = await startLoadPlatform({
    brokers: o.brokers,
    mongoUrl: o.mongoUrl,
    redisUrl: o.redisUrl,
    services: ['entities'],
    demoUnits: o.storeUnits,
    gateway: true,
    gatewayWorkers: o.gatewayWorkers,
  });
  try {
    const subgraph = platform.url('entities');
    const gw = platform.gatewayUrl!;
    const token = await platform.signToken(admin);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const some = await graphql<{ units: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(
      subgraph,
      token,
      '{ units(first: 1) { totalCount edges { node { id } } } }',
    );
    const total = some.units.totalCount;
    const someId = some.units.edges[0]!.node.id;
    progress(`the registry holds ${total} units; the gateway runs ${o.gatewayWorkers} worker(s)`);

    const body = JSON.stringify({
      query: `query($f: UnitFilter) { units(first: 20, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name category villageCode risk { grade score } } } } }`,
      variables: { f: { jurisdictionCode: TOWNSHIP, category: 'restaurant' } },
    });
    const tProbe = performance.now();
    const probe = await fetch(`${gw}/graphql`, { method: 'POST', headers, body });
    const probeJson = (await probe.json()) as { data?: { units: { totalCount: number } }; errors?: unknown };
    const single = performance.now() - tProbe;
    // On a large FerretDB store one list request can outlast the upstream timeout: record that and
    // still measure the point lookups.
    const listWorks = probeJson.data !== undefined;
    record(
      listWorks
        ? `one list request alone through the gateway: ${single.toFixed(0)} ms (${probeJson.data!.units.totalCount} matching units)`
        : `one list request alone did not finish within ${(single / 1000).toFixed(0)} s: ${JSON.stringify(probeJson.errors).slice(0, 120)}`,
    );

    const lookup = JSON.stringify({
      query: `query($id: ID!) { unit(id: $id) { id name category risk { grade score factors { code points } } } }`,
      variables: { id: someId },
    });
    // Requests still running when a load ends keep the store busy; wait until a point lookup is fast
    // again so one phase's backlog is not measured in the next.
    const settle = async () => {
      for (let i = 0; i < 600; i += 1) {
        const t = performance.now();
        await fetch(`${subgraph}/graphql`, { method: 'POST', headers, body: lookup }).then((r) => r.arrayBuffer());
        if (performance.now() - t < 30) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const queries = [
      { name: `unit lookup by id with risk factors on ${total} units`, body: lookup },
      { name: `county list query (township + category, first 20, totalCount) on ${total} units`, body },
      {
        name: `village summaries of the township on ${total} units`,
        body: JSON.stringify({
          query: `query($j: String) { villageSummaries(jurisdictionCode: $j) { villageCode units keyUnits byGrade { major significant general low } } }`,
          variables: { j: TOWNSHIP },
        }),
      },
      ...['液化气', '超市'].map((term) => ({
        name: `name search "${term}" in the township (first 20) on ${total} units`,
        body: JSON.stringify({
          query: `query($f: UnitFilter) { units(first: 20, filter: $f) { pageInfo { hasNextPage } edges { node { id name } } } }`,
          variables: { f: { jurisdictionCode: TOWNSHIP, search: term } },
        }),
      })),
    ];
    const fmt = (r: LoadResult) => formatLoad(r, o.durationS);
    const measured = listWorks && o.listLoad ? queries : queries.slice(0, 1);
    const runs: Array<{ direct: LoadResult; via: LoadResult; planned?: LoadResult }> = [];
    const load = (url: string, q: (typeof queries)[number]) =>
      httpLoad({ url, body: q.body, headers, connections: o.concurrency, durationS: o.durationS });
    for (const q of measured) {
      progress(q.name);
      // Every measured query must answer with data: a fast error is not a result.
      const check = (await (await fetch(`${gw}/graphql`, { method: 'POST', headers, body: q.body })).json()) as {
        data?: unknown;
        errors?: unknown;
      };
      if (check.errors || !check.data) throw new Error(`${q.name}: ${JSON.stringify(check.errors)}`);
      const direct = await load(`${subgraph}/graphql`, q);
      await settle();
      const via = await load(`${gw}/graphql`, q);
      await settle();
      runs.push({ direct, via });
    }
    // The same queries through the gateway's query planner (FORWARD_SINGLE_SUBGRAPH=false): what
    // sending single-subgraph operations straight to their subgraph gains.
    progress('the gateway again, planning every operation');
    await platform.restart('gateway', { FORWARD_SINGLE_SUBGRAPH: 'false' });
    for (const [i, q] of measured.entries()) {
      progress(`${q.name} (planned)`);
      runs[i]!.planned = await load(`${gw}/graphql`, q);
      await settle();
    }
    for (const [i, q] of measured.entries()) {
      const { direct, via, planned } = runs[i]!;
      record(q.name);
      record(`  direct to subgraph:          ${fmt(direct)}`);
      record(`  through gateway (forwarded): ${fmt(via)}`);
      if (planned) record(`  through gateway (planned):   ${fmt(planned)}`);
      if (direct.n > 0 && via.n > 0) {
        const plannedRatio = planned && planned.n > 0 ? `; planned ${(planned.rps / direct.rps).toFixed(2)}` : '';
        record(`  gateway/direct throughput ratio: ${(via.rps / direct.rps).toFixed(2)}${plannedRatio}`);
      }
    }
  } finally {
    await platform.stop();
  }
  return out;
}
