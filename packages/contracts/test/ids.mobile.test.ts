import { z } from 'zod';
import { checkMobile, mobileSchema } from '../src/ids/index.ts';

describe('checkMobile', () => {
  test.each([
    ['13812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['  13812345678\t', '13812345678'],
  ])('accepts %j as %s', (input, value) => {
    expect(checkMobile(input)).toEqual({ ok: true, value });
  });

  test.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['1381234567', 'must be 11 digits, got 10'],
    ['138123456789', 'must be 11 digits, got 12'],
    // 86 followed by only 10 digits is not a country code, so all 12 digits are counted.
    ['861381234567', 'must be 11 digits, got 12'],
    ['+86 138 1234 567', 'must be 11 digits, got 10'],
    ['1381234567a', 'must contain only digits, found "a"'],
    ['(138)12345678', 'must contain only digits, found "("'],
    ['+85291234567', 'only mainland China (+86) numbers are supported'],
    ['23812345678', 'must start with 1, got "2"'],
    ['12812345678', 'second digit must be 3-9, got "2"'],
    ['10812345678', 'second digit must be 3-9, got "0"'],
  ])('rejects %j: %s', (input, reason) => {
    expect(checkMobile(input)).toEqual({ ok: false, reason });
  });
});

describe('mobileSchema', () => {
  test('returns the normalized number', () => {
    expect(mobileSchema.parse('+86 138-1234-5678')).toBe('13812345678');
  });

  test('reports the reason under the field name', () => {
    const result = z.object({ contactMobile: mobileSchema }).safeParse({ contactMobile: '12812345678' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['contactMobile'], message: 'second digit must be 3-9, got "2"' }),
    ]);
  });
});
