import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { PLATFORM_SERVICES } from '../../infra/src/services.ts';

// Each service's README documents every variable its env module reads: a variable added to the
// code and not to the table (or a table entry the code no longer reads) fails here.

const root = path.resolve(__dirname, '..', '..');

test.each(PLATFORM_SERVICES.map((s) => s.name))(
  'the %s README lists exactly the variables its env module reads',
  async (name) => {
    const mod = (await import(path.join(root, 'services', name, 'src', 'env.ts'))) as Record<string, unknown>;
    const env = mod[`${name}Env`] as { schema: z.ZodObject } | undefined;
    expect(env?.schema).toBeDefined();
    const keys = Object.keys(env!.schema.shape).sort();
    const readme = fs.readFileSync(path.join(root, 'services', name, 'README.md'), 'utf8');
    // The env table: from its `| variable |` header to the first blank line; a row may name several.
    const table = readme.slice(readme.indexOf('| variable |')).split('\n\n')[0]!;
    const documented = table
      .split('\n')
      .slice(2)
      .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect(documented.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !documented.includes(k))).toEqual([]);
    expect([...new Set(documented)].filter((k) => !keys.includes(k))).toEqual([]);
  },
);
