import { divisionLevel } from '@firegov/contracts';

// Where learning records live. Content (courses, banks, exams) belongs to the jurisdiction that
// wrote it and is seen from above and below: a county course county-wide, a township course in
// that township and by the county. Records about people (attempts, certificates) are seen from
// their own jurisdiction upwards only.

/** A division code and every level above it up to its county: "everything under X" is one equality. */
export function chainOf(code: string): string[] {
  const level = divisionLevel(code);
  const county = code.slice(0, 6).padEnd(12, '0');
  if (level === 'village') return [county, code.slice(0, 9).padEnd(12, '0'), code];
  if (level === 'township') return [county, code];
  return [code];
}

/** Content is shared along the chain: the caller is inside its jurisdiction, or it is inside the caller's. */
export function contentVisible(
  callerJurisdiction: string,
  content: { jurisdictionCode: string; scope: readonly string[] },
): boolean {
  return content.scope.includes(callerJurisdiction) || chainOf(callerJurisdiction).includes(content.jurisdictionCode);
}
