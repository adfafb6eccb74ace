import { validationFailed } from '@firegov/kit';
import type { EntitiesModels, JurisdictionDoc } from '../store/models.ts';

/** Where a unit or household sits in the tree; `scope` lists every code above it and its own. */
export interface Place {
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  scope: string[];
}

/** The village (and grid) must be registered: records always hang off a known jurisdiction. */
export async function placeOf(
  jurisdictions: EntitiesModels['jurisdictions'],
  input: { jurisdictionCode: string; gridCode?: string | undefined },
): Promise<Place> {
  const village = await jurisdictions.findById(input.jurisdictionCode).lean<JurisdictionDoc>();
  if (!village || village.level !== 'village') {
    throw validationFailed([
      { path: '$.jurisdictionCode', reason: `no village or community with code ${input.jurisdictionCode} is registered` },
    ]);
  }
  if (input.gridCode) {
    const grid = await jurisdictions.findById(input.gridCode).lean<JurisdictionDoc>();
    if (!grid || grid.parentCode !== village._id)
      throw validationFailed([{ path: '$.gridCode', reason: `no grid ${input.gridCode} is registered under ${village._id}` }]);
  }
  const [countyCode, townshipCode] = village.scope;
  return {
    countyCode: countyCode!,
    townshipCode: townshipCode!,
    villageCode: village._id,
    scope: [...village.scope, ...(input.gridCode ? [input.gridCode] : [])],
  };
}
