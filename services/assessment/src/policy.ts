import { definePolicy, rolesExcept, type PolicyEntry } from '@firegov/service';

// Who may call each root field of the assessment subgraph. The roles mirror service/access.ts
// (ADMINS, READERS, AUDITORS); an agency sees its own agency and its own assessments, government
// users those of their jurisdiction (canSee, visible), and anyone else reads null or nothing.

const EVERYONE = rolesExcept();
const admin: PolicyEntry = { roles: ['county_admin'], relation: 'data' };

export const assessmentPolicy = definePolicy({
  'Query._entities': { roles: EVERYONE, relation: 'data', note: 'Units’ latest assessment, as `assessment` sees it.' },
  'Query.agencies': {
    roles: ['county_admin', 'township_officer', 'department_officer', 'fire_brigade', 'agency'],
    relation: 'data',
    note: 'An agency lists only itself.',
  },
  'Query.agency': {
    roles: EVERYONE,
    relation: 'data',
    note: 'An agency other than the caller’s, or outside its jurisdiction, reads as null.',
  },
  'Query.assessment': {
    roles: EVERYONE,
    relation: 'data',
    note: 'The agency that made it, or government users of its place; null otherwise.',
  },
  'Query.auditQueue': { roles: EVERYONE, relation: 'data', note: '抽查 queue: empty for anyone but government users.' },

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
