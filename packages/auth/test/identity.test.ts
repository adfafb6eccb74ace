import { canSeePersonalData, inScope, isRole, isUserRole, Role, type Identity } from '../src/index.ts';

const who = (role: Identity['role'], jurisdiction: string): Identity => ({ subject: 's', role, jurisdiction });

describe('inScope', () => {
  const county = who('county_admin', '500230000000');
  const township = who('township_officer', '500230213000');
  const village = who('village_grid_manager', '500230213201');

  test.each([
    // code, county, township, village
    ['500230000000', true, false, false],
    ['500230213000', true, true, false],
    ['500230213201', true, true, true],
    ['500230213201-G01', true, true, true],
    ['500230213202', true, true, false],
    ['500230213202-G03', true, true, false],
    // the neighbouring township in the same county
    ['500230214000', true, false, false],
    ['500230214101', true, false, false],
    // another county
    ['500231213201', false, false, false],
  ])('%s: county %p, township %p, village %p', (code, inCounty, inTownship, inVillage) => {
    expect(inScope(county, code)).toBe(inCounty);
    expect(inScope(township, code)).toBe(inTownship);
    expect(inScope(village, code)).toBe(inVillage);
  });

  test.each([['5002302132'], ['500230213201G01'], ['500230213201-'], ['500230213201-G/1'], ['abc'], ['']])(
    'malformed code %p is never in scope',
    (code) => {
      expect(inScope(county, code)).toBe(false);
    },
  );
});

test.each([
  ['county_admin', true, true],
  ['township_officer', true, true],
  ['village_grid_manager', true, true],
  ['department_officer', false, true],
  ['fire_brigade', false, true],
  ['agency', false, false],
  ['device_gateway', false, false],
  ['learning_platform', false, false],
] as const)('%s: personal data %p, user role %p', (role, personal, user) => {
  expect(canSeePersonalData(role)).toBe(personal);
  expect(isUserRole(role)).toBe(user);
});

test('every role has zh and en labels', () => {
  expect(Role.values).toHaveLength(8);
  expect(Role.label('village_grid_manager')).toBe('村（社区）网格员');
  expect(Role.label('agency', 'en')).toBe('Third-party assessment agency');
  for (const role of Role.values) expect(Role.label(role, 'en')).not.toBe(role);
});

test('isRole narrows untrusted values', () => {
  expect(isRole('fire_brigade')).toBe(true);
  expect(isRole('mayor')).toBe(false);
  expect(isRole(undefined)).toBe(false);
});
