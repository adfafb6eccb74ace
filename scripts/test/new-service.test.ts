import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { nameSet, serviceFiles, topicModule } from '../new-service/templates.ts';
import { addToCatalog, addToCompose, addToContractsIndex, addToPlatform, addToPolicyCoverage } from '../new-service/wiring.ts';

// The generator's pure parts against the repository's real files. The whole generator (files,
// npm install, typecheck, lint, the generated integration test and `npm start` with the new
// service composed into the gateway) was run end to end from a clean worktree; see the README.

const root = path.resolve(__dirname, '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const names = { svc: 'notices', agg: 'bulletin', port: 4009 };

test('the service gets a compose block, and the gateway lists and waits for it', () => {
  const compose = parse(addToCompose(read('docker-compose.yml'), 'notices', 4009)) as {
    services: Record<string, { command?: string[]; environment?: Record<string, unknown>; depends_on?: Record<string, unknown> }>;
  };
  expect(compose.services.notices?.command).toEqual(['node', 'services/notices/src/index.ts']);
  expect(compose.services.notices?.environment?.MONGO_DB).toBe('firegov_notices');
  const subgraphs = String(compose.services.gateway?.environment?.SUBGRAPHS).split(',');
  expect(subgraphs).toContain('notices=http://notices:4009/graphql');
  expect(subgraphs).toContain('entities=http://entities:4001/graphql');
  expect(compose.services.gateway?.depends_on).toHaveProperty('notices');
});

test('the service joins npm start and the topic catalog', () => {
  const platform = addToPlatform(read('infra/src/services.ts'), 'notices', 4009);
  expect(platform).toMatch(/\{ name: 'notices', port: 4009 \},\n {2}\/\/ new services are added above this line/);
  const catalog = addToCatalog(read('packages/contracts/src/topics/catalog.ts'), 'notices', 'noticesBulletinTopic');
  expect(catalog).toContain("import { noticesBulletinTopic } from './notices.ts';");
  expect(catalog).toMatch(/ {2}noticesBulletinTopic,\n\];/);
  expect(addToContractsIndex(read('packages/contracts/src/index.ts'), 'notices')).toMatch(
    /export \* from '.\/topics\/notices.ts';\n$/,
  );
});

test('the service joins the policy coverage test and docs/policy.md', () => {
  const coverage = addToPolicyCoverage(read('scripts/policy-coverage.ts'), 'notices');
  expect(coverage).toContain("import { noticesPolicy } from '../services/notices/src/policy.ts';");
  expect(coverage).toMatch(
    /\{ name: 'notices', schema: noticesSubgraphSchema, policy: noticesPolicy \},\n {2}\/\/ new services are added above this line/,
  );
});

test('an edit whose anchor is gone fails instead of writing elsewhere', () => {
  expect(() => addToPlatform('export const PLATFORM_SERVICES = [];\n', 'notices', 4009)).toThrow(/anchor not found/);
});

test('the files of the shape: wiring, env, domain, service, outbound events, schema, README, integration test', () => {
  const files = serviceFiles(names, { zod: '^4.6.7' });
  expect(Object.keys(files).sort()).toEqual(
    [
      'README.md',
      'package.json',
      'src/app.ts',
      'src/domain/bulletin.ts',
      'src/env.ts',
      'src/events/inbound/README.md',
      'src/events/outbound.ts',
      'src/index.ts',
      'src/instrument.ts',
      'src/policy.ts',
      'src/runtime-env.ts',
      'src/runtime.ts',
      'src/schema/context.ts',
      'src/schema/bulletin.ts',
      'src/schema/index.ts',
      'src/schema/refs.ts',
      'src/service/bulletin.ts',
      'src/store/models.ts',
      'test/int/bulletin.int.test.ts',
    ].sort(),
  );
  expect(JSON.parse(files['package.json']!)).toMatchObject({ name: '@firegov/notices', dependencies: { zod: '^4.6.7' } });
  expect(files['src/env.ts']).toContain("serviceEnv({ name: 'notices', port: 4009 }, {})");
  // The README's env table names every entry the shared env module reads.
  for (const key of [
    'PORT',
    'AUTH_ISSUER',
    'AUTH_JWKS_URL',
    'AUTH_AUDIENCE',
    'MONGO_DB',
    'REDIS_KEY_PREFIX',
    'KAFKA_TOPIC_PREFIX',
    'OUTBOX_SWEEP_MS',
    'TRUST_PROXY',
  ]) {
    expect(files['README.md']).toContain(`| \`${key}\` |`);
  }
  expect(topicModule(nameSet(names))).toContain("name: 'firegov.notices.bulletins.v1'");
});
