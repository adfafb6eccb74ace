import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Contracts of services not built yet whose events the built ones already consume. Defined here
// first so inspections (hazards from findings and sensor faults) and entities (latest assessment)
// can be written and tested against them; the owning service must publish exactly this.

const isoTime = z.iso.datetime({ offset: true });
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

export const sensorFaultTopic = defineTopic({
  name: 'firegov.sensors.faults.v1',
  owner: 'sensors',
  description:
    'Fire-protection equipment faults that persisted past their grace period (offline detector, low sprinkler pressure, disabled alarm panel): each becomes a hazard in inspections.',
  keyedBy: 'unit id',
  events: {
    'sensors.fault.persisted': z.object({
      id: z.string().min(1),
      deviceId: z.string().min(1),
      unitId: z.string().min(1),
      kind: z.enum(['offline', 'low_pressure', 'panel_disabled', 'fault']),
      since: isoTime,
      description: z.string().min(1),
    }),
  },
});
