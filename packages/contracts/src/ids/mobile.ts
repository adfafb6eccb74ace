import { schemaFromCheck } from './check-schema.ts';

export type MobileCheck = { ok: true; value: string } | { ok: false; reason: string };

export function checkMobile(input: string): MobileCheck {
  let digits = input.replace(/[\s-]/g, '');
  if (digits.startsWith('+')) {
    if (!digits.startsWith('+86')) {
      return { ok: false, reason: 'only mainland China (+86) numbers are supported' };
    }
    digits = digits.slice(3);
  } else if (/^86\d{11}$/.test(digits)) {
    // Without a '+' the 86 is only taken as a country code when a full number follows it.
    digits = digits.slice(2);
  }

  if (digits.length === 0) {
    return { ok: false, reason: 'must not be empty' };
  }
  const nonDigit = /\D/.exec(digits);
  if (nonDigit) {
    return { ok: false, reason: `must contain only digits, found "${nonDigit[0]}"` };
  }
  if (digits.length !== 11) {
    return { ok: false, reason: `must be 11 digits, got ${digits.length}` };
  }
  if (digits.charAt(0) !== '1') {
    return { ok: false, reason: `must start with 1, got "${digits.charAt(0)}"` };
  }
  if (!/[3-9]/.test(digits.charAt(1))) {
    return { ok: false, reason: `second digit must be 3-9, got "${digits.charAt(1)}"` };
  }
  return { ok: true, value: digits };
}

export const mobileSchema = schemaFromCheck(checkMobile);
