// `node load-tests/capacity/render-cli.ts [--data FILE] [--docs DIR] [--drill FILE]`: renders the
// capacity report again from measured figures (by default docs/capacity/data.json) without
// measuring, with the fault drill's latest figures (by default reports/drill.json, when it exists)
// in place of the ones the data holds — e.g. after `npm run drill`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CapacityData } from './data.ts';
import { drillFile, withDrill, writeCapacityFiles } from './files.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { data: { type: 'string' }, docs: { type: 'string' }, drill: { type: 'string' } } });
const dataFile = path.resolve(values.data ?? path.join(root, 'docs', 'capacity', 'data.json'));
if (!fs.existsSync(dataFile)) {
  process.stderr.write(`no figures at ${dataFile}: run \`npm run bench -- --report\` first\n`);
  process.exit(2);
}
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as CapacityData;
const report = await writeCapacityFiles(
  { ...data, ...withDrill(path.resolve(values.drill ?? drillFile(root))) },
  path.resolve(values.docs ?? path.join(root, 'docs')),
);
process.stdout.write(`${path.relative(process.cwd(), report)} rendered from ${path.relative(process.cwd(), dataFile)}\n`);
