// Text edits that give a new service its place in the shared files. Each fails loudly when the
// file no longer has the anchor it edits at, rather than writing somewhere unexpected.

function insertBefore(text: string, anchor: string, insert: string, file: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`${file}: anchor not found: ${JSON.stringify(anchor)}`);
  return text.slice(0, at) + insert + text.slice(at);
}

/** infra/src/services.ts: the service joins `npm start` (and with it the gateway's composition). */
export const addToPlatform = (text: string, svc: string, port: number): string =>
  insertBefore(
    text,
    '  // new services are added above this line',
    `  { name: '${svc}', port: ${port} },\n`,
    'infra/src/services.ts',
  );

/** scripts/policy-coverage.ts: the service's policy table joins the coverage test and docs/policy.md. */
export function addToPolicyCoverage(text: string, svc: string): string {
  const withImport = insertBefore(
    text,
    '\nexport interface SubgraphPolicy',
    `import { ${svc}Policy } from '../services/${svc}/src/policy.ts';\nimport { ${svc}SubgraphSchema } from '../services/${svc}/src/schema/index.ts';\n`,
    'scripts/policy-coverage.ts',
  );
  return insertBefore(
    withImport,
    '  // new services are added above this line',
    `  { name: '${svc}', schema: ${svc}SubgraphSchema, policy: ${svc}Policy },\n`,
    'scripts/policy-coverage.ts',
  );
}

export const addToContractsIndex = (text: string, svc: string): string =>
  `${text.trimEnd()}\nexport * from './topics/${svc}.ts';\n`;

/** The topic catalog feeds the AsyncAPI document. */
export function addToCatalog(text: string, svc: string, topicConst: string): string {
  const withImport = insertBefore(
    text,
    '\n/**\n * Every platform topic',
    `import { ${topicConst} } from './${svc}.ts';\n`,
    'catalog.ts',
  );
  const list = withImport.indexOf('export const topicCatalog');
  const end = withImport.indexOf('];', list);
  if (list < 0 || end < 0) throw new Error('catalog.ts: topicCatalog list not found');
  return `${withImport.slice(0, end)}  ${topicConst},\n${withImport.slice(end)}`;
}

/** docker-compose.yml: the service block, and the gateway's subgraph list and dependencies. */
export function addToCompose(text: string, svc: string, port: number): string {
  const block = `  ${svc}:
    image: node:24-bookworm-slim
    working_dir: /app
    command: ['node', 'services/${svc}/src/index.ts']
    volumes: ['.:/app:ro']
    environment:
      <<: *service-env
      PORT: ${port}
      MONGO_DB: firegov_${svc}
      OTEL_SERVICE_NAME: ${svc}
    depends_on:
      kafka: { condition: service_healthy }
      mongo: { condition: service_healthy }
      redis: { condition: service_healthy }
    healthcheck:
      test:
        [
          'CMD',
          'node',
          '-e',
          "fetch('http://127.0.0.1:${port}/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
        ]
      interval: 5s
      timeout: 3s
      retries: 30

`;
  let out = insertBefore(text, '  gateway:\n', block, 'docker-compose.yml');
  out = out.replace(/(\n\s+SUBGRAPHS: [^\n]+)/, `$1,${svc}=http://${svc}:${port}/graphql`);
  const deps = /(\n {2}gateway:\n[\s\S]*?\n {4}depends_on:\n)/.exec(out);
  if (!deps) throw new Error('docker-compose.yml: the gateway has no depends_on');
  const at = deps.index + deps[0].length;
  return `${out.slice(0, at)}      ${svc}: { condition: service_healthy }\n${out.slice(at)}`;
}
