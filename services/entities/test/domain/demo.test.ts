import { UnitCategory } from '@firegov/contracts';
import type { z } from 'zod';
import { DEMO_MARK, DEMO_NEIGHBOUR_TOWNSHIP_CODE, DEMO_TOWNSHIP_CODE, generateDemoCounty } from '../../src/demo/qinglong.ts';
import { deriveFlags } from '../../src/domain/derived.ts';
import { issueWarningSchema, recordSessionSchema, registerCommitteeSchema } from '../../src/domain/committees.ts';
import { registerDepartmentSchema } from '../../src/domain/departments.ts';
import { registerFireTeamSchema } from '../../src/domain/fire-teams.ts';
import { registerHouseholdSchema } from '../../src/domain/households.ts';
import { registerJurisdictionSchema } from '../../src/domain/jurisdictions.ts';
import { registerUnitSchema } from '../../src/domain/units.ts';
import { isInScope } from '../../src/domain/jurisdiction-tree.ts';
import { fireForceReadiness } from '../../src/domain/readiness.ts';

const county = generateDemoCounty();

function expectAllValid(schema: z.ZodType, items: readonly unknown[]): void {
  const failures = items.flatMap((item, index): unknown[] => {
    const result = schema.safeParse(item);
    if (!result.success) return [{ index, issues: result.error.issues }];
    // The generator emits parsed form (defaults filled, values normalized), so parsing changes nothing.
    return JSON.stringify(result.data) === JSON.stringify(item) ? [] : [{ index, changed: result.data }];
  });
  expect(failures.slice(0, 3)).toEqual([]);
}

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

describe('generateDemoCounty', () => {
  test('produces the requested number of units and a plausible registry', () => {
    expect(county.units).toHaveLength(2000);
    expect(county.departments.map((d) => d.name.replace(/（演示）$/, ''))).toEqual([
      '应急办',
      '经发办',
      '规环办',
      '社事办',
      '文服中心',
      '青龙派出所',
    ]);
    // Task 4: 文服中心 supervises schools and internet cafés, 社事办 welfare homes, 规环办 construction sites.
    // (Some units name no supervising department at all.)
    const supervisor = (category: string) =>
      new Set(county.units.filter((u) => u.category === category).flatMap((u) => u.supervisingDepartment ?? []));
    expect(supervisor('school')).toEqual(new Set(['qinglong-culture']));
    expect(supervisor('internet_cafe')).toEqual(new Set(['qinglong-culture']));
    expect(supervisor('elderly_care')).toEqual(new Set(['qinglong-social']));
    expect(supervisor('construction_site')).toEqual(new Set(['qinglong-planning']));
    const levels = county.jurisdictions.map((j) => j.level);
    expect(levels.filter((l) => l === 'county')).toHaveLength(1);
    expect(levels.filter((l) => l === 'township')).toHaveLength(2);
    expect(levels.filter((l) => l === 'village')).toHaveLength(23);
    const villages = county.jurisdictions.filter((j) => j.level === 'village');
    expect(villages.filter((v) => v.code.startsWith(DEMO_TOWNSHIP_CODE.slice(0, 9))).map((v) => v.code)).toEqual(
      Array.from({ length: 20 }, (_, i) => `5002302132${String(i + 1).padStart(2, '0')}`),
    );
    for (const village of villages) {
      const grids = county.jurisdictions.filter((j) => j.parentCode === village.code);
      expect(grids.length).toBeGreaterThanOrEqual(2);
      expect(grids.length).toBeLessThanOrEqual(4);
      for (const grid of grids) expect(grid.gridManagers).toHaveLength(1);
    }
  });

  test('every item passes its schema', () => {
    expectAllValid(registerJurisdictionSchema, county.jurisdictions);
    expectAllValid(registerUnitSchema, county.units);
    expectAllValid(registerHouseholdSchema, county.households);
    expectAllValid(registerFireTeamSchema, county.fireTeams);
    expectAllValid(registerDepartmentSchema, county.departments);
    expectAllValid(registerCommitteeSchema, county.committees);
    expectAllValid(recordSessionSchema, county.sessions);
    expectAllValid(issueWarningSchema, county.warnings);
  });

  test('the township and a village have a committee; sessions hand decisions to generated departments', () => {
    expect(county.committees.map((c) => c.jurisdictionCode.slice(0, 9))).toEqual([
      DEMO_TOWNSHIP_CODE.slice(0, 9),
      DEMO_TOWNSHIP_CODE.slice(0, 9),
    ]);
    const departments = new Set(county.departments.map((d) => d.code));
    const named = [
      ...county.sessions.flatMap((s) => s.decisions.map((d) => d.departmentCode)),
      ...county.committees.flatMap((c) => c.members.flatMap((m) => (m.departmentCode ? [m.departmentCode] : []))),
    ];
    expect(named.length).toBeGreaterThan(0);
    for (const code of named) expect(departments.has(code)).toBe(true);
  });

  test('parents come before children, so the list can be registered in order', () => {
    const seen = new Set<string>();
    for (const j of county.jurisdictions) {
      if (j.parentCode !== undefined && j.level !== 'county') expect(seen.has(j.parentCode)).toBe(true);
      seen.add(j.code);
    }
  });

  test('codes and identifiers are unique', () => {
    expect(unique(county.jurisdictions.map((j) => j.code))).toBe(true);
    expect(unique(county.departments.map((d) => d.code))).toBe(true);
    const creditCodes = county.units.flatMap((u) => (u.creditCode ? [u.creditCode] : []));
    expect(creditCodes.length).toBeGreaterThan(500);
    expect(unique(creditCodes)).toBe(true);
    const ids = [
      ...county.units.flatMap((u) => (u.responsiblePerson.idNumber ? [u.responsiblePerson.idNumber] : [])),
      ...county.households.flatMap((h) => h.members.flatMap((m) => (m.idNumber ? [m.idNumber] : []))),
    ];
    expect(unique(ids)).toBe(true);
  });

  test('every unit points at a generated village, grid and department', () => {
    const codes = new Set(county.jurisdictions.map((j) => j.code));
    const departments = new Set(county.departments.map((d) => d.code));
    for (const unit of county.units) {
      expect(codes.has(unit.jurisdictionCode)).toBe(true);
      if (unit.gridCode) expect(codes.has(unit.gridCode)).toBe(true);
      if (unit.supervisingDepartment) expect(departments.has(unit.supervisingDepartment)).toBe(true);
    }
    for (const household of county.households) expect(codes.has(household.gridCode ?? '')).toBe(true);
  });

  test('all unit categories appear, common ones more than hazardous ones', () => {
    const counts = new Map<string, number>();
    for (const unit of county.units) counts.set(unit.category, (counts.get(unit.category) ?? 0) + 1);
    for (const category of UnitCategory.values) expect(counts.get(category)).toBeGreaterThan(0);
    expect(counts.get('small_venue')!).toBeGreaterThan(5 * counts.get('fireworks')!);
    expect(counts.get('restaurant')!).toBeGreaterThan(5 * counts.get('petrochemical')!);
  });

  test('even a tiny county shows every category', () => {
    const small = generateDemoCounty({ seed: 1, units: 29 });
    expect(new Set(small.units.map((u) => u.category)).size).toBe(29);
  });

  test('has high-rise buildings, self-built targets, ~10% key units and mixed insurance and commitments', () => {
    const flags = county.units.map((u) => deriveFlags(u));
    expect(flags.filter((f) => f.highRise).length).toBeGreaterThan(10);
    expect(flags.filter((f) => f.selfBuiltTarget).length).toBeGreaterThan(50);
    const keyShare = county.units.filter((u) => u.keyUnit).length / county.units.length;
    expect(keyShare).toBeGreaterThan(0.05);
    expect(keyShare).toBeLessThan(0.2);
    expect(county.units.some((u) => u.insurance) && county.units.some((u) => !u.insurance)).toBe(true);
    expect(new Set(county.units.map((u) => u.publicCommitment.status))).toEqual(new Set(['none', 'signed', 'posted']));
  });

  test('the neighbour township has units for scoping to exclude', () => {
    const inNeighbour = county.units.filter((u) => isInScope(u.jurisdictionCode, DEMO_NEIGHBOUR_TOWNSHIP_CODE));
    expect(inNeighbour.length).toBeGreaterThan(0);
    expect(inNeighbour.length).toBeLessThan(county.units.length / 5);
  });

  test('every record is marked as demo data', () => {
    const all = [
      ...county.jurisdictions,
      ...county.units,
      ...county.households,
      ...county.fireTeams,
      ...county.departments,
      ...county.committees,
      ...county.warnings,
    ];
    for (const item of all) expect(item.demo).toBe(true);
    for (const item of [...county.jurisdictions, ...county.units, ...county.fireTeams, ...county.departments]) {
      expect(item.name.endsWith(DEMO_MARK)).toBe(true);
    }
  });

  test('about 15 households per village, each with a smoke detector', () => {
    const villages = county.jurisdictions.filter((j) => j.level === 'village');
    const perVillage = villages.map((v) => county.households.filter((h) => h.jurisdictionCode === v.code).length);
    for (const n of perVillage) expect(n).toBeGreaterThanOrEqual(12);
    for (const n of perVillage) expect(n).toBeLessThanOrEqual(18);
    for (const h of county.households) expect(h.devices.some((d) => d.kind === 'smoke_detector')).toBe(true);
  });

  test('some villages are short of 20 team members and some are ready', () => {
    const villages = county.jurisdictions.filter((j) => j.level === 'village');
    const readiness = villages.map((v) =>
      fireForceReadiness(
        v.code,
        county.fireTeams.filter((t) => t.jurisdictionCode === v.code),
      ),
    );
    for (const r of readiness) expect(r.memberCount).toBeGreaterThanOrEqual(12);
    expect(readiness.some((r) => r.shortBy > 0)).toBe(true);
    expect(readiness.some((r) => r.ready)).toBe(true);
    expect(readiness.some((r) => !r.hasMicroStation)).toBe(true);
  });

  test('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoCounty({ seed: 7, units: 300 })).toEqual(generateDemoCounty({ seed: 7, units: 300 }));
    expect(generateDemoCounty({ seed: 8, units: 300 }).units).not.toEqual(generateDemoCounty({ seed: 7, units: 300 }).units);
  });
});
