import { evidenceUntil, unitCoverage, type TrainingEvidence } from '../../src/domain/compliance.ts';
import type { Person } from '../../src/domain/people.ts';
import { DEFAULT_REQUIREMENTS, premisesOf, ruleFor, seededRequirement } from '../../src/domain/requirements.ts';

const at = new Date('2026-03-01T00:00:00.000Z');
const rules = DEFAULT_REQUIREMENTS.map((r) => seededRequirement(r, at));

const person = (id: string, role: Person['assignments'][number]['role'], unitId: string): Person => ({
  _id: id,
  version: 1,
  name: '张伟',
  phone: '13900001111',
  assignments: [{ role, unitId, scope: [] }],
  scope: [],
  unitIds: [unitId],
  villageCodes: [],
  createdAt: at.toISOString(),
  createdBy: 't',
  demo: false,
});

const ev = (personId: string, courseId: string, issuedAt: string, validUntil: string | null = null): TrainingEvidence => ({
  personId,
  courseId,
  issuedAt,
  validUntil,
});

test('the most specific rule wins: a commercial complex retrains its manager every 6 months', () => {
  expect(premisesOf({ keyUnit: true, category: 'large_commercial_complex' })).toEqual([
    'large_commercial_complex',
    'public_gathering',
    'key_unit',
    'any',
  ]);
  expect(
    ruleFor(rules, 'safety_manager', premisesOf({ keyUnit: true, category: 'large_commercial_complex' }))?.intervalMonths,
  ).toBe(6);
  expect(ruleFor(rules, 'safety_manager', premisesOf({ keyUnit: false, category: 'factory' }))?.intervalMonths).toBe(12);
});

test('evidence counts until the earlier of its own end and the rule’s interval, and not before it is issued', () => {
  const rule = ruleFor(rules, 'responsible_person', ['any'])!;
  expect(evidenceUntil(rule, ev('p', 'course_responsible_person', '2025-06-01T00:00:00.000Z'), at)).toBe(
    '2026-06-01T00:00:00.000Z',
  );
  expect(
    evidenceUntil(rule, ev('p', 'course_responsible_person', '2025-06-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'), at),
  ).toBe('2026-04-01T00:00:00.000Z');
  expect(evidenceUntil(rule, ev('p', 'course_responsible_person', '2025-02-01T00:00:00.000Z'), at)).toBeUndefined();
  expect(evidenceUntil(rule, ev('p', 'course_safety_manager', '2026-01-01T00:00:00.000Z'), at)).toBeUndefined();
  expect(evidenceUntil(rule, ev('p', 'course_responsible_person', '2026-04-01T00:00:00.000Z'), at)).toBeUndefined();
  const operator = ruleFor(rules, 'control_room_operator', ['any'])!;
  expect(evidenceUntil(operator, ev('p', 'course_control_room_operator', '2020-01-01T00:00:00.000Z'), at)).toBeNull();
});

test('a key unit counts its vacant responsible person and manager as missing; a non-key unit only the people it has', () => {
  const key = unitCoverage(
    { _id: 'u1', keyUnit: true, category: 'factory' },
    [person('p1', 'responsible_person', 'u1')],
    rules,
    [],
    at,
  );
  expect(key).toMatchObject({ required: 2, covered: 0, coverage: 0, vacantRoles: ['safety_manager'] });
  const trained = unitCoverage(
    { _id: 'u1', keyUnit: true, category: 'factory' },
    [person('p1', 'responsible_person', 'u1'), person('p2', 'safety_manager', 'u1')],
    rules,
    [ev('p1', 'course_responsible_person', '2026-01-01T00:00:00.000Z')],
    at,
  );
  expect(trained).toMatchObject({ required: 2, covered: 1, coverage: 0.5, vacantRoles: [] });
  expect(unitCoverage({ _id: 'u2', keyUnit: false, category: 'factory' }, [], rules, [], at)).toMatchObject({
    required: 0,
    coverage: null,
  });
});
