import { schemaFromCheck } from './check-schema.ts';
import { isProvinceCode } from './division-code.ts';

export type CreditCodeCheck = { ok: true; value: string } | { ok: false; reason: string };

// GB 32100-2015 drops I, O, S, V and Z so that no character can be misread as a digit.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CHECK_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

// Registration authority (position 1) -> entity types (position 2) it may issue, per the
// GB 32100-2015 code table as amended (A: CMC organisation office, N: agricultural collectives).
const ENTITY_TYPES: Readonly<Record<string, string>> = {
  '1': '1239', // institutional staffing: organs, public institutions, mass organisations
  '2': '19', // foreign affairs: resident foreign news agencies
  '3': '123459', // justice: law firms, notaries, legal services, forensics, arbitration
  '4': '19', // culture: foreign cultural centres
  '5': '1239', // civil affairs: social organisations, private non-enterprises, foundations
  '6': '129', // tourism: foreign and HK/Macao/Taiwan tourism offices
  '7': '129', // religion: venues, colleges
  '8': '19', // trade unions
  '9': '123', // market regulation: enterprises, sole proprietors, farmer cooperatives
  A: '19', // military public institutions
  N: '1239', // rural collective economic organisations
  Y: '1', // other authorities: a single undivided type
};

// Authorities at national level register with division 100000, which no province owns.
const NATIONAL_DIVISION_PREFIX = '10';

/** The 18th character of a credit code, computed from its first 17 (which must be in the charset). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CHARSET.indexOf(first17.charAt(i)) * (CHECK_WEIGHTS[i] ?? 0);
  }
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** The 9th character of a GB 11714 organization code, computed from its first 8. */
export function organizationCodeCheckDigit(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    // GB 11714 values letters A-Z as 10-35 regardless of which letters the credit code charset allows.
    sum += Number.parseInt(first8.charAt(i), 36) * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    return { ok: false, reason: `must be 18 characters, got ${code.length}` };
  }
  for (let i = 0; i < code.length; i++) {
    const char = code.charAt(i);
    if (!CHARSET.includes(char)) {
      return { ok: false, reason: `character "${char}" at position ${i + 1} is not allowed` };
    }
  }

  const authority = code.charAt(0);
  const entityType = code.charAt(1);
  const allowedTypes = ENTITY_TYPES[authority];
  if (allowedTypes === undefined) {
    return { ok: false, reason: `registration authority code "${authority}" is not defined` };
  }
  if (!allowedTypes.includes(entityType)) {
    return {
      ok: false,
      reason: `entity type "${entityType}" is not defined for registration authority "${authority}" (allowed: ${allowedTypes.split('').join(', ')})`,
    };
  }

  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division)) {
    return { ok: false, reason: `division code "${division}" must be 6 digits` };
  }
  const province = division.slice(0, 2);
  if (province !== NATIONAL_DIVISION_PREFIX && !isProvinceCode(province)) {
    return { ok: false, reason: `division code ${division} does not start with a valid province code` };
  }

  const orgCode = code.slice(8, 17);
  const expectedOrgCheck = organizationCodeCheckDigit(orgCode.slice(0, 8));
  if (orgCode.charAt(8) !== expectedOrgCheck) {
    return {
      ok: false,
      reason: `organization code check digit is "${orgCode.charAt(8)}", expected "${expectedOrgCheck}"`,
    };
  }

  const expectedCheck = creditCodeCheckChar(code);
  if (code.charAt(17) !== expectedCheck) {
    return { ok: false, reason: `check character is "${code.charAt(17)}", expected "${expectedCheck}"` };
  }
  return { ok: true, value: code };
}

export const creditCodeSchema = schemaFromCheck(checkCreditCode);
