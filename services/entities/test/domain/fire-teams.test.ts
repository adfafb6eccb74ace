import { registerFireTeamSchema, updateFireTeamSchema } from '../../src/domain/fire-teams.ts';
import { issues, MOBILE, VILLAGE } from './fixtures.ts';

describe('registerFireTeamSchema', () => {
  test('accepts a team and checks its members and equipment', () => {
    const team = {
      jurisdictionCode: VILLAGE,
      kind: 'part_time',
      name: '青龙村兼职消防队',
      members: [{ name: '赵六', phone: MOBILE, role: '队长' }],
      equipment: [{ item: '手抬机动泵', quantity: 1 }],
    };
    expect(registerFireTeamSchema.parse(team)).toMatchObject({ demo: false });
    expect(issues(registerFireTeamSchema, { ...team, kind: 'volunteer', equipment: [{ item: '水带', quantity: 0 }] })).toEqual([
      expect.stringMatching(/^kind: "volunteer" is not a known value/),
      'equipment.0.quantity: must be at least 1',
    ]);
  });
});

describe('updateFireTeamSchema', () => {
  test('changes at least one of name, members, equipment or a kind field; kind and village stay', () => {
    expect(issues(updateFireTeamSchema, { equipment: [] })).toEqual([]);
    expect(issues(updateFireTeamSchema, { expectedVersion: 3 })).toEqual([
      ': must change at least one of name, members, equipment, stationType, townshipClass, speciality, capabilities, dutyRoster',
    ]);
    expect(issues(updateFireTeamSchema, { kind: 'full_time', name: '新队名' })).toEqual([': Unrecognized key: "kind"']);
  });
});
