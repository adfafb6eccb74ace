import { z } from 'zod';
import {
  checkDivisionCode,
  divisionCodeSchema,
  divisionLevel,
  divisionParent,
  isProvinceCode,
  isWithinDivision,
  PROVINCE_CODES,
} from '../src/ids/index.ts';

const CHONGQING = '500000000000';
const COUNTIES_OF_CHONGQING = '500200000000';
const FENGDU = '500230000000'; // 丰都县
const TOWNSHIP = '500230105000';
const VILLAGE = '500230105201';
const DONGGUAN = '441900000000'; // a prefecture-level city with townships but no counties
const DONGGUAN_TOWN = '441900003000';

describe('checkDivisionCode', () => {
  test.each([CHONGQING, FENGDU, TOWNSHIP, VILLAGE, DONGGUAN_TOWN, '110101001001', '820000000000'])('accepts %s', (code) => {
    expect(checkDivisionCode(code)).toEqual({ ok: true, value: code });
  });

  test('trims', () => {
    expect(checkDivisionCode(` ${FENGDU}\n`)).toEqual({ ok: true, value: FENGDU });
  });

  test('rejects a wrong length', () => {
    expect(checkDivisionCode('500230')).toEqual({ ok: false, reason: 'must be 12 digits, got 6' });
  });

  test('rejects non-digits', () => {
    expect(checkDivisionCode('5002300a0000')).toEqual({
      ok: false,
      reason: 'must contain only digits, found "a" at position 8',
    });
  });

  test.each(['10', '16', '24', '38', '47', '55', '60', '66', '72', '83', '00'])('rejects province %s', (province) => {
    expect(checkDivisionCode(`${province}0000000000`)).toEqual({
      ok: false,
      reason: `province code ${province} is not valid`,
    });
  });
});

describe('province codes', () => {
  test('are the 34 provincial-level divisions', () => {
    expect(PROVINCE_CODES).toHaveLength(34);
    expect(['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'].every(isProvinceCode)).toBe(
      true,
    );
  });
});

describe('divisionLevel', () => {
  test.each([
    [CHONGQING, 'province'],
    [COUNTIES_OF_CHONGQING, 'city'],
    [FENGDU, 'county'],
    [TOWNSHIP, 'township'],
    [VILLAGE, 'village'],
    [DONGGUAN, 'city'],
    [DONGGUAN_TOWN, 'township'],
  ])('%s is a %s', (code, level) => {
    expect(divisionLevel(code)).toBe(level);
  });

  test('is undefined for an invalid code', () => {
    expect(divisionLevel('990000000000')).toBeUndefined();
  });
});

describe('divisionParent', () => {
  test('walks up from a village to the province', () => {
    expect(divisionParent(VILLAGE)).toBe(TOWNSHIP);
    expect(divisionParent(TOWNSHIP)).toBe(FENGDU);
    expect(divisionParent(FENGDU)).toBe(COUNTIES_OF_CHONGQING);
    expect(divisionParent(COUNTIES_OF_CHONGQING)).toBe(CHONGQING);
    expect(divisionParent(CHONGQING)).toBeUndefined();
  });

  test('skips a missing county level', () => {
    expect(divisionParent(DONGGUAN_TOWN)).toBe(DONGGUAN);
  });

  test('is undefined for an invalid code', () => {
    expect(divisionParent('50023')).toBeUndefined();
  });
});

describe('isWithinDivision', () => {
  test('includes the division itself and its subtree', () => {
    expect(isWithinDivision(FENGDU, FENGDU)).toBe(true);
    expect(isWithinDivision(TOWNSHIP, FENGDU)).toBe(true);
    expect(isWithinDivision(VILLAGE, FENGDU)).toBe(true);
    expect(isWithinDivision(VILLAGE, TOWNSHIP)).toBe(true);
    expect(isWithinDivision(VILLAGE, CHONGQING)).toBe(true);
  });

  test('excludes ancestors, siblings and other provinces', () => {
    expect(isWithinDivision(FENGDU, TOWNSHIP)).toBe(false);
    expect(isWithinDivision('500231000000', FENGDU)).toBe(false);
    expect(isWithinDivision('500230106001', TOWNSHIP)).toBe(false);
    expect(isWithinDivision('510230105201', CHONGQING)).toBe(false);
  });

  test('is false when either code is invalid', () => {
    expect(isWithinDivision('50023010520', FENGDU)).toBe(false);
    expect(isWithinDivision(VILLAGE, '5002')).toBe(false);
  });
});

describe('divisionCodeSchema', () => {
  test('reports the reason under the field name', () => {
    const result = z.object({ division: divisionCodeSchema }).safeParse({ division: '990000000000' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['division'], message: 'province code 99 is not valid' }),
    ]);
    expect(divisionCodeSchema.parse(` ${FENGDU} `)).toBe(FENGDU);
  });
});
