import { divisionScope } from '@firegov/contracts';

// Where learning records live. Content (courses, banks, exams) belongs to the jurisdiction that
// wrote it and is seen from above and below: a county course county-wide, a township course in
// that township and by the county. Records about people (attempts, certificates) are seen from
// their own jurisdiction upwards only.

/** Content is shared along the chain: the caller is inside its jurisdiction, or it is inside the caller's. */
export function contentVisible(
  callerJurisdiction: string,
  content: { jurisdictionCode: string; scope: readonly string[] },
): boolean {
  return content.scope.includes(callerJurisdiction) || divisionScope(callerJurisdiction).includes(content.jurisdictionCode);
}
