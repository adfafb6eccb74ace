// `npm run bench -- --report`: measures the registry's queries as clients are added and as the
// registry grows, through the gateway and straight to the subgraph, then writes docs/capacity.md
// with SVG plots (docs/capacity/) and the raw figures (docs/capacity/data.json). The fault drill's
// last figures (reports/drill.json) join the report when they exist.
import os from 'node:os';
import path from 'node:path';
import { httpLoad } from '@firegov/testing';
import { graphql, startLoadPlatform } from '../harness/platform.ts';
import type { CapacityData, LoadPoint } from './data.ts';
import { drillFile, withDrill, writeCapacityFiles } from './files.ts';

export interface CapacityOptions {
  repoRoot: string;
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Registry sizes, each loaded fresh; the concurrency sweep runs on the largest. */
  sizes: readonly number[];
  /** Client counts of the concurrency sweep. */
  clients: readonly number[];
  /** Clients of the store-size sweep. */
  sizeClients: number;
  durationS: number;
}

const progress = (msg: string) => process.stderr.write(`[report] ${msg}\n`);
const TOWNSHIP = '500230213000';
const admin = { subject: 'capacity', role: 'county_admin' as const, jurisdiction: '500230000000' };

interface Query {
  name: string;
  body: (unitId: string) => string;
}

const QUERIES: readonly Query[] = [
  {
    name: 'unit by id',
    body: (id) =>
      JSON.stringify({ query: 'query($id: ID!) { unit(id: $id) { id name category risk { grade score } } }', variables: { id } }),
  },
  {
    name: 'township list by category, first 20 + totalCount',
    body: () =>
      JSON.stringify({
        query:
          'query($f: UnitFilter) { units(first: 20, filter: $f) { totalCount edges { node { id name category risk { grade } } } } }',
        variables: { f: { jurisdictionCode: TOWNSHIP, category: 'restaurant' } },
      }),
  },
  {
    name: 'village summaries',
    body: () =>
      JSON.stringify({
        query: 'query($j: String) { villageSummaries(jurisdictionCode: $j) { villageCode units keyUnits } }',
        variables: { j: TOWNSHIP },
      }),
  },
  {
    name: 'name search 超市',
    body: () =>
      JSON.stringify({
        query: 'query($f: UnitFilter) { units(first: 20, filter: $f) { edges { node { id name } } } }',
        variables: { f: { jurisdictionCode: TOWNSHIP, search: '超市' } },
      }),
  },
];

/** The concurrency sweep's queries: a point read and a list, through the gateway; the point read direct too. */
const SWEEP: ReadonlyArray<{ query: Query; via: LoadPoint['via'] }> = [
  { query: QUERIES[0]!, via: 'gateway' },
  { query: QUERIES[1]!, via: 'gateway' },
  { query: QUERIES[0]!, via: 'subgraph' },
];

async function measureSize(
  o: CapacityOptions,
  units: number,
  sweep: boolean,
): Promise<{ size: LoadPoint[]; sweep: LoadPoint[] }> {
  const platform = await startLoadPlatform({
    brokers: o.brokers,
    mongoUrl: o.mongoUrl,
    redisUrl: o.redisUrl,
    services: ['entities'],
    demoUnits: units,
    gateway: true,
  });
  try {
    const token = await platform.signToken(admin);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const subgraph = platform.url('entities');
    const first = await graphql<{ units: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(
      subgraph,
      token,
      '{ units(first: 1) { totalCount edges { node { id } } } }',
    );
    const total = first.units.totalCount;
    const unitId = first.units.edges[0]!.node.id;
    const url = (via: LoadPoint['via']) => `${via === 'gateway' ? platform.gatewayUrl! : subgraph}/graphql`;
    const point = async (query: Query, via: LoadPoint['via'], concurrency: number): Promise<LoadPoint> => {
      const r = await httpLoad({
        url: url(via),
        body: query.body(unitId),
        headers,
        connections: concurrency,
        durationS: o.durationS,
      });
      progress(
        `${total} units, ${query.name} via ${via}, ${concurrency} clients: ${r.rps.toFixed(0)} req/s, p95 ${r.p95.toFixed(1)} ms`,
      );
      return { query: query.name, via, concurrency, units: total, rps: r.rps, p50: r.p50, p95: r.p95, errors: r.errors };
    };
    // Warm up (JIT, connections, the gateway's plan cache, the store's page cache) before anything
    // counts: with one second per query the first registry measured slower than larger ones.
    for (const q of QUERIES)
      for (const via of ['subgraph', 'gateway'] as const)
        await httpLoad({ url: url(via), body: q.body(unitId), headers, connections: o.sizeClients, durationS: 3 });
    const size: LoadPoint[] = [];
    for (const q of QUERIES) for (const via of ['gateway', 'subgraph'] as const) size.push(await point(q, via, o.sizeClients));
    const swept: LoadPoint[] = [];
    if (sweep) for (const s of SWEEP) for (const c of o.clients) swept.push(await point(s.query, s.via, c));
    return { size, sweep: swept };
  } finally {
    await platform.stop();
  }
}

export async function writeCapacityReport(o: CapacityOptions): Promise<string> {
  const sizes = [...o.sizes].sort((a, b) => a - b);
  const storeSize: LoadPoint[] = [];
  let concurrency: LoadPoint[] = [];
  for (const [i, units] of sizes.entries()) {
    progress(`registry of ${units} units (${i + 1} of ${sizes.length})`);
    const r = await measureSize(o, units, i === sizes.length - 1);
    storeSize.push(...r.size);
    if (r.sweep.length > 0) concurrency = r.sweep;
  }
  const cpus = os.cpus();
  const data: CapacityData = {
    at: new Date().toISOString(),
    conditions: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      notes:
        'The load generator, the gateway, the entities subgraph (each its own process), Redis, FerretDB on SQLite and Kafka share these cores, so each figure includes the cost of generating its own load.',
    },
    durationS: o.durationS,
    concurrency,
    storeSize,
    ...withDrill(drillFile(o.repoRoot)),
  };
  return writeCapacityFiles(data, path.join(o.repoRoot, 'docs'));
}
