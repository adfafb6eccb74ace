import { maskFireTeam, maskHousehold, maskPerson, maskUnit } from '../../src/domain/masking.ts';
import { MOBILE, residentId } from './fixtures.ts';

const ID = residentId();
const person = { name: '张三', phone: MOBILE, idNumber: ID };

function frozen<T>(value: T): T {
  return structuredClone(value);
}

describe('maskPerson', () => {
  test('masks phone and ID number when the viewer may not see them', () => {
    expect(maskPerson(person, false)).toEqual({ name: '张三', phone: '138****5678', idNumber: `500230********${ID.slice(-4)}` });
  });

  test('returns an equal copy when the viewer may see them', () => {
    const result = maskPerson(person, true);
    expect(result).toEqual(person);
    expect(result).not.toBe(person);
  });

  test('leaves absent fields absent', () => {
    expect(maskPerson({ name: '李四', phone: MOBILE }, false)).toEqual({ name: '李四', phone: '138****5678' });
  });
});

describe('masking containers', () => {
  test('maskUnit masks the responsible person and the manager without mutating the input', () => {
    const unit = { id: 'u1', responsiblePerson: person, manager: { name: '王五', phone: '13987654321' } };
    const before = frozen(unit);
    const masked = maskUnit(unit, false);
    expect(masked.responsiblePerson.phone).toBe('138****5678');
    expect(masked.manager.phone).toBe('139****4321');
    expect(masked.id).toBe('u1');
    expect(unit).toEqual(before);
  });

  test('maskUnit keeps a missing or null manager as it was', () => {
    expect(maskUnit({ responsiblePerson: person }, false)).not.toHaveProperty('manager');
    expect(maskUnit({ responsiblePerson: person, manager: null }, false).manager).toBeNull();
  });

  test('maskHousehold masks every member and the helper', () => {
    const household = {
      members: [person, { name: '小明', vulnerabilities: ['left_behind_child'] }],
      helper: { name: '刘', phone: MOBILE },
    };
    const before = frozen(household);
    const masked = maskHousehold(household, false);
    expect(masked.members[0]).toMatchObject({ phone: '138****5678', idNumber: `500230********${ID.slice(-4)}` });
    expect(masked.members[1]).toEqual({ name: '小明', vulnerabilities: ['left_behind_child'] });
    expect(masked.helper.phone).toBe('138****5678');
    expect(household).toEqual(before);
  });

  test('maskFireTeam masks every member', () => {
    const team = { kind: 'part_time', members: [{ name: '赵六', phone: MOBILE, role: '队长' }] };
    const before = frozen(team);
    expect(maskFireTeam(team, false).members).toEqual([{ name: '赵六', phone: '138****5678', role: '队长' }]);
    expect(maskFireTeam(team, true).members).toEqual(team.members);
    expect(team).toEqual(before);
  });
});
