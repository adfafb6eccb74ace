import { definePolicy, type PolicyEntry } from '@firegov/service';
import type { Role } from '@firegov/auth';

// Who may call each root field of the entities subgraph (the registry). The roles mirror
// service/access.ts (READERS, WRITERS): the gate refuses the others before a resolver runs, and
// the services still confine every read and write to the caller's jurisdiction from the records
// themselves (a unit's village, a household's village, a committee's division) — hence `data`.
// Lists that take a `jurisdictionCode` answer nothing outside the caller's jurisdiction rather
// than refusing, so they stay `data` too.

/** People of the county's fire-safety organisation; outside parties do not read the registry. */
const READERS: Role[] = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];
/** Those who register units, households, fire teams and committees (村/居 upwards). */
const KEEPERS: Role[] = ['county_admin', 'township_officer', 'village_grid_manager'];
/** Departments' responsibility and task lists (责任清单/任务清单) are kept by townships and the county. */
const DEPARTMENT_KEEPERS: Role[] = ['county_admin', 'township_officer'];

const read: PolicyEntry = { roles: READERS, relation: 'data' };
const keep: PolicyEntry = { roles: KEEPERS, relation: 'data' };

export const entitiesPolicy = definePolicy({
  'Query._entities': {
    roles: READERS,
    relation: 'data',
    note: 'Units and households other subgraphs name; each reference is read with the caller’s jurisdiction.',
  },
  'Query.unit': read,
  'Query.units': read,
  'Query.households': read,
  'Query.jurisdictionTree': read,
  'Query.villageSummaries': read,
  'Query.fireTeams': read,
  'Query.fireForceReadiness': read,
  'Query.fireForceReadinessPolicy': read,
  'Query.departments': read,
  'Query.committees': read,
  'Query.fireWarnings': read,
  'Query.dutyAssessments': read,
  'Query.personalDataReads': {
    roles: ['county_admin'],
    relation: 'data',
    note: '个人信息查询记录: the county’s audit trail, of readers inside the caller’s jurisdiction only.',
  },

  'Mutation.registerUnit': keep,
  'Mutation.updateUnit': keep,
  'Mutation.deregisterUnit': keep,
  'Mutation.registerHousehold': keep,
  'Mutation.updateHousehold': keep,
  'Mutation.registerFireTeam': keep,
  'Mutation.updateFireTeam': keep,
  'Mutation.recordFireTeamCallOut': keep,
  'Mutation.setFireForceReadinessPolicy': {
    roles: ['county_admin'],
    relation: 'data',
    note: 'The county’s readiness targets; the service also requires the admin’s jurisdiction to be a county.',
  },
  'Mutation.registerDepartment': { roles: DEPARTMENT_KEEPERS, relation: 'data' },
  'Mutation.updateDepartment': { roles: DEPARTMENT_KEEPERS, relation: 'data' },
  'Mutation.setListItemStatus': { roles: DEPARTMENT_KEEPERS, relation: 'data' },
  'Mutation.recordListInterview': { roles: DEPARTMENT_KEEPERS, relation: 'data' },
  'Mutation.registerCommittee': {
    ...keep,
    note: '消安委: a township’s committee is kept by the township, a village’s by the village.',
  },
  'Mutation.updateCommittee': keep,
  'Mutation.recordCommitteeSession': keep,
  'Mutation.issueFireWarning': {
    roles: ['county_admin', 'township_officer'],
    relation: 'data',
    note: '预警提示 go down from the county or a township’s committee office.',
  },
  'Mutation.acknowledgeFireWarning': {
    roles: ['village_grid_manager'],
    relation: 'data',
    note: 'Only the grid’s own manager confirms that the grid received a warning.',
  },
  'Mutation.registerJurisdiction': { roles: ['county_admin'], relation: 'data' },
});
