import { registerHouseholdSchema, updateHouseholdSchema } from '../../src/domain/households.ts';
import { GRID, issues, MOBILE, residentId, VILLAGE } from './fixtures.ts';

describe('registerHouseholdSchema', () => {
  const household = {
    jurisdictionCode: VILLAGE,
    gridCode: GRID,
    address: '青龙村3组15号',
    members: [{ name: '陈大爷', idNumber: residentId('50023019450302121'), vulnerabilities: ['empty_nest_elderly'] }],
    devices: [{ kind: 'smoke_detector', count: 2, installedOn: '2023-04-01' }],
    helper: { name: '刘网格', phone: MOBILE },
  };

  test('accepts a household', () => {
    expect(registerHouseholdSchema.parse(household)).toMatchObject({ demo: false });
  });

  test('each member must have a vulnerability and there must be a member', () => {
    expect(issues(registerHouseholdSchema, { ...household, members: [] })).toEqual(['members: must list at least one member']);
    expect(issues(registerHouseholdSchema, { ...household, members: [{ name: '陈', vulnerabilities: [] }] })).toEqual([
      'members.0.vulnerabilities: must list at least one vulnerability',
    ]);
  });

  test('checks devices and the helper', () => {
    expect(
      issues(registerHouseholdSchema, {
        ...household,
        devices: [{ kind: 'fire_blanket', count: 0, installedOn: '2023-04-31' }],
        helper: { name: '刘', phone: MOBILE, idNumber: residentId() },
      }),
    ).toEqual([
      expect.stringMatching(/^devices.0.kind: "fire_blanket" is not a known value/),
      'devices.0.count: must be at least 1',
      'devices.0.installedOn: 2023-04-31 is not a real calendar date',
      'helper: Unrecognized key: "idNumber"',
    ]);
  });
});

describe('updateHouseholdSchema', () => {
  test('changes at least one thing, with the same rules as registration; the village is not changed here', () => {
    expect(
      issues(updateHouseholdSchema, { devices: [{ kind: 'simple_sprinkler', count: 1, installedOn: '2023-05-01' }] }),
    ).toEqual([]);
    expect(issues(updateHouseholdSchema, { expectedVersion: 2 })).toEqual([
      ': must change at least one of address, members, devices, helper',
    ]);
    expect(issues(updateHouseholdSchema, { members: [] })).toEqual(['members: must list at least one member']);
    expect(issues(updateHouseholdSchema, { jurisdictionCode: VILLAGE })).toEqual([
      ': Unrecognized key: "jurisdictionCode"',
      ': must change at least one of address, members, devices, helper',
    ]);
  });
});
