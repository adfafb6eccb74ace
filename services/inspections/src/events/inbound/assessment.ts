import type { assessmentTopic } from '@firegov/contracts';
import type { ConsumedEvent } from '@firegov/events';
import type { NewHazard } from '../../domain/hazards.ts';

type AssessmentEvent = ConsumedEvent<typeof assessmentTopic>;

/**
 * An agency's submitted or amended assessment: each finding becomes a hazard (source = assessment)
 * pointing back to the assessment and finding. The id derives from both, so a redelivered or amended
 * assessment records each finding once. A withdrawn assessment proposes nothing: once recorded, a
 * hazard closes only by a re-inspection, whoever reported it.
 */
export function hazardsFromAssessment(event: AssessmentEvent): { unitId: string; hazards: NewHazard[] } | null {
  if (event.type === 'assessment.assessment.withdrawn') return null;
  const a = event.data;
  return {
    unitId: a.unitId,
    hazards: a.findings.map((f) => ({
      id: `hz_a_${a.id}_${f.id}`.slice(0, 120),
      unitId: a.unitId,
      source: 'assessment',
      sourceRef: { kind: 'assessment', id: `${a.id}#${f.id}` },
      title: `[${f.category}] ${f.description}`.slice(0, 200),
      description: f.description,
      location: f.location,
      factorCodes: f.factorCodes ?? [],
      proposedGrade: f.severity,
      evidence: f.evidence,
      foundAt: new Date(`${a.assessedOn}T00:00:00+08:00`).toISOString(),
      foundBy: `agency:${a.agencyId}`,
    })),
  };
}
