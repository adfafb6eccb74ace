// `npm run docs`: regenerates the documents made from code — docs/asyncapi.yaml from the topic
// catalog in packages/contracts, the OpenAPI documents of the REST APIs, docker-compose's
// Prometheus config (infra/prometheus/prometheus.compose.yml) and the authorization policy
// (docs/policy.md, from services/*/src/policy.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DOCS } from './docs-render.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const doc of GENERATED_DOCS) {
  const out = path.join(root, doc.file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, doc.render());
  process.stdout.write(`wrote ${doc.file}\n`);
}
