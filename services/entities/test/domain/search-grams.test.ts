import { characterPairs, nameGrams, queryGrams } from '../../src/domain/search-grams.ts';

test('a name keeps its distinct lower-cased character pairs', () => {
  expect(nameGrams('青龙场张记超市')).toEqual(['青龙', '龙场', '场张', '张记', '记超', '超市']);
  expect(characterPairs('AbAb')).toEqual(['ab', 'ba']);
});

test('every pair of a query is a pair of any name that contains it, so the pairs only narrow', () => {
  const name = '青龙场镇张记超市（演示）';
  for (const term of ['超市', '张记超', '（演示）', '青龙场镇张记超市']) {
    expect(name.includes(term)).toBe(true);
    for (const pair of queryGrams(term)) expect(nameGrams(name)).toContain(pair);
  }
});

test('a one-character query has no pair to look up', () => {
  expect(queryGrams('店')).toEqual([]);
});
