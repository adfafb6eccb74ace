import { checkIsoDate, personSchema } from '../../src/domain/fields.ts';
import { issues, MOBILE } from './fixtures.ts';

describe('dates', () => {
  test.each(['2024-02-29', '2023-12-31', '2000-02-29'])('%s is a real date', (value) => {
    expect(checkIsoDate(value)).toBeUndefined();
  });

  test.each([
    ['2023-02-29', '2023-02-29 is not a real calendar date'],
    ['1900-02-29', '1900-02-29 is not a real calendar date'],
    ['2023-13-01', '2023-13-01 is not a real calendar date'],
    ['2023-1-01', '"2023-1-01" is not a date written YYYY-MM-DD'],
    ['2023-01-01T00:00:00Z', '"2023-01-01T00:00:00Z" is not a date written YYYY-MM-DD'],
  ])('%s is rejected', (value, reason) => {
    expect(checkIsoDate(value)).toBe(reason);
  });
});

describe('personSchema', () => {
  test('accepts a person and normalizes the phone', () => {
    expect(personSchema.parse({ name: ' 李四 ', phone: '+86 138-1234-5678' })).toEqual({ name: '李四', phone: MOBILE });
  });

  test('names each bad field', () => {
    expect(issues(personSchema, { name: '', phone: '12345678901', idNumber: '500230198001011230' })).toEqual([
      'name: must not be empty',
      'phone: second digit must be 3-9, got "2"',
      expect.stringMatching(/^idNumber: check character is "0", expected /),
    ]);
  });

  test('rejects unknown fields and missing ones', () => {
    expect(issues(personSchema, { phone: MOBILE, email: 'a@b.c' })).toEqual(['name: is required', ': Unrecognized key: "email"']);
  });

  test('says what type it expected', () => {
    expect(issues(personSchema, 'zhang')).toEqual([': must be an object, got string']);
    expect(issues(personSchema, { name: 3, phone: MOBILE })).toEqual(['name: must be a string, got number']);
  });
});
