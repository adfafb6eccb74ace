import { schemaFromCheck } from './check-schema.ts';
import { isProvinceCode } from './division-code.ts';

export type ResidentIdCheck = { ok: true; value: string } | { ok: false; reason: string };

export type ResidentSex = 'male' | 'female';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '19000101';
// Residence permits for Hong Kong, Macao and Taiwan residents (2018) use this ID format with
// address codes 810000, 820000 and 830000; 83 is not a GB/T 2260 province, so it is added here.
const TAIWAN_RESIDENT_PERMIT_PREFIX = '83';
// Birth dates are Beijing calendar dates and China has had no daylight saving since 1991,
// so a fixed +8h offset turns any instant into the right local date even on a UTC server.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The 18th character of a resident ID, computed from its first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS.charAt(sum % 11);
}

function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

function isRealDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not remap years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `today` is injectable so tests can pin the upper bound of the birth date. */
export function checkResidentId(input: string, today: Date = new Date()): ResidentIdCheck {
  const id = input.trim().toUpperCase();
  if (id.length !== 18) {
    return { ok: false, reason: `must be 18 characters, got ${id.length}` };
  }
  const nonDigit = /\D/.exec(id.slice(0, 17));
  if (nonDigit) {
    return { ok: false, reason: `character "${nonDigit[0]}" at position ${nonDigit.index + 1} must be a digit` };
  }
  const checkChar = id.charAt(17);
  if (!/[\dX]/.test(checkChar)) {
    return { ok: false, reason: `check character "${checkChar}" must be a digit or X` };
  }

  const province = id.slice(0, 2);
  if (!isProvinceCode(province) && province !== TAIWAN_RESIDENT_PERMIT_PREFIX) {
    return { ok: false, reason: `province code ${province} is not valid` };
  }

  const birth = id.slice(6, 14);
  if (!isRealDate(birth)) {
    return { ok: false, reason: `birth date ${birth} is not a real date` };
  }
  if (birth < EARLIEST_BIRTH_DATE) {
    return { ok: false, reason: `birth date ${birth} is before 1900-01-01` };
  }
  if (birth > beijingDate(today)) {
    return { ok: false, reason: `birth date ${birth} is in the future` };
  }

  const expected = residentIdCheckChar(id);
  if (checkChar !== expected) {
    return { ok: false, reason: `check character is "${checkChar}", expected "${expected}"` };
  }
  return { ok: true, value: id };
}

export const residentIdSchema = schemaFromCheck((input) => checkResidentId(input));

/** Birth date as YYYY-MM-DD, or undefined when the ID is not valid. */
export function residentIdBirthDate(id: string, today: Date = new Date()): string | undefined {
  const checked = checkResidentId(id, today);
  if (!checked.ok) return undefined;
  const birth = checked.value.slice(6, 14);
  return `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
}

/** Sex from the parity of the 17th digit, or undefined when the ID is not valid. */
export function residentIdSex(id: string, today: Date = new Date()): ResidentSex | undefined {
  const checked = checkResidentId(id, today);
  if (!checked.ok) return undefined;
  return Number(checked.value.charAt(16)) % 2 === 1 ? 'male' : 'female';
}
