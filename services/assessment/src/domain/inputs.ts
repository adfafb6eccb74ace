import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ALWAYS_ON_ARRAYS,
  ALWAYS_ON_OBJECTS,
  checkMobile,
  checkUnique,
  creditCodeSchema,
  defineEnum,
  divisionCodeSchema,
  idSchema,
  parseInput,
  stringFirst,
  textField,
  typeError as sharedTypeError,
} from '@firegov/contracts';

// What third-party assessment agencies (消防技术服务机构) push, and what the county registers about
// them. Agencies integrate from their own systems, so messages say what is wrong with the value and
// every bad field comes back in one answer (see parseInput).

// ---------------------------------------------------------------------------------------------
// Field helpers

/** Agencies' systems send strict objects; unknown keys are worded as likely typos. */
export const typeError = (expected: string) => sharedTypeError(expected, { namesUnknownKeys: true });

export { idSchema, textField } from '@firegov/contracts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a date that exists on the calendar, written YYYY-MM-DD (2023-02-29 is false). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over into March and maps years 0-99 to 19xx; a round trip catches both.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date as YYYY-MM-DD; days, not instants, because assessments and licences are dated by day. */
export const dateSchema = z
  .string({ error: typeError('a date string') })
  .trim()
  .refine(isCalendarDate, 'must be a real date written YYYY-MM-DD, e.g. 2024-03-01');

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar date in Beijing (UTC+8, no daylight saving) at instant `at`, as YYYY-MM-DD. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole days from calendar date `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const sha256Schema = z
  .string({ error: typeError('a string') })
  .trim()
  // Lowercased before the check so clients printing upper-case hex are accepted and stored one way.
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal characters');

/** A photo, video or document kept elsewhere; the hash pins the exact file, so a later swap is detectable. */
export const evidenceSchema = z.strictObject(
  {
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2000, 'must be at most 2000 characters'),
    sha256: sha256Schema,
  },
  { error: typeError('an object') },
);
export type Evidence = z.output<typeof evidenceSchema>;

/**
 * The signed assessment report (评估报告). https only: it is the legal document behind the result,
 * so it must not be fetched over a channel where it could be swapped in transit.
 */
export const reportSchema = z.strictObject(
  {
    url: z.url({ protocol: /^https$/, error: 'must be an absolute https URL' }).max(2000, 'must be at most 2000 characters'),
    sha256: sha256Schema,
  },
  { error: typeError('an object') },
);

// ---------------------------------------------------------------------------------------------
// Enums. Keys are stored and sent over the API, so they never change; labels may be reworded.

export const AssessmentMethod = defineEnum({
  on_site: { zh: '现场评估', en: 'On-site assessment' },
  document_review: { zh: '资料审查', en: 'Document review' },
  testing: { zh: '检测', en: 'Testing of fire protection systems' },
  combined: { zh: '综合', en: 'Combined methods' },
});
export type AssessmentMethod = (typeof AssessmentMethod.values)[number];

export const AssessmentGrade = defineEnum({
  A: { zh: 'A级（≥85分）', en: 'Grade A (score 85 or more)' },
  B: { zh: 'B级（70–84.9分）', en: 'Grade B (score 70 to 84.9)' },
  C: { zh: 'C级（60–69.9分）', en: 'Grade C (score 60 to 69.9)' },
  D: { zh: 'D级（<60分）', en: 'Grade D (score below 60)' },
});
export type AssessmentGrade = (typeof AssessmentGrade.values)[number];

export const FindingCategory = defineEnum({
  evacuation: { zh: '安全疏散', en: 'Evacuation' },
  fire_separation: { zh: '防火分隔', en: 'Fire separation' },
  fire_water: { zh: '消防给水', en: 'Fire water supply' },
  sprinkler: { zh: '自动喷水', en: 'Automatic sprinklers' },
  alarm: { zh: '火灾自动报警', en: 'Automatic fire alarm' },
  smoke_control: { zh: '防烟排烟', en: 'Smoke control' },
  electrical: { zh: '电气防火', en: 'Electrical fire safety' },
  extinguishers: { zh: '灭火器材', en: 'Extinguishers' },
  fire_lane: { zh: '消防车通道', en: 'Fire lanes' },
  management: { zh: '消防安全管理', en: 'Fire safety management' },
  other: { zh: '其他', en: 'Other' },
});
export type FindingCategory = (typeof FindingCategory.values)[number];

export const FindingSeverity = defineEnum({
  general: { zh: '一般', en: 'General' },
  major: { zh: '重大', en: 'Major' },
});
export type FindingSeverity = (typeof FindingSeverity.values)[number];

export const AgencyQualification = defineEnum({
  class_1: { zh: '一级', en: 'Class 1' },
  class_2: { zh: '二级', en: 'Class 2' },
  provisional: { zh: '临时', en: 'Provisional' },
});
export type AgencyQualification = (typeof AgencyQualification.values)[number];

// ---------------------------------------------------------------------------------------------
// Score and grade

/** The grade a score earns: A ≥ 85, B ≥ 70, C ≥ 60, D below. */
export function gradeForScore(score: number): AssessmentGrade {
  if (score >= 85) return 'A';
  if (score >= 70) return 'B';
  if (score >= 60) return 'C';
  return 'D';
}

// Math.round(x * 10) / 10 is the nearest double to k/10, which is x itself exactly when x was
// written with at most one decimal; so 72.3 passes and 72.35 does not, despite binary fractions.
function hasAtMostOneDecimal(score: number): boolean {
  return Math.round(score * 10) / 10 === score;
}

const scoreSchema = z
  .number({ error: typeError('a number') })
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100')
  .refine(hasAtMostOneDecimal, 'must have at most one decimal, e.g. 72.5');

function isValidScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 && hasAtMostOneDecimal(value);
}

// ---------------------------------------------------------------------------------------------
// Submission, amendment, withdrawal

/** 注册消防工程师 licence number; upper-cased first, since agencies type it either way. */
export const LICENCE_NO = /^[A-Z0-9-]{6,32}$/;
const licenceSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .toUpperCase()
  .regex(LICENCE_NO, 'must be a licence number of 6-32 letters, digits or "-"');

export const FINDING_ID = /^[A-Za-z0-9_-]{1,40}$/;
// GB 35181 judgement factors, e.g. "A-3" or "B-2.1"; catalogue checks happen where the grading is.
export const FACTOR_CODE = /^[A-Z]-\d+(\.\d+)?$/;

const findingSchema = z.strictObject(
  {
    id: z
      .string({ error: typeError('a string') })
      .trim()
      .regex(FINDING_ID, 'must be a finding id of 1-40 letters, digits, "_" or "-"'),
    category: FindingCategory.schema,
    severity: FindingSeverity.schema,
    description: textField(2, 2000),
    // Where in the premises: without it nobody can go and check the finding.
    location: textField(1, 200),
    factorCodes: z
      .array(
        z
          .string({ error: typeError('a string') })
          .trim()
          .regex(FACTOR_CODE, 'must be a factor code such as "A-3" or "B-2.1"'),
        { error: typeError('an array') },
      )
      .max(20, 'must have at most 20 entries')
      .optional(),
    evidence: z.array(evidenceSchema, { error: typeError('an array') }).max(20, 'must have at most 20 entries'),
  },
  { error: typeError('an object') },
);
export type Finding = z.output<typeof findingSchema>;

/** Which unit was assessed: our id when the agency has it, else the unit's credit code (USCC). */
export type UnitRef = { unitId: string; creditCode?: never } | { creditCode: string; unitId?: never };

const unitSchema = z
  .strictObject(
    {
      unitId: idSchema.optional(),
      creditCode: stringFirst(creditCodeSchema).optional(),
    },
    { error: typeError('an object') },
  )
  .superRefine((value, ctx) => {
    // Both would let the two disagree; neither names nothing.
    const record = value as Record<string, unknown>;
    const given = ['unitId', 'creditCode'].filter((key) => record[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `must name the unit by exactly one of unitId or creditCode, got ${given.length === 0 ? 'neither' : 'both'}`,
      });
    }
  }, ALWAYS_ON_OBJECTS)
  .transform((value): UnitRef =>
    value.unitId !== undefined ? { unitId: value.unitId } : { creditCode: value.creditCode ?? '' },
  );

// The fields of an assessment itself: shared by the first submission and every amendment.
const assessmentShape = {
  engineerLicence: licenceSchema,
  assessedOn: dateSchema,
  method: AssessmentMethod.schema,
  score: scoreSchema,
  grade: AssessmentGrade.schema,
  findings: z
    .array(findingSchema, { error: typeError('an array') })
    .max(200, 'must have at most 200 entries')
    .superRefine(checkUnique('id', 'finding id'), ALWAYS_ON_ARRAYS),
  report: reportSchema,
};

/** The grade must be the one the score earns, or the register would show two verdicts. Tolerates wrong types. */
function checkGrade(value: object, ctx: z.RefinementCtx): void {
  const { score, grade } = value as Record<string, unknown>;
  if (!isValidScore(score) || typeof grade !== 'string' || !(AssessmentGrade.values as readonly string[]).includes(grade)) return;
  const expected = gradeForScore(score);
  if (grade !== expected) {
    ctx.addIssue({
      code: 'custom',
      path: ['grade'],
      message: `is "${grade}" but a score of ${score} is grade "${expected}" (A ≥ 85, B ≥ 70, C ≥ 60, D < 60)`,
    });
  }
}

/** POST body of a new assessment result. Strict: an unknown key is more likely a typo than something to ignore. */
export const submissionSchema = z
  .strictObject({ unit: unitSchema, ...assessmentShape }, { error: typeError('an object') })
  .superRefine(checkGrade, ALWAYS_ON_OBJECTS);
export type SubmissionInput = z.output<typeof submissionSchema>;

/** A corrected version of an assessment; the unit cannot change (withdraw and submit anew instead). */
export const amendmentSchema = z
  .strictObject({ ...assessmentShape, reason: textField(4, 500) }, { error: typeError('an object') })
  .superRefine(checkGrade, ALWAYS_ON_OBJECTS);
export type AmendmentInput = z.output<typeof amendmentSchema>;

export const withdrawalSchema = z.strictObject({ reason: textField(4, 500) }, { error: typeError('an object') });
export type WithdrawalInput = z.output<typeof withdrawalSchema>;

/** An assessment dated after today (in Beijing) is a typo or a pre-filled form; refused against `now`. */
function notInFuture(now: Date) {
  return (value: object, ctx: z.RefinementCtx): void => {
    const { assessedOn } = value as Record<string, unknown>;
    const today = beijingDate(now);
    if (typeof assessedOn === 'string' && isCalendarDate(assessedOn) && assessedOn > today) {
      ctx.addIssue({ code: 'custom', path: ['assessedOn'], message: `is after today (${today}, Beijing time)` });
    }
  };
}

/** Parses a submission, including the checks against `now`; every problem comes in one VALIDATION_FAILED. */
export function validateSubmission(input: unknown, now: Date): SubmissionInput {
  return parseInput(submissionSchema.superRefine(notInFuture(now), ALWAYS_ON_OBJECTS), input);
}

/** Parses an amendment, including the checks against `now`. */
export function validateAmendment(input: unknown, now: Date): AmendmentInput {
  return parseInput(amendmentSchema.superRefine(notInFuture(now), ALWAYS_ON_OBJECTS), input);
}

// ---------------------------------------------------------------------------------------------
// Agencies, engineers, contracts (registered by the county, not pushed by agencies)

// Agencies give office landlines as often as mobiles. A landline is stored as digits only: area
// code with its 0 (3-4 digits) and a 7-8 digit number, however it was punctuated.
const LANDLINE = /^0\d{9,11}$/;

const phoneSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .transform((input, ctx) => {
    const mobile = checkMobile(input);
    if (mobile.ok) return mobile.value;
    const landline = input
      .replace(/[\s()-]/g, '')
      .replace(/^\+86/, '0')
      .replace(/^00/, '0');
    if (LANDLINE.test(landline)) return landline;
    ctx.addIssue({
      code: 'custom',
      message: 'must be a mainland mobile (13812345678) or landline with area code (0571-88886666)',
    });
    return z.NEVER;
  });

export const agencyInputSchema = z.strictObject(
  {
    name: textField(2, 100),
    creditCode: stringFirst(creditCodeSchema),
    qualification: AgencyQualification.schema,
    contactPhone: phoneSchema.optional(),
  },
  { error: typeError('an object') },
);
export type AgencyInput = z.output<typeof agencyInputSchema>;

/** `validUntil` on or after `validFrom`; tolerates either being malformed (its own field says so). */
function checkPeriod(value: object, ctx: z.RefinementCtx): void {
  const { validFrom, validUntil } = value as Record<string, unknown>;
  if (typeof validFrom !== 'string' || typeof validUntil !== 'string') return;
  if (!isCalendarDate(validFrom) || !isCalendarDate(validUntil)) return;
  if (validUntil < validFrom) {
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: `must be on or after validFrom (${validFrom})` });
  }
}

export const engineerInputSchema = z
  .strictObject(
    {
      name: textField(2, 50),
      licenceNo: licenceSchema,
      validFrom: dateSchema,
      validUntil: dateSchema,
    },
    { error: typeError('an object') },
  )
  .superRefine(checkPeriod, ALWAYS_ON_OBJECTS);
export type EngineerInput = z.output<typeof engineerInputSchema>;

/**
 * A service contract (委托合同) naming whom an agency may assess: listed units and/or every unit in
 * listed divisions. Repeated unit ids are dropped rather than refused: harmless in a pasted list.
 */
export const contractInputSchema = z
  .strictObject(
    {
      agencyId: idSchema,
      unitIds: z
        .array(idSchema, { error: typeError('an array') })
        .max(10_000, 'must have at most 10000 entries')
        .transform((ids) => [...new Set(ids)])
        .optional(),
      jurisdictionCodes: z
        .array(stringFirst(divisionCodeSchema), { error: typeError('an array') })
        .max(100, 'must have at most 100 entries')
        .transform((codes) => [...new Set(codes)])
        .optional(),
      validFrom: dateSchema,
      validUntil: dateSchema,
    },
    { error: typeError('an object') },
  )
  .superRefine((value, ctx) => {
    const { unitIds, jurisdictionCodes } = value as Record<string, unknown>;
    const nonEmpty = (list: unknown): boolean => Array.isArray(list) && list.length > 0;
    // A contract covering nothing would let the agency push for nobody, and is always a mistake.
    if (!nonEmpty(unitIds) && !nonEmpty(jurisdictionCodes)) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitIds'],
        message: 'at least one of unitIds or jurisdictionCodes must list something',
      });
    }
    checkPeriod(value, ctx);
  }, ALWAYS_ON_OBJECTS);
export type ContractInput = z.output<typeof contractInputSchema>;

/** The county's decision on an agency: active, suspended (pushes refused) or revoked, and why. */
export const agencyStatusInputSchema = z.strictObject({
  status: z.enum(['active', 'suspended', 'revoked']),
  reason: z.string().trim().min(2).max(500),
});

// ---------------------------------------------------------------------------------------------
// Audits (抽查): what the government's re-inspection found, by category and severity

export const auditInputSchema = z.strictObject({
  findings: z.array(z.strictObject({ category: z.string().min(1), severity: z.enum(['general', 'major']) })).max(200),
  notes: z.string().max(2000).optional(),
});

// ---------------------------------------------------------------------------------------------
// Canonical form and hashes

/**
 * Deterministic JSON: object keys sorted by UTF-16 code units at every depth (as RFC 8785 does),
 * no whitespace, otherwise JSON.stringify's rules (toJSON honoured, undefined properties dropped,
 * undefined array entries as null). Non-finite numbers, bigints and cycles throw instead of being
 * mangled: a hash over a silently altered body would compare equal to a different body.
 */
export function canonicalBody(value: unknown): string {
  const text = writeCanonical(value, []);
  if (text === undefined) throw new TypeError(`canonicalBody: ${typeof value} has no JSON form`);
  return text;
}

function writeCanonical(input: unknown, ancestors: object[]): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalBody: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalBody: bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.includes(object)) throw new TypeError('canonicalBody: the value contains a cycle');
  const inner = [...ancestors, object];
  if (Array.isArray(object)) {
    return `[${object.map((item: unknown) => writeCanonical(item, inner) ?? 'null').join(',')}]`;
  }
  const record = object as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = writeCanonical(record[key], inner);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 (hex) of the canonical body: compares idempotent retries and goes into receipts. */
export function bodyHash(value: unknown): string {
  return sha256Hex(canonicalBody(value));
}

/**
 * Hash of the assessment itself, without the unit (fixed at submission) and the amendment's reason
 * (about the change, not the content). Versions store this, so an amendment that repeats the
 * current content is recognised as "nothing changed" even though its request body differs.
 */
export function contentHash(input: SubmissionInput | AmendmentInput): string {
  const { engineerLicence, assessedOn, method, score, grade, findings, report } = input;
  return bodyHash({ engineerLicence, assessedOn, method, score, grade, findings, report });
}
