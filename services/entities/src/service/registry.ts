import type { EntitiesDeps } from './deps.ts';
import { departmentService } from './departments.ts';
import { fireTeamService } from './fire-teams.ts';
import { householdService } from './households.ts';
import { jurisdictionService } from './jurisdictions.ts';

/** The registry around units: jurisdictions, vulnerable households, fire forces and departments, each its own writer. */
export function registryService(deps: EntitiesDeps) {
  return {
    ...jurisdictionService(deps),
    ...householdService(deps),
    ...fireTeamService(deps),
    ...departmentService(deps),
  };
}

export type RegistryService = ReturnType<typeof registryService>;
