// `npm run new-service -- NAME [--aggregate NAME] [--port N]`: a new service in the shape every
// service keeps, with its place in `npm start` (infra/src/services.ts), the gateway's composition
// (which follows `npm start`'s list), docker-compose, the topic catalog and the AsyncAPI document.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PLATFORM_SERVICES } from '../../infra/src/services.ts';
import { nameSet, serviceFiles, topicModule, type ServiceNames } from './templates.ts';
import { addToCatalog, addToCompose, addToContractsIndex, addToPlatform, addToPolicyCoverage } from './wiring.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = /^[a-z][a-z0-9]{1,23}$/;

function fail(message: string): never {
  process.stderr.write(`new-service: ${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { aggregate: { type: 'string' }, port: { type: 'string' } },
});
const svc = positionals[0] ?? fail('usage: npm run new-service -- NAME [--aggregate NAME] [--port N]');
if (!NAME.test(svc)) fail(`NAME "${svc}" must be 2-24 lower-case letters and digits, starting with a letter`);
const agg = values.aggregate ?? 'record';
if (!NAME.test(agg)) fail(`--aggregate "${agg}" must be 2-24 lower-case letters and digits, starting with a letter`);
if (fs.existsSync(path.join(root, 'services', svc))) fail(`services/${svc} already exists`);
if (PLATFORM_SERVICES.some((s) => s.name === svc)) fail(`"${svc}" is already in infra/src/services.ts`);
const port = values.port === undefined ? Math.max(...PLATFORM_SERVICES.map((s) => s.port)) + 1 : Number(values.port);
if (!Number.isInteger(port) || port < 1024 || port > 65535) fail(`--port must be an integer from 1024 to 65535`);
if (PLATFORM_SERVICES.some((s) => s.port === port)) fail(`port ${port} is taken by another service`);

const names: ServiceNames = { svc, agg, port };
const x = nameSet(names);

// The generated code imports these; versions follow the existing services so the lockfile stays one tree.
const wanted = [
  '@apollo/subgraph',
  '@firegov/auth',
  '@firegov/contracts',
  '@firegov/events',
  '@firegov/kit',
  '@firegov/registry',
  '@firegov/service',
  'express',
  'graphql',
  'kafkajs',
  'mongodb',
  'mongoose',
  'zod',
];
const known: Record<string, string> = {};
for (const dir of ['packages', 'services']) {
  for (const name of fs.readdirSync(path.join(root, dir))) {
    const file = path.join(root, dir, name, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
    Object.assign(known, pkg.dependencies);
  }
}
const deps = Object.fromEntries(
  wanted.map((d) => [d, known[d] ?? (d.startsWith('@firegov/') ? '*' : fail(`no version of ${d}`))]),
);

const write = (rel: string, text: string) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  process.stdout.write(`  wrote ${rel}\n`);
};
const edit = (rel: string, change: (text: string) => string) => {
  const file = path.join(root, rel);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  process.stdout.write(`  updated ${rel}\n`);
};

process.stdout.write(`creating services/${svc} (aggregate ${agg}, port ${port})\n`);
for (const [rel, text] of Object.entries(serviceFiles(names, deps))) write(path.join('services', svc, rel), text);
write(`packages/contracts/src/topics/${svc}.ts`, topicModule(x));
edit('packages/contracts/src/index.ts', (t) => addToContractsIndex(t, svc));
edit('packages/contracts/src/topics/catalog.ts', (t) => addToCatalog(t, svc, x.topicConst));
edit('infra/src/services.ts', (t) => addToPlatform(t, svc, port));
edit('docker-compose.yml', (t) => addToCompose(t, svc, port));
edit('scripts/policy-coverage.ts', (t) => addToPolicyCoverage(t, svc));

// Link the new workspace, then regenerate the documents made from code (the AsyncAPI catalog).
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed`);
};
run('npm', ['install', '--no-audit', '--no-fund']);
run(process.execPath, ['scripts/gen-docs.ts']);
run(process.execPath, [
  'node_modules/prettier/bin/prettier.cjs',
  '--write',
  `services/${svc}`,
  `packages/contracts/src/topics/${svc}.ts`,
]);

process.stdout.write(
  [
    '',
    `services/${svc} is ready. Next:`,
    `  - describe what it owns in services/${svc}/README.md and docs/architecture.md`,
    `  - run its test: npm test -- services/${svc}`,
    `  - npm start runs it on :${port} and the gateway composes it`,
    '',
  ].join('\n'),
);
