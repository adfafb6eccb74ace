import { z } from 'zod';
import { idSchema, textField, typeError, type HAZARD_SOURCES } from '@firegov/contracts';
import { EXCLUSIONS, PREMISES_CLASS_LABELS, type Exclusion, type PremisesClass } from './gb35181.ts';
import type { CollectiveDiscussion, ExpertPanel } from './grading-procedure.ts';
import type { HazardCommand, HazardGrade } from './hazard-state.ts';
import { evidenceSchema, isoDateTimeSchema, oneOf, type Evidence } from './fields.ts';

// What a hazard command may carry, checked before the state machine (hazard-state.ts) and the
// grader (gb35181.ts) look at it; both still check the values they rely on (deadlines against now,
// factor codes against the catalogue), so these schemas only refuse what is malformed.

/** Where a hazard came from: an inspection, a citizen's report, an agency's assessment or a sensor (the topic's list). */
export type HazardSource = (typeof HAZARD_SOURCES)[number];

/** A hazard any source proposes to the register; graded by GB 35181 when it is created. */
export interface NewHazard {
  /** Given for hazards derived from another record (an assessment finding, a sensor fault), so a redelivery creates nothing. */
  id?: string;
  unitId: string;
  source: HazardSource;
  sourceRef?: { kind: HazardSource; id: string };
  campaignKey?: string;
  title: string;
  description: string;
  location?: string;
  factorCodes: readonly string[];
  exclusions?: readonly Exclusion[];
  /** The grade the source proposed (an agency's severity); the GB 35181 rule may only raise it. */
  proposedGrade?: HazardGrade;
  evidence: readonly Evidence[];
  foundAt?: string;
  foundBy: string;
}

const text = () => z.string({ error: typeError('a string') });
const nonEmpty = () => text().trim().min(1, 'must not be empty');
const note = () => text().max(2000, 'must be at most 2000 characters');
const list = <T extends z.ZodType>(item: T, max?: number) => {
  const array = z.array(item, { error: typeError('an array') });
  return max === undefined ? array : array.max(max, `must have at most ${max} entries`);
};
const exclusionList = () => list(oneOf(EXCLUSIONS));
const PREMISES_CLASSES = Object.keys(PREMISES_CLASS_LABELS) as [PremisesClass, ...PremisesClass[]];
const factorCodeList = () => list(text(), 50);
const object = { error: typeError('an object') };

/** recordHazard (and the hazard of a triaged report): what someone found outside a checklist. */
export const recordHazardInput = z.strictObject(
  {
    unitId: idSchema,
    title: textField(2, 200),
    description: textField(2, 4000),
    location: textField(0, 200).optional(),
    campaignKey: text().optional(),
    factorCodes: factorCodeList().default([]),
    exclusions: exclusionList().default([]),
    evidence: list(evidenceSchema, 20).default([]),
  },
  object,
);
export type RecordHazardInput = z.output<typeof recordHazardInput>;

/** determineHazardGrade: factors and exclusions to grade again, and the procedure steps taken. */
export const determinationInput = z.strictObject(
  {
    factorCodes: factorCodeList().optional(),
    exclusions: exclusionList().optional(),
    /** Findings corrected on the spot: not counted. */
    correctedOnSite: factorCodeList().optional(),
    /** The premises classes as the inspector judges them (default: from the unit's category and the edition). */
    premisesClasses: list(oneOf(PREMISES_CLASSES), 8).optional(),
    discussion: z
      .strictObject({ participants: list(nonEmpty()), conclusion: oneOf(['major', 'general']), notes: text().optional() }, object)
      .optional(),
    expertPanel: z
      .strictObject(
        {
          experts: list(nonEmpty()),
          votesMajor: z.number({ error: typeError('a number') }).int('must be a whole number'),
          notes: text().optional(),
        },
        object,
      )
      .optional(),
    expectedVersion: z
      .number({ error: typeError('a number') })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .optional(),
  },
  object,
);
export type DeterminationRequest = z.output<typeof determinationInput>;

/** A rectification step (order, report rectified, re-inspect, dismiss); the state machine checks the values. */
export const hazardCommandInput: z.ZodType<Exclude<HazardCommand, { kind: 'regrade' }>> = z.discriminatedUnion('kind', [
  z.strictObject(
    { kind: z.literal('issue_order'), deadline: isoDateTimeSchema, responsibleParty: text(), measures: note().optional() },
    object,
  ),
  z.strictObject({ kind: z.literal('report_rectified'), notes: note().optional() }, object),
  z.strictObject(
    {
      kind: z.literal('reinspect'),
      passed: z.boolean({ error: typeError('true or false') }),
      notes: note().optional(),
      newDeadline: isoDateTimeSchema.optional(),
    },
    object,
  ),
  z.strictObject({ kind: z.literal('dismiss'), reason: text() }, object),
]);

/** 警示约谈 of a hazard under listed supervision. */
export const interviewInput = z.strictObject(
  {
    interviewee: text(),
    level: oneOf(['township', 'county']),
    notes: note().optional(),
    at: isoDateTimeSchema.optional(),
  },
  object,
);
export type InterviewRequest = z.output<typeof interviewInput>;

/**
 * The procedure steps of a determination (集体讨论, 专家论证) dated `at`; a step not held this time
 * keeps the one recorded before, so a later regrading still knows what decided the grade.
 */
export function procedureSteps(
  input: Pick<DeterminationRequest, 'discussion' | 'expertPanel'>,
  at: string,
  before: { discussion?: CollectiveDiscussion | undefined; expertPanel?: ExpertPanel | undefined },
): { discussion?: CollectiveDiscussion | undefined; expertPanel?: ExpertPanel | undefined } {
  const d = input.discussion;
  const p = input.expertPanel;
  return {
    discussion: d
      ? { at, participants: d.participants, conclusion: d.conclusion, ...(d.notes ? { notes: d.notes } : {}) }
      : before.discussion,
    expertPanel: p
      ? { at, experts: p.experts, votesMajor: p.votesMajor, ...(p.notes ? { notes: p.notes } : {}) }
      : before.expertPanel,
  };
}
