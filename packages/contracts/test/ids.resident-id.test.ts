import { z } from 'zod';
import { checkResidentId, residentIdBirthDate, residentIdCheckChar, residentIdSchema, residentIdSex } from '../src/ids/index.ts';

const TODAY = new Date('2025-06-15T12:00:00+08:00');

function reasonOf(input: string, today: Date = TODAY): string | undefined {
  const result = checkResidentId(input, today);
  return result.ok ? undefined : result.reason;
}

describe('checkResidentId', () => {
  test.each([
    ['the GB 11643-1999 example', '11010519491231002X'],
    ['a Fengdu county ID', '500230198507151232'],
    ['a leap-day birth', '440305200002294564'],
    ['the earliest allowed birth date', '110108190001010019'],
    ['a Hong Kong resident permit', '810000198808080021'],
    ['a Taiwan resident permit', '830000199001010012'],
  ])('accepts %s', (_name, id) => {
    expect(checkResidentId(id, TODAY)).toEqual({ ok: true, value: id });
  });

  test('normalizes a lower-case x and surrounding spaces', () => {
    expect(checkResidentId(' 11010519491231002x ', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
  });

  test('rejects a wrong length', () => {
    expect(reasonOf('11010519491231002')).toBe('must be 18 characters, got 17');
    expect(reasonOf('11010519491231002X0')).toBe('must be 18 characters, got 19');
  });

  test('rejects non-digits in the body', () => {
    expect(reasonOf('1101A519491231002X')).toBe('character "A" at position 5 must be a digit');
    expect(reasonOf('110105194912X1002X')).toBe('character "X" at position 13 must be a digit');
  });

  test('rejects a check character that is neither digit nor X', () => {
    expect(reasonOf('11010519491231002Y')).toBe('check character "Y" must be a digit or X');
  });

  test('rejects a wrong check digit', () => {
    expect(reasonOf('110105194912310021')).toBe('check character is "1", expected "X"');
    expect(reasonOf('50023019850715123X')).toBe('check character is "X", expected "2"');
  });

  test('rejects dates that do not exist', () => {
    expect(reasonOf('110105199002300015')).toBe('birth date 19900230 is not a real date');
    expect(reasonOf('110105190002290010')).toBe('birth date 19000229 is not a real date');
    expect(reasonOf('110105199013010015')).toBe('birth date 19901301 is not a real date');
  });

  test('rejects a birth date after today, in Beijing time', () => {
    expect(reasonOf('110105202506160011')).toBe('birth date 20250616 is in the future');
    // 16:30 UTC on the 15th is already the 16th in Beijing.
    expect(
      checkResidentId(`11010520250616001${residentIdCheckChar('11010520250616001')}`, new Date('2025-06-15T16:30:00Z')).ok,
    ).toBe(true);
  });

  test('rejects a birth date before 1900', () => {
    expect(reasonOf('110105189912310011')).toBe('birth date 18991231 is before 1900-01-01');
  });

  test('rejects an unknown province', () => {
    expect(reasonOf('990105194912310021')).toBe('province code 99 is not valid');
    expect(reasonOf('840105194912310021')).toBe('province code 84 is not valid');
  });
});

describe('residentIdBirthDate and residentIdSex', () => {
  test('read the birth date and sex of a valid ID', () => {
    expect(residentIdBirthDate('11010519491231002X', TODAY)).toBe('1949-12-31');
    expect(residentIdSex('11010519491231002X', TODAY)).toBe('female');
    expect(residentIdBirthDate('500230198507151232', TODAY)).toBe('1985-07-15');
    expect(residentIdSex('500230198507151232', TODAY)).toBe('male');
  });

  test('return undefined for an invalid ID', () => {
    expect(residentIdBirthDate('110105194912310021', TODAY)).toBeUndefined();
    expect(residentIdSex('not an id', TODAY)).toBeUndefined();
  });

  test('default to the current date', () => {
    expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
  });
});

describe('residentIdSchema', () => {
  test('returns the normalized ID', () => {
    expect(residentIdSchema.parse('11010519491231002x')).toBe('11010519491231002X');
  });

  test('reports the reason under the field name', () => {
    const result = z.object({ ownerId: residentIdSchema }).safeParse({ ownerId: '110105199002300015' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['ownerId'], message: 'birth date 19900230 is not a real date' }),
    ]);
  });
});
