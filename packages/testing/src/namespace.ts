import { randomBytes } from 'node:crypto';

export interface TestNamespace {
  /** Unique per test file: no two files (or two runs) share a database, topic or consumer group. */
  id: string;
  dbName: string;
  topicPrefix: string;
  group(name: string): string;
}

export function testNamespace(label: string): TestNamespace {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 24);
  const id = `${safe}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return {
    id,
    dbName: `t_${id.replace(/-/g, '_')}`.slice(0, 63),
    topicPrefix: `t.${id}.`,
    group: (name) => `t.${id}.${name}`,
  };
}
