import fs from 'node:fs';
import path from 'node:path';
import { inspectionsEnv } from '../src/env.ts';

// The README's environment table is kept by hand; this keeps it and the env module in step.

test('the README lists every environment variable the service reads, and no other', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| variable | default | meaning |')).split('\n\n')[0]!;
  const documented = table
    .split('\n')
    .slice(2)
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!));
  expect([...documented].sort()).toEqual(Object.keys(inspectionsEnv.schema.shape).sort());
});
