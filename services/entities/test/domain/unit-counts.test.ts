import { countCell, countingCode, encodeCell, summarise, totalOf, type CountedUnit } from '../../src/domain/unit-counts.ts';

const unit = (over: Partial<CountedUnit> = {}): CountedUnit => ({
  status: 'active',
  category: 'hotel',
  scope: ['500230000000', '500230213000', '500230213201'],
  villageCode: '500230213201',
  risk: { grade: 'major' },
  keyUnit: true,
  highRise: false,
  selfBuiltTarget: true,
  ...over,
});

test('an active unit counts in one cell under every code of its scope; a deregistered one nowhere', () => {
  expect(countCell(unit())).toEqual({ scope: unit().scope, cell: '500230213201|major|1|0|1', listCell: 'hotel|major|1|0|1' });
  expect(countCell(unit({ status: 'deregistered' }))).toBeNull();
  expect(encodeCell(null)).toBe('');
  expect(encodeCell(countCell(unit()))).toBe(
    '500230000000,500230213000,500230213201\t500230213201|major|1|0|1\thotel|major|1|0|1',
  );
});

test('summaries add the cells of each village and skip empty or malformed ones', () => {
  const rows = summarise({
    '500230213202|low|0|0|0': '3',
    '500230213201|major|1|0|1': '2',
    '500230213201|general|0|1|0': '5',
    '500230213201|low|0|0|0': '0',
    garbage: '4',
  });
  expect(rows).toEqual([
    {
      villageCode: '500230213201',
      units: 7,
      keyUnits: 2,
      highRise: 5,
      selfBuiltTargets: 2,
      byGrade: { low: 0, general: 5, significant: 0, major: 2 },
    },
    {
      villageCode: '500230213202',
      units: 3,
      keyUnits: 0,
      highRise: 0,
      selfBuiltTargets: 0,
      byGrade: { low: 3, general: 0, significant: 0, major: 0 },
    },
  ]);
});

test('the counts read are those of the narrower code when the two are nested, none when they are apart', () => {
  const within = (code: string, ancestor: string) => code.startsWith(ancestor.replace(/0+$/, ''));
  expect(countingCode('500230213000', null, within)).toBe('500230213000');
  expect(countingCode('500230213000', '500230213201', within)).toBe('500230213201');
  expect(countingCode('500230213000', '500230000000', within)).toBe('500230213000');
  expect(countingCode('500230213000', '500230214000', within)).toBeNull();
});

test('a list total sums the cells its filter selects', () => {
  const cells = { 'hotel|major|1|0|1': '2', 'hotel|low|0|0|0': '5', 'school|major|1|1|0': '3', 'school|low|0|0|0': '0' };
  expect(totalOf(cells, {})).toBe(10);
  expect(totalOf(cells, { category: 'hotel' })).toBe(7);
  expect(totalOf(cells, { riskGrade: 'major' })).toBe(5);
  expect(totalOf(cells, { keyUnit: true, highRise: false })).toBe(2);
  expect(totalOf(cells, { category: 'school', selfBuiltTarget: true })).toBe(0);
});
