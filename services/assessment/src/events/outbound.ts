import { assessmentTopic } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { AssessmentDoc } from '../store/models.ts';

// Every event this service emits, each built from a snapshot of the document it announces and
// written to that document's outbox in the same write. Agencies announce nothing: their changes
// (status, credit, clients) matter only inside this service.

const SOURCE = 'assessment';

/** A withdrawn assessment, as the withdrawal writes it. */
export type WithdrawnAssessment = AssessmentDoc & { status: 'withdrawn'; withdrawnReason: string; withdrawnAt: string };

/** What consumers learn of the current version: the result and its findings (inspections turns them into hazards). */
function currentVersion(doc: AssessmentDoc) {
  return {
    id: doc._id,
    version: doc.version,
    unitId: doc.unitId,
    agencyId: doc.agencyId,
    assessedOn: doc.current.assessedOn,
    grade: doc.current.grade,
    score: doc.current.score,
    findings: doc.current.findings.map((f) => ({
      id: f.id,
      category: f.category,
      severity: f.severity,
      description: f.description,
      location: f.location,
      ...(f.factorCodes ? { factorCodes: f.factorCodes } : {}),
      evidence: f.evidence,
    })),
  };
}

/** Keyed by unit, so every event about one unit's assessments stays in order on one partition. */
export const assessmentSubmitted = (doc: AssessmentDoc): OutboxEntry =>
  outboxEntry(assessmentTopic, SOURCE, {
    type: 'assessment.assessment.submitted',
    key: doc.unitId,
    subject: doc._id,
    data: currentVersion(doc),
  });

export const assessmentAmended = (doc: AssessmentDoc): OutboxEntry =>
  outboxEntry(assessmentTopic, SOURCE, {
    type: 'assessment.assessment.amended',
    key: doc.unitId,
    subject: doc._id,
    data: { ...currentVersion(doc), supersedesVersion: doc.version - 1 },
  });

export const assessmentWithdrawn = (doc: WithdrawnAssessment): OutboxEntry =>
  outboxEntry(assessmentTopic, SOURCE, {
    type: 'assessment.assessment.withdrawn',
    key: doc.unitId,
    subject: doc._id,
    data: { id: doc._id, unitId: doc.unitId, agencyId: doc.agencyId, reason: doc.withdrawnReason },
  });
