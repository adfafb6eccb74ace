import fs from 'node:fs';
import path from 'node:path';
import { scenarios } from '../scenarios/index.ts';
import { answerFailed, k6Options, requestBody } from '../scenarios/types.ts';

// The k6 scripts and the harness must load the same scenario definitions: one script per scenario,
// importing that scenario's module and deriving its options from it; the harness from the registry.

const dir = __dirname;
const k6Dir = path.join(dir, '..', 'k6');
const kebab = (name: string) => name.replaceAll('_', '-');
const scripts = fs.readdirSync(k6Dir).filter((f) => f.endsWith('.ts') && f !== 'common.ts');

test('every scenario has a k6 script that imports its definition and derives options, setup and requests from it', () => {
  expect(scripts.sort()).toEqual(scenarios.map((s) => `${kebab(s.name)}.ts`).sort());
  for (const s of scenarios) {
    const source = fs.readFileSync(path.join(k6Dir, `${kebab(s.name)}.ts`), 'utf8');
    expect(source).toContain(`from '../scenarios/${kebab(s.name)}.ts'`);
    expect(source).toContain('export const options = k6Options(scenario);');
    expect(source).toContain('setupFor(scenario)');
    expect(source).toContain('iterate(scenario, data)');
  }
});

test('the harness runs the registry and judges answers like the k6 scripts do', () => {
  const harness = fs.readFileSync(path.join(dir, '..', 'run.ts'), 'utf8');
  const common = fs.readFileSync(path.join(k6Dir, 'common.ts'), 'utf8');
  expect(harness).toContain("from './scenarios/index.ts'");
  for (const source of [harness, common]) {
    expect(source).toContain('requestBody(');
    expect(source).toContain('answerFailed(');
  }
});

test('k6 options carry the scenario’s rate and thresholds', () => {
  for (const s of scenarios) {
    const o = k6Options(s);
    expect(o.scenarios[s.name]).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: s.load.ratePerSecond,
      duration: `${s.load.durationS}s`,
    });
    expect(o.thresholds.http_req_failed).toEqual([`rate<${s.thresholds.failedRate}`]);
    expect(o.thresholds.http_req_duration).toEqual([`p(95)<${s.thresholds.p95Ms}`, `p(99)<${s.thresholds.p99Ms}`]);
  }
});

test('requests cycle through the scenario with named operations and the setup’s values', () => {
  const lookups = scenarios.find((s) => s.name === 'unit_lookups')!;
  const values = { unitId: ['u1', 'u2'], namePart: ['青龙'] };
  const first = JSON.parse(requestBody(lookups, 0, values).body) as { operationName: string; variables: { id: string } };
  const second = JSON.parse(requestBody(lookups, 1, values).body) as { operationName: string; variables: { q: string } };
  const third = JSON.parse(requestBody(lookups, 2, values).body) as { variables: { id: string } };
  expect([first.operationName, first.variables.id, second.operationName, second.variables.q, third.variables.id]).toEqual([
    'Unit',
    'u1',
    'UnitSearch',
    '青龙',
    'u1',
  ]);
  expect(() => requestBody(lookups, 0, {})).toThrow('the setup found no unitId');
  for (const s of scenarios) for (const r of s.requests) expect(r.graphql.query).toContain(r.graphql.operationName);
});

test('an answer fails on a status other than 200, on GraphQL errors, or on a body that is not JSON', () => {
  expect(answerFailed(200, '{"data":{"x":1}}')).toBe(false);
  expect(answerFailed(200, '{"errors":[{"message":"no"}],"data":null}')).toBe(true);
  expect(answerFailed(429, '{"data":{}}')).toBe(true);
  expect(answerFailed(200, '<html>')).toBe(true);
});
