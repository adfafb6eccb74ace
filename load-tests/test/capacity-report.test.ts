import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CapacityData, LoadPoint } from '../capacity/data.ts';
import { capacityMarkdown, saturation } from '../capacity/report.ts';

// The capacity report from known figures: where each curve bends, the tables, the drill and the plots.

const point = (query: string, concurrency: number, rps: number, p95: number, units = 12_000): LoadPoint => ({
  query,
  via: 'gateway',
  concurrency,
  units,
  rps,
  p50: p95 / 2,
  p95,
  errors: 0,
});

const sweep = [
  point('unit by id', 1, 120, 9),
  point('unit by id', 5, 400, 14),
  point('unit by id', 20, 430, 52),
  point('unit by id', 50, 425, 130),
];

test('a curve bends at the fewest clients that reach 80 % of its best throughput', () => {
  expect(saturation(sweep)).toEqual({ concurrency: 5, rps: 400, p95: 14, bestRps: 430 });
  expect(saturation([])).toBeUndefined();
});

const data: CapacityData = {
  at: '2026-11-30T14:05:00.000Z',
  conditions: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v24.22.3', notes: 'Everything on two cores.' },
  durationS: 4,
  concurrency: sweep,
  storeSize: [point('unit by id', 20, 450, 40, 1000), point('unit by id', 20, 430, 52, 12_000)],
  drill: {
    at: '2026-11-30T13:50:00.000Z',
    conditions: '10 pushes/s',
    faults: [{ fault: 'Kafka broker restarted', recoveredS: 8.1, acceptedDuring: 140 }],
    push: { sent: 900, accepted: 900, retries: 40, refused: 0, longestWaitS: 9.5, answers: { '503': 12, ECONNREFUSED: 20 } },
    counts: { accepted: 900, stored: 900, published: 900, hazardsExpected: 1350, hazardsApplied: 1350, entitiesApplied: 900 },
    catchUpS: 31.5,
    verdicts: [{ what: 'accepted writes not applied', pass: true, detail: '0' }],
  },
};

test('the report states its conditions, where each query bends, every measured row and the drill', () => {
  const md = capacityMarkdown(data);
  expect(md).toContain('2 × Test CPU, 24 GiB, Node v24.22.3');
  expect(md).toContain(
    '**unit by id (gateway)**: throughput levels off at about 430 req/s, reached with 5 clients (p95 14.0 ms there)',
  );
  expect(md).toContain('| unit by id | gateway | 50 | 425 | 65.0 | 130 | 0 |');
  expect(md).toContain('| unit by id | gateway | 1,000 | 450 | 20.0 | 40.0 | 0 |');
  expect(md).toContain('| Kafka broker restarted | 8.1 s | 140 |');
  expect(md).toContain('503 × 12, ECONNREFUSED × 20');
  expect(md).toContain('consumers caught up 31.5 s after the load ended');
  expect(md).toContain('![p95 latency against concurrent clients](capacity/latency-vs-concurrency.svg)');
});

test('a curve still rising at its last step is said to be so, not to level off', () => {
  const rising = [point('township list', 1, 100, 8), point('township list', 5, 300, 12), point('township list', 20, 600, 30)];
  expect(capacityMarkdown({ ...data, concurrency: rising })).toContain(
    '**township list (gateway)**: throughput still grows at the most clients measured, 20 (600 req/s, p95 30.0 ms)',
  );
});

test('without drill figures the report says how to get them', () => {
  const { drill: _, ...rest } = data;
  expect(capacityMarkdown(rest)).toContain('No drill figures: run `npm run drill`');
});

// Vega is ESM only, which jest's CommonJS runtime cannot load: the plots are rendered by the
// report's own CLI, in Node, as an operator re-renders a report.
test('the report renders again from its figures, with plots in SVG that name their axes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-'));
  try {
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(data));
    const run = spawnSync(
      process.execPath,
      [
        'load-tests/capacity/render-cli.ts',
        '--data',
        path.join(dir, 'data.json'),
        '--docs',
        dir,
        '--drill',
        path.join(dir, 'none.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'capacity.md'), 'utf8')).toBe(capacityMarkdown(data));
    expect(fs.readdirSync(path.join(dir, 'capacity')).sort()).toEqual([
      'data.json',
      'latency-vs-concurrency.svg',
      'latency-vs-store-size.svg',
      'throughput-vs-concurrency.svg',
      'throughput-vs-store-size.svg',
    ]);
    const svg = fs.readFileSync(path.join(dir, 'capacity', 'latency-vs-concurrency.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('concurrent clients');
    expect(svg).toContain('p95 latency (ms)');
    expect(svg).toContain('unit by id (gateway)');
    expect(fs.readFileSync(path.join(dir, 'capacity', 'throughput-vs-store-size.svg'), 'utf8')).toContain(
      'units in the registry',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
