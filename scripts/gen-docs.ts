// `npm run docs`: regenerates docs/asyncapi.yaml from the topic catalog in packages/contracts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsyncApiYaml } from './docs-render.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs', 'asyncapi.yaml');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderAsyncApiYaml());
process.stdout.write(`wrote ${path.relative(root, out)}\n`);
