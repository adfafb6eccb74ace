import { checkMobile } from './mobile.ts';

// Below these lengths a value is not a real ID or mobile number, and keeping its ends visible
// could reveal most of it, so it is masked entirely.
const MIN_RESIDENT_ID_LENGTH = 15;
const MIN_MOBILE_LENGTH = 11;

// Array.from splits by code point, so rare name characters outside the BMP count as one character.
function characters(value: unknown): string[] {
  return typeof value === 'string' ? Array.from(value.trim()) : [];
}

function maskMiddle(chars: readonly string[], keepStart: number, keepEnd: number, minLength: number): string {
  if (chars.length < minLength || chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return [
    ...chars.slice(0, keepStart),
    '*'.repeat(chars.length - keepStart - keepEnd),
    ...chars.slice(chars.length - keepEnd),
  ].join('');
}

/** '11010519491231002X' -> '110105********002X': keeps the address code and the last four. */
export function maskResidentId(value: string | null | undefined): string {
  return maskMiddle(characters(value), 6, 4, MIN_RESIDENT_ID_LENGTH);
}

/** '13812345678' -> '138****5678'; '+86 138-1234-5678' is normalized first. */
export function maskMobile(value: string | null | undefined): string {
  const checked = typeof value === 'string' ? checkMobile(value) : undefined;
  const chars = checked?.ok ? Array.from(checked.value) : characters(value);
  return maskMiddle(chars, 3, 4, MIN_MOBILE_LENGTH);
}

/** '张三丰' -> '张**': keeps the surname character; a one-character name is masked entirely. */
export function maskName(value: string | null | undefined): string {
  return maskMiddle(characters(value), 1, 0, 2);
}
