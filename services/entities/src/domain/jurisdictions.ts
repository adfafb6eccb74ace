import {
  checkDivisionCode,
  divisionCodeSchema,
  divisionLevel,
  divisionParent,
  JurisdictionLevel,
  textField,
  typeError,
  type DivisionLevel,
} from '@firegov/contracts';
import { z } from 'zod';
import { array, bool, contactSchema, object } from './fields.ts';

// The jurisdiction tree: county → township → village/community → grid (网格). Division codes are
// the 12-digit national ones; a grid's code is its village's code, "-G" and two digits.

export const GRID_CODE = /^\d{12}-G\d{2}$/;

export const gridCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .regex(GRID_CODE, 'must be a grid code: a 12-digit village code, "-G" and two digits, e.g. 500230213201-G01');

export const villageCodeSchema = divisionCodeSchema.refine(
  (code) => divisionLevel(code) === 'village',
  'must be a village or community code (level village)',
);

/** A grid is part of one village, so its code carries that village's code as a prefix. */
export function checkGridInVillage(
  value: { jurisdictionCode?: string | null; gridCode?: string | null },
  ctx: z.RefinementCtx,
): void {
  const { jurisdictionCode, gridCode } = value;
  // Object-level checks also run when a field failed; a malformed code has been reported already.
  if (typeof gridCode !== 'string' || typeof jurisdictionCode !== 'string' || !GRID_CODE.test(gridCode)) return;
  if (!gridCode.startsWith(`${jurisdictionCode}-`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['gridCode'],
      message: `grid ${gridCode} is not in village ${jurisdictionCode}; its code must start with "${jurisdictionCode}-"`,
    });
  }
}

function checkJurisdictionCode(code: string): string | undefined {
  const checked = checkDivisionCode(GRID_CODE.test(code) ? code.slice(0, 12) : code);
  return checked.ok ? undefined : `must be a 12-digit division code or a grid code such as 500230213201-G01: ${checked.reason}`;
}

export const jurisdictionCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .superRefine((code, ctx) => {
    const reason = checkJurisdictionCode(code);
    if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
  });

/** 'grid' for a grid code, the division level for a 12-digit code, undefined when neither. */
export function jurisdictionCodeLevel(code: string): DivisionLevel | 'grid' | undefined {
  if (GRID_CODE.test(code)) return divisionLevel(code.slice(0, 12)) === 'village' ? 'grid' : undefined;
  return divisionLevel(code);
}

/** The code of the jurisdiction directly above: a grid's village, or the enclosing division. */
export function jurisdictionParentCode(code: string): string | undefined {
  if (GRID_CODE.test(code)) return code.slice(0, 12);
  return divisionParent(code);
}

export const registerJurisdictionSchema = object({
  code: jurisdictionCodeSchema,
  name: textField(1, 50),
  level: JurisdictionLevel.schema,
  parentCode: jurisdictionCodeSchema.optional(),
  gridManagers: array(contactSchema, 20).optional(), // 网格员
  demo: bool().default(false),
}).superRefine((value, ctx) => {
  const { code, level, parentCode } = value;
  // Object-level checks also run when a field failed; a malformed code has been reported already.
  if (checkJurisdictionCode(code) !== undefined) return;
  const actual = jurisdictionCodeLevel(code);
  if (actual === undefined) {
    ctx.addIssue({ code: 'custom', path: ['code'], message: `grid code ${code} must start with a village or community code` });
    return;
  }
  if (actual === 'province' || actual === 'city') {
    ctx.addIssue({
      code: 'custom',
      path: ['code'],
      message: `${code} is a ${actual} code; jurisdictions are counties, townships, villages and grids`,
    });
    return;
  }
  if (actual !== level) {
    ctx.addIssue({ code: 'custom', path: ['level'], message: `is "${level}" but ${code} is a ${actual} code` });
  }
  const expectedParent = jurisdictionParentCode(code);
  if (parentCode === undefined) {
    if (actual !== 'county') {
      ctx.addIssue({ code: 'custom', path: ['parentCode'], message: `is required for a ${actual}; expected ${expectedParent}` });
    }
  } else if (checkJurisdictionCode(parentCode) === undefined && parentCode !== expectedParent) {
    ctx.addIssue({
      code: 'custom',
      path: ['parentCode'],
      message: `is ${parentCode} but ${code} lies directly under ${expectedParent}`,
    });
  }
  if (value.gridManagers !== undefined && actual !== 'grid') {
    ctx.addIssue({
      code: 'custom',
      path: ['gridManagers'],
      message: `only grids have grid managers (网格员), and ${code} is a ${actual}`,
    });
  }
});
export type RegisterJurisdictionInput = z.output<typeof registerJurisdictionSchema>;
