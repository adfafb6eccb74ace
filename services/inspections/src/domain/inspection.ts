import { z } from 'zod';
import {
  ALWAYS_ON_ARRAYS,
  ALWAYS_ON_OBJECTS,
  checkUnique,
  defineEnum,
  idSchema,
  parseInput,
  textField,
  typeError,
} from '@firegov/contracts';
import {
  campaignKeySchema,
  evidenceSchema,
  factorCodeSchema,
  instantOf,
  isoDateTimeSchema,
  ITEM_CODE,
  itemCodeSchema,
  type Evidence,
} from './fields.ts';

// Inspections (检查): what an inspector found, item by item, and the hazards the failed items propose.

// The seed's three-step method: 企业自查、属地排查、部门核查; 明查暗访 comes from task 3.
export const InspectionKind = defineEnum({
  self_check: { zh: '自查', en: 'Self-check by the unit' },
  village_screening: { zh: '排查', en: 'Screening by the village or township' },
  department_verification: { zh: '核查', en: 'Verification by a department' },
  unannounced_visit: { zh: '明查暗访', en: 'Announced or unannounced visit' },
  joint_inspection: { zh: '联合检查', en: 'Joint inspection by several departments' },
});
export type InspectionKind = (typeof InspectionKind.values)[number];

export const CheckOutcome = defineEnum({
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
});
export type CheckOutcome = (typeof CheckOutcome.values)[number];

const resultSchema = z
  .strictObject(
    {
      itemCode: itemCodeSchema,
      outcome: CheckOutcome.schema,
      note: textField(1, 1000).optional(),
      factorCodes: z
        .array(factorCodeSchema, { error: typeError('an array') })
        .max(20, 'must have at most 20 entries')
        .optional(),
      evidence: z
        .array(evidenceSchema, { error: typeError('an array') })
        .max(20, 'must have at most 20 entries')
        .optional(),
    },
    { error: typeError('an object') },
  )
  .superRefine((result, ctx) => {
    // A failed item becomes a hazard; without a note nobody can tell the unit what to fix.
    if (result.outcome === 'fail' && result.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'is required when the outcome is "fail": say what is wrong' });
    }
  }, ALWAYS_ON_OBJECTS);
export type InspectionResult = z.output<typeof resultSchema>;

export const inspectionInputSchema = z.strictObject(
  {
    unitId: idSchema,
    kind: InspectionKind.schema,
    campaignKey: campaignKeySchema.optional(),
    inspectedAt: isoDateTimeSchema,
    inspectors: z
      .array(textField(1, 50), { error: typeError('an array') })
      .min(1, 'must name at least one inspector')
      .max(20, 'must have at most 20 entries'),
    results: z
      .array(resultSchema, { error: typeError('an array') })
      .min(1, 'must have at least one result')
      .max(200, 'must have at most 200 entries')
      .superRefine(checkUnique('itemCode', 'item code'), ALWAYS_ON_ARRAYS),
  },
  { error: typeError('an object') },
);
export type InspectionInput = z.output<typeof inspectionInputSchema>;

/** The part of a campaign an inspection is checked against; seed and user-defined campaigns both fit. */
export interface InspectionCampaign {
  key: string;
  checklist: ReadonlyArray<{ code: string; zh: string; factorCode?: string }>;
}

// Device clocks drift; a few minutes ahead is skew, more is a typo in the date.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Parses an inspection. With a campaign, the inspection must belong to it and report only items of
 * its checklist. Every problem, including those found against `now` and the campaign, comes in one error.
 */
export function validateInspection(input: unknown, now: Date, campaign?: InspectionCampaign): InspectionInput {
  const schema = inspectionInputSchema.superRefine((value, ctx) => {
    // Object-level checks run even when a field failed, so each field is re-checked for shape first.
    const at = instantOf(value.inspectedAt);
    if (at !== undefined && at > now.getTime() + MAX_CLOCK_SKEW_MS) {
      const minutes = Math.ceil((at - now.getTime()) / 60_000);
      ctx.addIssue({
        code: 'custom',
        path: ['inspectedAt'],
        message: `is ${minutes} minutes in the future (now is ${now.toISOString()}); at most 5 minutes of clock skew is allowed`,
      });
    }
    if (campaign === undefined) return;
    if (value.campaignKey !== campaign.key) {
      ctx.addIssue({ code: 'custom', path: ['campaignKey'], message: `must be "${campaign.key}", the campaign checked against` });
    }
    const codes = new Set(campaign.checklist.map((item) => item.code));
    (Array.isArray(value.results) ? value.results : []).forEach((result, index) => {
      const code: unknown = (result as { itemCode?: unknown } | undefined)?.itemCode;
      if (typeof code === 'string' && ITEM_CODE.test(code) && !codes.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['results', index, 'itemCode'],
          message: `"${code}" is not on the checklist of campaign ${campaign.key}`,
        });
      }
    });
  }, ALWAYS_ON_OBJECTS);
  return parseInput(schema, input);
}

/** What one failed checklist item proposes to the hazard register; grading happens there. */
export interface HazardCandidate {
  itemCode: string;
  title: string;
  description: string;
  factorCodes: string[];
  evidence: Evidence[];
}

// Hazard titles are shown in work queues; a whole note would not fit the line.
const TITLE_MAX = 80;

function shorten(text: string, max: number): string {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const chars = Array.from(firstLine);
  return chars.length <= max && firstLine === text ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * One candidate per failed item, in the order of the input's results. The title is the checklist's
 * Chinese label when the item is on the campaign's checklist, else the start of the note. The
 * inspector's factor codes win over the checklist's hint, which is only a default.
 */
export function hazardCandidates(
  input: Pick<InspectionInput, 'results'>,
  campaign?: Pick<InspectionCampaign, 'checklist'>,
): HazardCandidate[] {
  const items = new Map((campaign?.checklist ?? []).map((item) => [item.code, item]));
  return input.results
    .filter((result) => result.outcome === 'fail')
    .map((result) => {
      const item = items.get(result.itemCode);
      // validateInspection guarantees a note on a failure; the fallback keeps hand-built inputs usable.
      const note = result.note ?? item?.zh ?? result.itemCode;
      const hint = item?.factorCode;
      return {
        itemCode: result.itemCode,
        title: item !== undefined ? item.zh : shorten(note, TITLE_MAX),
        description: note,
        factorCodes: result.factorCodes?.length ? [...result.factorCodes] : hint !== undefined ? [hint] : [],
        evidence: (result.evidence ?? []).map((e) => ({ ...e })),
      };
    });
}
