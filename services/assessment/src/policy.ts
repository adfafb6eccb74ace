import { definePolicy, rolesExcept, type PolicyEntry } from '@firegov/service';

// Who may call each root field of the assessment subgraph. The roles mirror service/access.ts
// (ADMINS, READERS, AUDITORS); an agency sees its own agency and its own assessments, government
// users those of their jurisdiction (canSee, visible). Agencies push assessments with their own
// client credentials (the push API) and read their own record and results here; device gateways
// and the learning platform have no flow here.

/** Government users and the agency itself (the service keeps an agency to its own records). */
const WITH_AGENCY = rolesExcept('device_gateway', 'learning_platform');
/** The county's own organisation (access.ts isGovernment). */
const GOVERNMENT = rolesExcept('agency', 'device_gateway', 'learning_platform');
const admin: PolicyEntry = { roles: ['county_admin'], relation: 'data' };

export const assessmentPolicy = definePolicy({
  'Query._entities': {
    roles: WITH_AGENCY,
    relation: 'data',
    note: 'Units’ assessments, as `assessment` sees them: an agency’s own only.',
  },
  'Query.agencies': {
    roles: ['county_admin', 'township_officer', 'department_officer', 'fire_brigade', 'agency'],
    relation: 'data',
    note: 'An agency lists only itself.',
  },
  'Query.agency': {
    roles: WITH_AGENCY,
    relation: 'data',
    note: 'An agency other than the caller’s, or outside its jurisdiction, reads as null.',
  },
  'Query.assessment': {
    roles: WITH_AGENCY,
    relation: 'data',
    note: 'The agency that made it, or government users of its place; null otherwise.',
  },
  'Query.auditQueue': {
    roles: GOVERNMENT,
    relation: 'data',
    note: '抽查 queue of government users (isGovernment); an agency must not learn which of its assessments are sampled.',
  },

  'Mutation.registerAgency': admin,
  'Mutation.setAgencyStatus': admin,
  'Mutation.registerFireEngineer': admin,
  'Mutation.registerAgencyContract': admin,
  'Mutation.recordAgencyComplaint': { ...admin, note: '信用管理: complaints feed the agency’s credit score.' },
  'Mutation.createAgencyApiClient': admin,
  'Mutation.rotateAgencyClientSecret': admin,
  'Mutation.revokeAgencyApiClient': admin,
  'Mutation.recordAssessmentAudit': {
    roles: ['county_admin', 'township_officer', 'fire_brigade'],
    relation: 'data',
    note: 'The re-inspection (抽查) of a sampled assessment.',
  },
});
