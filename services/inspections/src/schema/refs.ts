import { addSharedTypes, createSubgraphBuilder, enumValues } from '@firegov/service';
import type { Determination, HazardFactor } from '../domain/gb35181.ts';
import type { HazardDoc, InspectionDoc } from '../store/models.ts';
import type { GraphContext } from './context.ts';

export const builder = createSubgraphBuilder<GraphContext>();

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);

/** The two GB 35181 grades: of a hazard, a determination and a collective discussion's conclusion. */
export const HazardGradeEnum = builder.enumType('HazardGrade', {
  values: enumValues(['general', 'major'], {
    general: { zh: '一般火灾隐患', en: 'General fire hazard' },
    major: { zh: '重大火灾隐患', en: 'Major fire hazard (GB 35181)' },
  }),
});

// Object types that fields of several files return. Each is implemented in its aggregate's file
// (named in the comment); declaring them here keeps the files from importing one another.

/** hazards.ts */
export const HazardRef = builder.objectRef<HazardDoc>('Hazard');
/** inspections.ts */
export const InspectionRef = builder.objectRef<InspectionDoc>('Inspection');
/** grading.ts */
export const HazardFactorRef = builder.objectRef<HazardFactor>('HazardFactor');
/** grading.ts */
export const DeterminationRef = builder.objectRef<Determination>('Determination');

const EvidenceInput = builder.inputType('EvidenceInput', {
  fields: (t) => ({ url: t.string({ required: true }), sha256: t.string({ required: true }) }),
});

/** A hazard as recorded by hand: recordHazard, and triageCitizenReport turning a report into one. */
export const RecordHazardInput = builder.inputType('RecordHazardInput', {
  fields: (t) => ({
    unitId: t.string({ required: true }),
    title: t.string({ required: true }),
    description: t.string({ required: true }),
    location: t.string({ required: false }),
    campaignKey: t.string({ required: false }),
    factorCodes: t.stringList({ required: false, description: 'GB 35181 factor codes found' }),
    exclusions: t.stringList({ required: false }),
    evidence: t.field({ type: [EvidenceInput], required: false }),
  }),
});
