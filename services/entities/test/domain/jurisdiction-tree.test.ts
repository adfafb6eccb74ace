import { buildTree, isInScope } from '../../src/domain/jurisdiction-tree.ts';

const nodes = [
  { code: '500230213202', name: '石龙村', level: 'village', parentCode: '500230213000' },
  { code: '500230213201-G02', name: '第二网格', level: 'grid', parentCode: '500230213201' },
  { code: '500230000000', name: '丰都县', level: 'county' },
  { code: '500230213201', name: '青龙村', level: 'village', parentCode: '500230213000' },
  { code: '500230214000', name: '邻乡', level: 'township', parentCode: '500230000000' },
  { code: '500230213000', name: '青龙乡', level: 'township', parentCode: '500230000000' },
  { code: '500230213201-G01', name: '第一网格', level: 'grid', parentCode: '500230213201' },
] as const;

const codes = (tree: ReturnType<typeof buildTree>): unknown =>
  tree.map((node) => (node.children.length > 0 ? { [node.code]: codes(node.children) } : node.code));

describe('buildTree', () => {
  test('nests nodes under their parents, sorted by code', () => {
    expect(codes(buildTree(nodes))).toEqual([
      {
        '500230000000': [
          {
            '500230213000': [{ '500230213201': ['500230213201-G01', '500230213201-G02'] }, '500230213202'],
          },
          '500230214000',
        ],
      },
    ]);
  });

  test('keeps only code, name, level and children', () => {
    const [county] = buildTree(nodes);
    expect(Object.keys(county!).sort()).toEqual(['children', 'code', 'level', 'name']);
    expect(county).toMatchObject({ name: '丰都县', level: 'county' });
  });

  test('nodes whose parent is missing become roots', () => {
    const villagesOnly = nodes.filter((n) => n.level === 'village' || n.level === 'grid');
    expect(buildTree(villagesOnly).map((n) => n.code)).toEqual(['500230213201', '500230213202']);
  });

  test('does not mutate its input and rejects duplicate codes', () => {
    const copy = structuredClone(nodes);
    buildTree(copy);
    expect(copy).toEqual(nodes);
    expect(() => buildTree([nodes[0], nodes[0]])).toThrow('jurisdiction 500230213202 appears twice');
  });

  test('an empty list is an empty forest', () => {
    expect(buildTree([])).toEqual([]);
  });
});

describe('isInScope', () => {
  test.each([
    ['500230213201', '500230213201', true],
    ['500230213201', '500230213000', true],
    ['500230213201', '500230000000', true],
    ['500230213201', '500000000000', true],
    ['500230213201', '500230214000', false],
    ['500230213000', '500230213201', false],
    ['500230213201-G01', '500230213201', true],
    ['500230213201-G01', '500230213000', true],
    ['500230213201-G01', '500230000000', true],
    ['500230213201-G01', '500230213202', false],
    ['500230213201-G01', '500230213201-G01', true],
    ['500230213201-G01', '500230213201-G02', false],
    ['500230213201', '500230213201-G01', false],
    ['garbage', '500230000000', false],
    ['500230213201', 'garbage', false],
  ])('%s in %s -> %s', (code, scope, expected) => {
    expect(isInScope(code, scope)).toBe(expected);
  });
});
