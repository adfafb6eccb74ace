import { complianceService } from './compliance.ts';
import type { PeopleDeps } from './people-deps.ts';
import { peopleService } from './people.ts';
import { requirementService } from './requirements.ts';
import { xapiService } from './xapi.ts';

/**
 * The people area's services wired together: registering a person and applying a learning record
 * recompute the coverage of the units concerned (and announce it when it changed).
 */
export function peopleServices(deps: PeopleDeps) {
  // Compliance reads people, and registering people recomputes compliance: bound after both exist.
  const hooks = { unitsChanged: (_unitIds: readonly string[]): Promise<unknown> => Promise.resolve() };
  const people = peopleService({ ...deps, unitsChanged: (ids) => hooks.unitsChanged(ids) });
  const requirements = requirementService(deps);
  const compliance = complianceService({ ...deps, people, requirements });
  hooks.unitsChanged = (ids) => compliance.recompute(ids);
  const xapi = xapiService({ ...deps, people, compliance });
  return { people, requirements, compliance, xapi };
}

export type PeopleServices = ReturnType<typeof peopleServices>;
