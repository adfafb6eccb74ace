import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the assessment service: third-party agencies' (消防技术服务机构) assessments of units.
// Findings become hazards in inspections; the grade feeds the unit's risk grade in entities.

const evidence = z.object({ url: z.url(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const assessmentFindingSchema = z.object({
  id: z.string().min(1),
  category: z.string().min(1),
  severity: z.enum(['general', 'major']),
  description: z.string().min(1),
  /** Where in the premises, e.g. "3F east stairwell". */
  location: z.string().min(1),
  /** GB 35181 factor codes the agency cites, if any. */
  factorCodes: z.array(z.string()).optional(),
  evidence: z.array(evidence),
});

const assessment = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  unitId: z.string().min(1),
  agencyId: z.string().min(1),
  assessedOn: z.iso.date(),
  grade: z.enum(['A', 'B', 'C', 'D']),
  score: z.number().min(0).max(100),
  findings: z.array(assessmentFindingSchema),
});

export const assessmentTopic = defineTopic({
  name: 'firegov.assessment.assessments.v1',
  owner: 'assessment',
  description:
    'Assessments pushed by third-party agencies (消防技术服务机构): submitted, amended (a new version superseding the old) and withdrawn. Findings become hazards in inspections; the grade feeds the unit risk grade.',
  keyedBy: 'unit id',
  events: {
    'assessment.assessment.submitted': assessment,
    'assessment.assessment.amended': assessment.extend({ supersedesVersion: z.number().int().min(1) }),
    'assessment.assessment.withdrawn': z.object({
      id: z.string().min(1),
      unitId: z.string().min(1),
      agencyId: z.string().min(1),
      reason: z.string().min(1),
    }),
  },
});
