import { compareAudit } from '../../src/domain/audit.ts';
import type { AgencyFindingRef, InspectorFinding } from '../../src/domain/audit.ts';

function agency(...list: Array<[string, 'general' | 'major']>): AgencyFindingRef[] {
  return list.map(([category, severity], i) => ({ id: `f${i}`, category, severity }));
}

function inspector(...list: Array<[string, 'general' | 'major']>): InspectorFinding[] {
  return list.map(([category, severity]) => ({ category, severity }));
}

describe('compareAudit', () => {
  test('nothing found by either side is a match', () => {
    expect(compareAudit([], [])).toEqual({
      outcome: 'match',
      missedMajor: [],
      overstated: [],
      missedGeneral: [],
      inspectorGeneralCategories: 0,
      explanation: '抽查结论：相符。检查人员未发现重大问题。',
    });
  });

  test('a major problem the agency did not report at all is a mismatch', () => {
    const result = compareAudit(agency(['alarm', 'general']), inspector(['evacuation', 'major'], ['alarm', 'general']));
    expect(result.outcome).toBe('mismatch');
    expect(result.missedMajor).toEqual(['evacuation']);
    expect(result.explanation).toContain('抽查结论：不符。');
    expect(result.explanation).toContain('机构未报告或仅报为一般问题的类别：安全疏散。');
  });

  test('a major problem the agency reported only as general is a mismatch', () => {
    const result = compareAudit(agency(['fire_lane', 'general']), inspector(['fire_lane', 'major']));
    expect(result).toMatchObject({ outcome: 'mismatch', missedMajor: ['fire_lane'] });
  });

  test('major problems reported as major match, even worded differently or counted differently', () => {
    const result = compareAudit(
      agency(['evacuation', 'major'], ['evacuation', 'general']),
      inspector(['evacuation', 'major'], ['evacuation', 'major']),
    );
    expect(result).toMatchObject({ outcome: 'match', missedMajor: [] });
    expect(result.explanation).toContain('检查人员发现的重大问题机构均已按重大问题报告。');
  });

  test('missing more than half of the general categories is a mismatch', () => {
    // Inspector: 3 general categories; agency reports 1 of them -> 2 of 3 missing.
    const result = compareAudit(
      agency(['alarm', 'general']),
      inspector(['alarm', 'general'], ['extinguishers', 'general'], ['electrical', 'general'], ['electrical', 'general']),
    );
    expect(result).toMatchObject({
      outcome: 'mismatch',
      missedMajor: [],
      missedGeneral: ['electrical', 'extinguishers'],
      inspectorGeneralCategories: 3,
    });
    expect(result.explanation).toBe(
      '抽查结论：不符。检查人员未发现重大问题。检查人员发现的一般问题涉及3个类别，机构未报告其中2个（电气防火、灭火器材），超过半数，判为不符。',
    );
  });

  test('missing exactly half is still a match', () => {
    const result = compareAudit(agency(['alarm', 'general']), inspector(['alarm', 'general'], ['extinguishers', 'general']));
    expect(result).toMatchObject({ outcome: 'match', missedGeneral: ['extinguishers'], inspectorGeneralCategories: 2 });
    expect(result.explanation).toContain('未超过半数');
  });

  test('a general category reported by the agency as major counts as reported', () => {
    const result = compareAudit(agency(['sprinkler', 'major']), inspector(['sprinkler', 'general']));
    expect(result).toMatchObject({ outcome: 'match', missedGeneral: [], overstated: ['sprinkler'] });
  });

  test('overstating is listed but never a mismatch', () => {
    const result = compareAudit(agency(['smoke_control', 'major'], ['management', 'major']), []);
    expect(result.outcome).toBe('match');
    expect(result.overstated).toEqual(['smoke_control', 'management']);
    expect(result.explanation).toContain(
      '机构报为重大而检查人员未发现重大问题的类别：防烟排烟、消防安全管理（仅提示，不影响结论）。',
    );
  });

  test('categories come out once, in catalogue order, unknown ones last by their raw value', () => {
    const result = compareAudit(
      [],
      inspector(['other', 'major'], ['legacy_x', 'major'], ['evacuation', 'major'], ['evacuation', 'major']),
    );
    expect(result.missedMajor).toEqual(['evacuation', 'other', 'legacy_x']);
    expect(result.explanation).toContain('安全疏散、其他、legacy_x');
  });
});
