// The capacity report's plots: Vega-Lite specifications rendered to SVG by Vega itself (headless,
// no canvas), so an operator sees at a glance where the platform bends.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LoadPoint } from './data.ts';

const series = (p: LoadPoint) => `${p.query} (${p.via})`;

function lineSpec(
  title: string,
  points: readonly LoadPoint[],
  x: { field: keyof LoadPoint; title: string; log: boolean },
  y: { field: keyof LoadPoint; title: string; log: boolean },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 300,
    data: { values: points.map((p) => ({ ...p, series: series(p) })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x.field, type: 'quantitative', title: x.title, scale: { type: x.log ? 'log' : 'linear' } },
      y: { field: y.field, type: 'quantitative', title: y.title, scale: { type: y.log ? 'log' : 'linear' } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    },
  };
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The report's figures by file name. */
export async function capacityPlots(
  concurrency: readonly LoadPoint[],
  storeSize: readonly LoadPoint[],
): Promise<Record<string, string>> {
  const clients = { field: 'concurrency' as const, title: 'concurrent clients', log: true };
  const units = { field: 'units' as const, title: 'units in the registry', log: true };
  return {
    'latency-vs-concurrency.svg': await toSvg(
      lineSpec('p95 latency as clients are added', concurrency, clients, { field: 'p95', title: 'p95 latency (ms)', log: true }),
    ),
    'throughput-vs-concurrency.svg': await toSvg(
      lineSpec('Throughput as clients are added', concurrency, clients, {
        field: 'rps',
        title: 'requests per second',
        log: false,
      }),
    ),
    'throughput-vs-store-size.svg': await toSvg(
      lineSpec('Throughput as the registry grows', storeSize, units, { field: 'rps', title: 'requests per second', log: false }),
    ),
    'latency-vs-store-size.svg': await toSvg(
      lineSpec('p95 latency as the registry grows', storeSize, units, { field: 'p95', title: 'p95 latency (ms)', log: true }),
    ),
  };
}
