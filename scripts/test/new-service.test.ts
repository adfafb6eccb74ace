import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { nameSet, serviceFiles, topicModule } from '../new-service/templates.ts';
import { addToCatalog, addToCompose, addToContractsIndex, addToPlatform } from '../new-service/wiring.ts';

// The generator's pure parts against the repository's real files. The whole generator (files,
// npm install, typecheck, lint, the generated integration test and `npm start` with the new
// service composed into the gateway) was run end to end from a clean worktree; see the README.

const root = path.resolve(__dirname, '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const names = { svc: 'sensors', agg: 'device', port: 4004 };

test('the service gets a compose block, and the gateway lists and waits for it', () => {
  const compose = parse(addToCompose(read('docker-compose.yml'), 'sensors', 4004)) as {
    services: Record<string, { command?: string[]; environment?: Record<string, unknown>; depends_on?: Record<string, unknown> }>;
  };
  expect(compose.services.sensors?.command).toEqual(['node', 'services/sensors/src/index.ts']);
  expect(compose.services.sensors?.environment?.MONGO_DB).toBe('firegov_sensors');
  const subgraphs = String(compose.services.gateway?.environment?.SUBGRAPHS).split(',');
  expect(subgraphs).toContain('sensors=http://sensors:4004/graphql');
  expect(subgraphs).toContain('entities=http://entities:4001/graphql');
  expect(compose.services.gateway?.depends_on).toHaveProperty('sensors');
});

test('the service joins npm start and the topic catalog', () => {
  const platform = addToPlatform(read('infra/src/services.ts'), 'sensors', 4004);
  expect(platform).toMatch(/\{ name: 'sensors', port: 4004 \},\n {2}\/\/ new services are added above this line/);
  const catalog = addToCatalog(read('packages/contracts/src/topics/catalog.ts'), 'sensors', 'sensorsDeviceTopic');
  expect(catalog).toContain("import { sensorsDeviceTopic } from './sensors.ts';");
  expect(catalog).toMatch(/ {2}sensorsDeviceTopic,\n\];/);
  expect(addToContractsIndex(read('packages/contracts/src/index.ts'), 'sensors')).toMatch(
    /export \* from '.\/topics\/sensors.ts';\n$/,
  );
});

test('an edit whose anchor is gone fails instead of writing elsewhere', () => {
  expect(() => addToPlatform('export const PLATFORM_SERVICES = [];\n', 'sensors', 4004)).toThrow(/anchor not found/);
});

test('the files of the shape: wiring, env, domain, service, outbound events, schema, README, integration test', () => {
  const files = serviceFiles(names, { zod: '^4.6.7' });
  expect(Object.keys(files).sort()).toEqual(
    [
      'README.md',
      'package.json',
      'src/app.ts',
      'src/domain/device.ts',
      'src/env.ts',
      'src/events/inbound/README.md',
      'src/events/outbound.ts',
      'src/index.ts',
      'src/instrument.ts',
      'src/runtime-env.ts',
      'src/runtime.ts',
      'src/schema/context.ts',
      'src/schema/device.ts',
      'src/schema/index.ts',
      'src/schema/refs.ts',
      'src/service/device.ts',
      'src/store/models.ts',
      'test/int/device.int.test.ts',
    ].sort(),
  );
  expect(JSON.parse(files['package.json']!)).toMatchObject({ name: '@firegov/sensors', dependencies: { zod: '^4.6.7' } });
  expect(files['src/env.ts']).toContain("serviceEnv({ name: 'sensors', port: 4004 }, {})");
  // The README's env table names every entry the shared env module reads.
  for (const key of [
    'PORT',
    'JWT_SECRET',
    'MONGO_DB',
    'REDIS_KEY_PREFIX',
    'KAFKA_TOPIC_PREFIX',
    'OUTBOX_SWEEP_MS',
    'TRUST_PROXY',
  ]) {
    expect(files['README.md']).toContain(`| \`${key}\` |`);
  }
  expect(topicModule(nameSet(names))).toContain("name: 'firegov.sensors.devices.v1'");
});
