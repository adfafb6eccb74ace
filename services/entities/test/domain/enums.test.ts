import {
  BuildingUse,
  CommitmentStatus,
  FireTeamKind,
  ListItemStatus,
  PreventionDevice,
  RiskGrade,
  Vulnerability,
} from '../../src/domain/enums.ts';

describe.each([
  ['BuildingUse', BuildingUse, 4],
  ['CommitmentStatus', CommitmentStatus, 3],
  ['Vulnerability', Vulnerability, 3],
  ['PreventionDevice', PreventionDevice, 4],
  ['FireTeamKind', FireTeamKind, 4],
  ['ListItemStatus', ListItemStatus, 4],
  ['RiskGrade', RiskGrade, 4],
] as const)('%s', (_name, enumeration, size) => {
  test('has snake_case values, each with zh and en labels', () => {
    expect(enumeration.values).toHaveLength(size);
    for (const value of enumeration.values) {
      expect(value).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(enumeration.label(value as never).trim()).not.toBe('');
      expect(enumeration.label(value as never, 'en').trim()).not.toBe('');
    }
  });

  test('rejects an unknown value with a message naming it', () => {
    expect(enumeration.schema.safeParse('castle').error?.issues[0]?.message).toMatch(/^"castle" is not a known value/);
  });
});

test('labels keep the Chinese domain terms', () => {
  expect(Vulnerability.label('empty_nest_elderly')).toBe('空巢老人');
  expect(FireTeamKind.label('micro_station')).toBe('微型消防站');
  expect(CommitmentStatus.label('posted')).toBe('已公示');
  expect(RiskGrade.values).toEqual(['low', 'general', 'significant', 'major']);
});
