import { indexEntry, indexPlan, type IndexedUnit } from '../../src/domain/unit-index.ts';

const unit = (over: Partial<IndexedUnit> = {}): IndexedUnit => ({
  _id: 'u_1',
  version: 3,
  status: 'active',
  name: '青龙 KTV',
  category: 'restaurant',
  scope: ['500230000000', '500230213000', '500230213201'],
  risk: { grade: 'significant', gradedAt: '2026-11-30T01:02:03.000Z' },
  keyUnit: true,
  highRise: false,
  selfBuiltTarget: false,
  ...over,
});

describe('indexEntry', () => {
  test('an active unit is in its scope and category sets under every code, and in its name pairs', () => {
    const e = indexEntry(unit());
    expect(e.members).toEqual(
      expect.arrayContaining([
        's:500230000000',
        's:500230213201',
        'c:500230213000:restaurant',
        'g:青龙',
        'g:龙 ',
        'g:kt',
        'g:tv',
      ]),
    );
    expect(e.members).toHaveLength(6 + 5);
    expect(e.line).toBe('significant\t1\t0\t0\t青龙 ktv');
    expect({ version: e.version, stamp: e.stamp }).toEqual({ version: 3, stamp: Date.parse('2026-11-30T01:02:03.000Z') });
  });

  test('a deregistered unit is in no set and has no line, but keeps its ordering stamp', () => {
    const e = indexEntry(unit({ status: 'deregistered', version: 4 }));
    expect(e.members).toEqual([]);
    expect(e.line).toBe('');
    expect(e.version).toBe(4);
  });

  test('pairs holding a control character are not indexed (they would break the membership list)', () => {
    const e = indexEntry(unit({ name: 'a\tb' }));
    expect(e.members.filter((m) => m.startsWith('g:'))).toEqual([]);
  });

  test('an unreadable grading time orders as the oldest write of its version', () => {
    expect(indexEntry(unit({ risk: { grade: 'low', gradedAt: 'not a date' } })).stamp).toBe(0);
  });
});

describe('indexPlan', () => {
  test('a category narrows the driving set; the name pairs are intersected with it', () => {
    expect(indexPlan('500230213000', { category: 'hotel', search: ' 液化气 ' })).toEqual({
      sets: ['c:500230213000:hotel', 'g:液化', 'g:化气'],
      wants: ['', '', '', ''],
      needle: '液化气',
    });
  });

  test('grade and flags become line tests; false is a wanted value, not "any"', () => {
    expect(indexPlan('500230000000', { riskGrade: 'major', keyUnit: false, highRise: true, selfBuiltTarget: null })).toEqual({
      sets: ['s:500230000000'],
      wants: ['major', '0', '1', ''],
      needle: '',
    });
  });

  test('a one-character search has no pair: the substring test alone decides', () => {
    expect(indexPlan('500230000000', { search: 'K' })).toEqual({
      sets: ['s:500230000000'],
      wants: ['', '', '', ''],
      needle: 'k',
    });
  });
});
