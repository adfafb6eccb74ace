import type { AssessmentLists } from '../../store/assessment-lists.ts';
import type { AssessmentDoc } from '../../store/models.ts';
import type { AgencyService } from '../agencies.ts';

/**
 * What follows a stored submission outside its own document: the readers' lists, and for a late
 * one (迟报) the agency's credit, which only the agencies service writes.
 */
export function afterSubmission(lists: AssessmentLists, agencies: AgencyService) {
  return async (doc: AssessmentDoc): Promise<void> => {
    await lists.added(doc);
    if (doc.late) await agencies.recordLateSubmission(doc.agencyId, doc._id, doc.current.assessedOn, doc.createdAt);
  };
}
