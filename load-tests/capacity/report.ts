// docs/capacity.md from the measured data: pure, so a test renders it from known figures.
import type { CapacityData, DrillFigures, LoadPoint } from './data.ts';

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const by = <K extends string>(points: readonly LoadPoint[], key: (p: LoadPoint) => K) => {
  const groups = new Map<K, LoadPoint[]>();
  for (const p of points) groups.set(key(p), [...(groups.get(key(p)) ?? []), p]);
  return groups;
};

/**
 * Where one query's curve bends: the fewest clients that reach 80 % of its best throughput (steps
 * of a few seconds on shared cores vary by 10-20 %, so a tighter share picks noise).
 */
export function saturation(
  points: readonly LoadPoint[],
): { concurrency: number; rps: number; p95: number; bestRps: number } | undefined {
  if (points.length === 0) return undefined;
  const sorted = [...points].sort((a, b) => a.concurrency - b.concurrency);
  const bestRps = Math.max(...sorted.map((p) => p.rps));
  const knee = sorted.find((p) => p.rps >= 0.8 * bestRps)!;
  return { concurrency: knee.concurrency, rps: knee.rps, p95: knee.p95, bestRps };
}

function concurrencySection(points: readonly LoadPoint[], durationS: number): string[] {
  const units = points[0]?.units ?? 0;
  const lines = [
    `## Latency and throughput as clients are added`,
    '',
    `${units.toLocaleString('en')} units in the registry; each step ${durationS} s of as many clients as shown, each sending its next request when the last one answered (a closed loop).`,
    '',
    '![p95 latency against concurrent clients](capacity/latency-vs-concurrency.svg)',
    '',
    '![throughput against concurrent clients](capacity/throughput-vs-concurrency.svg)',
    '',
  ];
  for (const [name, group] of by(points, (p) => `${p.query} (${p.via})`)) {
    const s = saturation(group);
    if (!s) continue;
    const most = Math.max(...group.map((p) => p.concurrency));
    lines.push(
      s.concurrency === most
        ? `- **${name}**: throughput still grows at the most clients measured, ${most} (${s.rps.toFixed(0)} req/s, p95 ${ms(s.p95)} ms): measure with more to find where it levels off.`
        : `- **${name}**: throughput levels off at about ${s.bestRps.toFixed(0)} req/s, reached with ${s.concurrency} client${s.concurrency === 1 ? '' : 's'} (p95 ${ms(s.p95)} ms there); more clients only queue, so p95 grows with them.`,
    );
  }
  lines.push('', '| query | via | clients | req/s | p50 ms | p95 ms | errors |', '|---|---|---:|---:|---:|---:|---:|');
  for (const p of points)
    lines.push(`| ${p.query} | ${p.via} | ${p.concurrency} | ${p.rps.toFixed(0)} | ${ms(p.p50)} | ${ms(p.p95)} | ${p.errors} |`);
  return lines;
}

function storeSizeSection(points: readonly LoadPoint[], durationS: number): string[] {
  const clients = points[0]?.concurrency ?? 0;
  const lines = [
    `## Throughput as the registry grows`,
    '',
    `Each size is a fresh registry loaded through the demo loader; ${clients} clients for ${durationS} s per query.`,
    '',
    '![throughput against registry size](capacity/throughput-vs-store-size.svg)',
    '',
    '![p95 latency against registry size](capacity/latency-vs-store-size.svg)',
    '',
    '| query | via | units | req/s | p50 ms | p95 ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const p of points)
    lines.push(
      `| ${p.query} | ${p.via} | ${p.units.toLocaleString('en')} | ${p.rps.toFixed(0)} | ${ms(p.p50)} | ${ms(p.p95)} | ${p.errors} |`,
    );
  return lines;
}

function drillSection(d: DrillFigures | undefined): string[] {
  if (!d) return ['## Fault drill', '', 'No drill figures: run `npm run drill`, then this report again.'];
  const c = d.counts;
  return [
    '## Fault drill',
    '',
    `\`npm run drill\`, ${d.at.slice(0, 16).replace('T', ' ')} UTC: ${d.conditions}.`,
    '',
    '| fault | recovered after | pushes accepted during it and the steady load after |',
    '|---|---:|---:|',
    ...d.faults.map((f) => `| ${f.fault} | ${f.recoveredS.toFixed(1)} s | ${f.acceptedDuring} |`),
    '',
    `- Pushes: ${d.push.sent} sent, ${d.push.accepted} accepted (201), ${d.push.retries} retries, ${d.push.refused} refused; the longest wait for a 201 was ${d.push.longestWaitS.toFixed(1)} s.`,
    ...(d.push.answers
      ? [
          `- Answers other than 201 while faults lasted: ${
            Object.entries(d.push.answers)
              .map(([k, v]) => `${k} × ${v}`)
              .join(', ') || 'none'
          }.`,
        ]
      : []),
    `- Stored ${c.stored}/${c.accepted}, published ${c.published}/${c.accepted}, hazards ${c.hazardsApplied}/${c.hazardsExpected}, unit grades ${c.entitiesApplied}/${c.accepted}; consumers caught up ${d.catchUpS === null ? 'not within the bound' : `${d.catchUpS.toFixed(1)} s after the load ended`}.`,
    ...d.verdicts.map((v) => `- ${v.pass ? 'Pass' : '**Fail**'}: ${v.what}: ${v.detail}.`),
  ];
}

export function capacityMarkdown(d: CapacityData): string {
  const c = d.conditions;
  return [
    '# Capacity report',
    '',
    `Generated by \`npm run bench -- --report\` on ${d.at.slice(0, 16).replace('T', ' ')} UTC; do not edit by hand. Figures hold for the conditions below only: compare runs on the same machine.`,
    '',
    `**Conditions.** ${c.cpus} × ${c.cpuModel}, ${c.memoryGiB} GiB, Node ${c.node}. ${c.notes}`,
    '',
    ...concurrencySection(d.concurrency, d.durationS),
    '',
    ...storeSizeSection(d.storeSize, d.durationS),
    '',
    ...drillSection(d.drill),
    '',
    '## Reproduce',
    '',
    '- `npm run bench -- --report` (about 10 minutes; `BENCH_REPORT_SIZES` sets the registry sizes, `BENCH_REPORT_CLIENTS` the client steps, `BENCH_REPORT_DURATION_S` each step).',
    '- `npm run drill` first, for the fault drill section.',
    '- `npm run load -- --all` judges the k6 scenarios against their thresholds; `npm run bench` measures each service against its own baseline.',
    '',
  ].join('\n');
}
