import fs from 'node:fs';
import path from 'node:path';

// docs/plan-coverage.md maps every task of the seed plan to the test files that carry it. A test file
// renamed or removed must not leave the page pointing at nothing, and no task may drop off it.

const ROOT = path.join(__dirname, '..', '..');
const page = fs.readFileSync(path.join(ROOT, 'docs', 'plan-coverage.md'), 'utf8');
const rows = page
  .split('\n')
  .filter((line) => /^\| (\d+|G\d) \|/.test(line))
  .map((line) => {
    const cells = line.split('|').map((c) => c.trim());
    return {
      task: cells[1]!,
      status: cells[3]!,
      tests: [...(cells[5] ?? '').matchAll(/`([^`]+\.test\.ts)`/g)].map((m) => m[1]!),
    };
  });

test('every task of the plan (1–17) and every guarantee measure (G1–G3) has a row, once', () => {
  const expected = [...Array.from({ length: 17 }, (_, i) => String(i + 1)), 'G1', 'G2', 'G3'];
  expect(rows.map((r) => r.task)).toEqual(expected);
});

test.each(rows.map((r) => [r.task, r] as const))(
  'task %s names test files that exist, unless it is not covered',
  (_task, row) => {
    expect(['covered', 'partly', 'not covered']).toContain(row.status);
    if (row.status === 'not covered') expect(row.tests).toEqual([]);
    else expect(row.tests.length).toBeGreaterThan(0);
    for (const file of row.tests) expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
  },
);
