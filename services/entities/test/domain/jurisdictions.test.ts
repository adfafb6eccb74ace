import { registerJurisdictionSchema } from '../../src/domain/jurisdictions.ts';
import { GRID, issues, MOBILE, VILLAGE } from './fixtures.ts';

describe('registerJurisdictionSchema', () => {
  test.each([
    { code: '500230000000', name: '丰都县', level: 'county' },
    { code: '500230000000', name: '丰都县', level: 'county', parentCode: '500200000000' },
    { code: '500230213000', name: '青龙乡', level: 'township', parentCode: '500230000000' },
    { code: VILLAGE, name: '青龙村', level: 'village', parentCode: '500230213000' },
    { code: GRID, name: '第一网格', level: 'grid', parentCode: VILLAGE, gridManagers: [{ name: '刘网格', phone: MOBILE }] },
  ])('accepts $level $code', (input) => {
    expect(issues(registerJurisdictionSchema, input)).toEqual([]);
  });

  test('the level must match the code', () => {
    expect(
      issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'township', parentCode: '500230213000' }),
    ).toEqual(['level: is "township" but 500230213201 is a village code']);
    expect(issues(registerJurisdictionSchema, { code: GRID, name: '网格', level: 'village', parentCode: VILLAGE })).toEqual([
      'level: is "village" but 500230213201-G01 is a grid code',
    ]);
  });

  test('provinces and cities are not jurisdictions', () => {
    expect(issues(registerJurisdictionSchema, { code: '500200000000', name: '重庆市辖区', level: 'county' })).toEqual([
      'code: 500200000000 is a city code; jurisdictions are counties, townships, villages and grids',
    ]);
  });

  test('a grid must hang off a village', () => {
    expect(
      issues(registerJurisdictionSchema, { code: '500230213000-G01', name: '网格', level: 'grid', parentCode: '500230213000' }),
    ).toEqual(['code: grid code 500230213000-G01 must start with a village or community code']);
  });

  test('parentCode is required below the county and must be the real parent', () => {
    expect(issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'village' })).toEqual([
      'parentCode: is required for a village; expected 500230213000',
    ]);
    expect(
      issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'village', parentCode: '500230214000' }),
    ).toEqual(['parentCode: is 500230214000 but 500230213201 lies directly under 500230213000']);
    expect(issues(registerJurisdictionSchema, { code: GRID, name: '网格', level: 'grid', parentCode: '500230213202' })).toEqual([
      'parentCode: is 500230213202 but 500230213201-G01 lies directly under 500230213201',
    ]);
  });

  test('only grids have grid managers', () => {
    expect(
      issues(registerJurisdictionSchema, {
        code: VILLAGE,
        name: '青龙村',
        level: 'village',
        parentCode: '500230213000',
        gridManagers: [{ name: '刘', phone: MOBILE }],
      }),
    ).toEqual(['gridManagers: only grids have grid managers (网格员), and 500230213201 is a village']);
  });

  test('rejects codes that are neither', () => {
    expect(issues(registerJurisdictionSchema, { code: 'QL-01', name: 'x', level: 'grid' })).toEqual([
      'code: must be a 12-digit division code or a grid code such as 500230213201-G01: must contain only digits, found "Q" at position 1',
    ]);
  });
});
