import { countEscalations } from '@firegov/kit';
import type { EntitiesDeps } from './deps.ts';
import { committeeService } from './committees.ts';
import { departmentService } from './departments.ts';
import { dutyAssessmentService } from './duty-assessments.ts';
import { fireTeamService } from './fire-teams.ts';
import { householdService } from './households.ts';
import { jurisdictionService } from './jurisdictions.ts';

/** The registry around units: jurisdictions, vulnerable households, fire forces, departments and committees, each its own writer. */
export function registryService(deps: EntitiesDeps) {
  const departments = departmentService(deps);
  const committees = committeeService(deps, departments);
  return {
    ...jurisdictionService(deps),
    ...householdService(deps),
    ...fireTeamService(deps),
    ...departments,
    ...committees,
    ...dutyAssessmentService(deps),
    /**
     * What keeps responsibility moving by itself (one replica, on the sweep's lease): 通报/约谈 of
     * overdue list items, sessions a crash left half-applied, and warnings grids left unacknowledged.
     */
    async sweepResponsibilities(): Promise<number> {
      const listSteps = await departments.escalateOverdueLists();
      countEscalations('list_items', 'notice_or_interview', listSteps);
      const sessions = await committees.completePendingSessions();
      const warnings = await committees.announceUnacknowledgedWarnings();
      countEscalations('fire_warnings', 'acknowledgement_overdue', warnings);
      return listSteps + sessions + warnings;
    },
  };
}

export type RegistryService = ReturnType<typeof registryService>;
