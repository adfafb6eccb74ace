import { definePolicy, type PolicyEntry } from '@firegov/service';
import type { Role } from '@firegov/auth';

// Who may call each root field of the inspections subgraph. The roles mirror service/access.ts
// (READERS and ACTIONS); the services still check that each record (a unit, a hazard, a case)
// lies in the caller's jurisdiction. Lists naming a `jurisdictionCode` refuse one outside the
// caller's (scopeCode), which the gate now checks first: `within`.

/**
 * People of the county's fire-safety organisation read inspections, hazards and cases. Outside
 * parties (agencies, device gateways, the learning platform) have no flow here: agencies push
 * assessments to assessment, gateways readings to sensors, the platform xAPI to training.
 */
const READERS: Role[] = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];
const scopedList: PolicyEntry = { roles: READERS, relation: [{ arg: 'jurisdictionCode', relation: 'within' }] };
const action = (roles: Role[], note?: string): PolicyEntry => ({ roles, relation: 'data', ...(note ? { note } : {}) });
/** 执法: the county and the brigade by their own powers, a township officer under a delegation in force (委托执法). */
const ENFORCERS: Role[] = ['county_admin', 'township_officer', 'fire_brigade'];
const INCIDENT: Role[] = ['county_admin', 'township_officer', 'fire_brigade'];
const TRIAGE: Role[] = ['county_admin', 'township_officer'];
const visibleOrNull = 'A record outside the caller’s jurisdiction reads as null.';

export const inspectionsPolicy = definePolicy({
  'Query._entities': action(READERS, 'Units’ hazards and inspections: out-of-scope units read as empty.'),
  'Query.hazard': action(READERS, visibleOrNull),
  'Query.inspection': action(READERS, visibleOrNull),
  'Query.citizenReport': action(READERS, visibleOrNull),
  'Query.campaigns': action(READERS, 'Campaigns of the caller’s jurisdiction and those above it.'),
  'Query.majorHazardFactors': {
    roles: [],
    relation: 'public',
    note: 'The GB 35181 factor catalogue of an edition: a national standard’s table, naming no place or person.',
  },
  'Query.inspectionIntervals': action(READERS),
  'Query.hazardQueue': scopedList,
  'Query.inspectionsDue': scopedList,
  'Query.hazardStatistics': scopedList,
  'Query.campaignStatistics': scopedList,
  'Query.citizenReports': scopedList,
  'Query.clearToZero': scopedList,
  'Query.enforcementCases': scopedList,
  'Query.enforcementDelegations': scopedList,
  'Query.fireIncidents': scopedList,

  'Mutation.recordInspection': action(READERS),
  'Mutation.recordHazard': action(READERS),
  'Mutation.issueRectificationOrder': action(['county_admin', 'township_officer', 'department_officer', 'fire_brigade']),
  'Mutation.reportRectified': action(['county_admin', 'township_officer', 'village_grid_manager', 'department_officer']),
  'Mutation.reinspectHazard': action(['county_admin', 'township_officer', 'department_officer', 'fire_brigade']),
  'Mutation.determineHazardGrade': action(
    ['county_admin', 'township_officer', 'fire_brigade'],
    'GB 35181 major-hazard determination.',
  ),
  'Mutation.dismissHazard': action(['county_admin', 'township_officer', 'fire_brigade']),
  'Mutation.recordWarningInterview': action(['county_admin', 'township_officer'], '警示约谈 of an overdue hazard.'),
  'Mutation.triageCitizenReport': action(TRIAGE),
  'Mutation.recordReportRewardPaid': action(TRIAGE),
  'Mutation.openEnforcementCase': action(
    ENFORCERS,
    'A township officer only under a delegation in force (checked by the service).',
  ),
  'Mutation.decideEnforcementCase': action(ENFORCERS, 'A township officer only for the delegated measures.'),
  'Mutation.closeEnforcementCase': action(ENFORCERS),
  'Mutation.grantEnforcementDelegation': action(
    ['county_admin'],
    'Only the county delegates its powers; the brigade enforces, it does not delegate.',
  ),
  'Mutation.revokeEnforcementDelegation': action(['county_admin']),
  'Mutation.recordFireIncident': action(INCIDENT),
  'Mutation.startIncidentInvestigation': action(INCIDENT),
  'Mutation.concludeIncidentInvestigation': action(INCIDENT),
  'Mutation.assessIncidentRectification': action(INCIDENT),
  'Mutation.reportFireIncidentUpward': action(INCIDENT),
  'Mutation.closeFireIncident': action(INCIDENT),
  'Mutation.defineCampaign': action(['county_admin', 'township_officer'], '专项行动 are set by the county or a township.'),
  'Mutation.setInspectionIntervals': action(
    ['county_admin'],
    'The county’s intervals; the service also requires a county jurisdiction.',
  ),
});
