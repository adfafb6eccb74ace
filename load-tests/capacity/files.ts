// Writes the capacity report's files: docs/capacity.md, its plots and the figures they come from.
import fs from 'node:fs';
import path from 'node:path';
import type { CapacityData, DrillFigures } from './data.ts';
import { capacityPlots } from './plots.ts';
import { capacityMarkdown } from './report.ts';

/** Where `npm run drill` leaves its figures. */
export const drillFile = (repoRoot: string): string => path.join(repoRoot, 'reports', 'drill.json');

/** The fault drill's figures in `file`, when there are any. */
export function withDrill(file: string): { drill?: DrillFigures } {
  return fs.existsSync(file) ? { drill: JSON.parse(fs.readFileSync(file, 'utf8')) as DrillFigures } : {};
}

/** `<docs>/capacity.md`, `<docs>/capacity/*.svg` and `<docs>/capacity/data.json`; resolves with the report's path. */
export async function writeCapacityFiles(data: CapacityData, docs: string): Promise<string> {
  const dir = path.join(docs, 'capacity');
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, svg] of Object.entries(await capacityPlots(data.concurrency, data.storeSize)))
    fs.writeFileSync(path.join(dir, file), `${svg}\n`);
  fs.writeFileSync(path.join(dir, 'data.json'), `${JSON.stringify(data, null, 2)}\n`);
  const report = path.join(docs, 'capacity.md');
  fs.writeFileSync(report, capacityMarkdown(data));
  return report;
}
