import { z } from 'zod';
import { checkCreditCode, creditCodeCheckChar, creditCodeSchema, organizationCodeCheckDigit } from '../src/ids/index.ts';

// Published codes; each also passes the GB 11714 check inside it, which a made-up code only
// does by chance about once in 341 tries.
const REAL_CODES: ReadonlyArray<readonly [string, string]> = [
  ['腾讯科技（深圳）有限公司', '9144030071526726XG'],
  ['深圳市腾讯计算机系统有限公司', '91440300708461136T'],
  ['华为技术有限公司', '914403001922038216'],
  ['阿里巴巴（中国）有限公司', '91330100716105852F'],
  ['小米科技有限责任公司', '91110108551385082Q'],
  ['北京百度网讯科技有限公司', '91110000802100433B'],
  ['比亚迪股份有限公司', '91440300192317458F'],
  // Public institution registered at national level: division 100000.
  ['浙江大学', '12100000470095016Q'],
  ['复旦大学', '12100000425006117P'],
  // Sole proprietorship with letters in the organization code, exercising GB 11714 letter values.
  ['个体工商户 (Hefei)', '92340111MAD2LARQ9N'],
];

function reasonOf(input: string): string | undefined {
  const result = checkCreditCode(input);
  return result.ok ? undefined : result.reason;
}

describe('checkCreditCode', () => {
  test.each(REAL_CODES)('accepts the real code of %s', (_name, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, value: code });
  });

  test('upper-cases and trims', () => {
    expect(checkCreditCode('  9144030071526726xg ')).toEqual({ ok: true, value: '9144030071526726XG' });
  });

  test('rejects a wrong length', () => {
    expect(reasonOf('9144030071526726X')).toBe('must be 18 characters, got 17');
    expect(reasonOf('')).toBe('must be 18 characters, got 0');
  });

  test.each(['I', 'O', 'S', 'V', 'Z', '-'])('rejects the forbidden character %s', (char) => {
    expect(reasonOf(`9144030071526${char}26XG`)).toBe(`character "${char}" at position 14 is not allowed`);
  });

  test('rejects a wrong check character', () => {
    expect(reasonOf('9144030071526726X3')).toBe('check character is "3", expected "G"');
    expect(reasonOf('914403001922038210')).toBe('check character is "0", expected "6"');
  });

  test('rejects a bad organization code check digit even when the final check character fits', () => {
    expect(creditCodeCheckChar('91440300715267265')).toBe('6');
    expect(reasonOf('914403007152672656')).toBe('organization code check digit is "5", expected "X"');
  });

  test('rejects an undefined registration authority', () => {
    expect(reasonOf('B144030071526726XE')).toBe('registration authority code "B" is not defined');
  });

  test('rejects an entity type the registration authority does not issue', () => {
    expect(reasonOf('9444030071526726X7')).toBe(
      'entity type "4" is not defined for registration authority "9" (allowed: 1, 2, 3)',
    );
    expect(reasonOf('Y244030071526726XP')).toBe('entity type "2" is not defined for registration authority "Y" (allowed: 1)');
  });

  test('rejects a division code outside every province', () => {
    expect(reasonOf('9199030071526726XN')).toBe('division code 990300 does not start with a valid province code');
  });

  test('rejects letters in the division code', () => {
    expect(reasonOf('9144A30071526726XG')).toBe('division code "44A300" must be 6 digits');
  });

  test('accepts the national division 100000', () => {
    expect(checkCreditCode('1110000071526726XL').ok).toBe(true);
  });
});

describe('organizationCodeCheckDigit', () => {
  test('maps 10 to X and 11 to 0', () => {
    expect(organizationCodeCheckDigit('71526726')).toBe('X');
    expect(organizationCodeCheckDigit('19220382')).toBe('1');
    expect(organizationCodeCheckDigit('00000000')).toBe('0');
  });

  test('values letters A-Z as 10-35', () => {
    expect(organizationCodeCheckDigit('MAD2LARQ')).toBe('9');
  });
});

describe('creditCodeSchema', () => {
  test('returns the normalized code', () => {
    expect(creditCodeSchema.parse(' 91330100716105852f ')).toBe('91330100716105852F');
  });

  test('reports the reason under the field name', () => {
    const result = z.object({ creditCode: creditCodeSchema }).safeParse({ creditCode: '9144030071526726X3' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['creditCode'], message: 'check character is "3", expected "G"' }),
    ]);
  });

  test('rejects non-strings', () => {
    expect(creditCodeSchema.safeParse(91440300).success).toBe(false);
  });
});
