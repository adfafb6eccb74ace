import { schemaFromCheck } from './check-schema.ts';

export type DivisionCodeCheck = { ok: true; value: string } | { ok: false; reason: string };

export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

// GB/T 2260 provincial-level codes: 31 mainland provinces plus Taiwan (71), Hong Kong (81), Macao (82).
// prettier-ignore
export const PROVINCE_CODES: readonly string[] = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
];

const provinceSet: ReadonlySet<string> = new Set(PROVINCE_CODES);

export function isProvinceCode(code: string): boolean {
  return provinceSet.has(code);
}

// Segment boundaries of the 12-digit statistical code: province(2) city(2) county(2) township(3) village(3).
const LEVEL_END: ReadonlyArray<readonly [DivisionLevel, number]> = [
  ['province', 2],
  ['city', 4],
  ['county', 6],
  ['township', 9],
  ['village', 12],
];

export function checkDivisionCode(input: string): DivisionCodeCheck {
  const code = input.trim();
  const bad = /\D/.exec(code);
  if (bad) {
    return { ok: false, reason: `must contain only digits, found "${bad[0]}" at position ${bad.index + 1}` };
  }
  if (code.length !== 12) {
    return { ok: false, reason: `must be 12 digits, got ${code.length}` };
  }
  const province = code.slice(0, 2);
  if (!isProvinceCode(province)) {
    return { ok: false, reason: `province code ${province} is not valid` };
  }
  return { ok: true, value: code };
}

export const divisionCodeSchema = schemaFromCheck(checkDivisionCode);

// Number of leading digits that identify the division; everything after is zero padding.
// A zero segment can sit above a non-zero one (Dongguan 441900 has townships but no counties),
// so the level is set by the last non-zero segment, not the first zero one.
function significantLength(code: string): number {
  let end = 2;
  for (const [, segmentEnd] of LEVEL_END) {
    if (/[1-9]/.test(code.slice(end, segmentEnd))) end = segmentEnd;
  }
  return end;
}

/** Level of a valid 12-digit division code; undefined when the code is not valid. */
export function divisionLevel(code: string): DivisionLevel | undefined {
  const checked = checkDivisionCode(code);
  if (!checked.ok) return undefined;
  const end = significantLength(checked.value);
  return LEVEL_END.find(([, segmentEnd]) => segmentEnd === end)?.[0];
}

/**
 * The nearest enclosing division, as a 12-digit code. Undefined for a province or an invalid code.
 * Intermediate all-zero segments are skipped: the parent of township 441900003000 is city 441900000000.
 */
export function divisionParent(code: string): string | undefined {
  const checked = checkDivisionCode(code);
  if (!checked.ok) return undefined;
  const end = significantLength(checked.value);
  if (end === 2) return undefined;
  const level = LEVEL_END.findIndex(([, segmentEnd]) => segmentEnd === end);
  const parentEnd = LEVEL_END[level - 1]?.[1] ?? 2;
  return checked.value.slice(0, parentEnd).padEnd(12, '0');
}

/** True when `code` is `ancestor` itself or lies in its subtree; false if either code is invalid. */
export function isWithinDivision(code: string, ancestor: string): boolean {
  const child = checkDivisionCode(code);
  const root = checkDivisionCode(ancestor);
  if (!child.ok || !root.ok) return false;
  return child.value.startsWith(root.value.slice(0, significantLength(root.value)));
}

/**
 * The scope list of a county, township or village code: itself and every level above it down from
 * its county (county 6 digits + 000000, township 9 digits + 000, village 12 digits). Records carry
 * it, so "everything under X" is one equality on any level.
 */
export function divisionScope(code: string): string[] {
  // A grid code (`<village>-G01`) or anything else that is not a division code scopes only itself.
  if (!/^\d{12}$/.test(code)) return [code];
  const county = `${code.slice(0, 6)}000000`;
  if (code.endsWith('000000')) return [code];
  if (code.endsWith('000')) return [county, code];
  return [county, `${code.slice(0, 9)}000`, code];
}
