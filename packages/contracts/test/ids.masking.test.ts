import { maskMobile, maskName, maskResidentId } from '../src/ids/index.ts';

describe('maskResidentId', () => {
  test('keeps the first 6 and the last 4 characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
    expect(maskResidentId('110105491231002')).toBe('110105*****1002');
  });

  test('masks short or empty input entirely', () => {
    expect(maskResidentId('11010519491')).toBe('***********');
    expect(maskResidentId('12')).toBe('**');
    expect(maskResidentId('')).toBe('');
  });

  test('tolerates null, undefined and surrounding spaces', () => {
    expect(maskResidentId(null)).toBe('');
    expect(maskResidentId(undefined)).toBe('');
    expect(maskResidentId(' 11010519491231002X ')).toBe('110105********002X');
  });
});

describe('maskMobile', () => {
  test('keeps the first 3 and the last 4 digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });

  test('normalizes formatted numbers first', () => {
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
  });

  test('masks short input entirely and never throws', () => {
    expect(maskMobile('1381234')).toBe('*******');
    expect(maskMobile('')).toBe('');
    expect(maskMobile(null)).toBe('');
    expect(maskMobile(undefined)).toBe('');
  });

  test('still hides the middle of an invalid but long value', () => {
    expect(maskMobile('010-12345678')).toBe('010*****5678');
  });
});

describe('maskName', () => {
  test('keeps only the first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });

  test('masks a one-character name entirely', () => {
    expect(maskName('张')).toBe('*');
  });

  test('counts characters outside the BMP as one', () => {
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  test('never throws', () => {
    expect(maskName('')).toBe('');
    expect(maskName(null)).toBe('');
    expect(maskName(undefined)).toBe('');
  });
});
