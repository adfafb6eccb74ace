import type { Identity } from '@firegov/auth';
import { forbidden } from '@firegov/kit';
import type { AssessmentDoc } from '../store/models.ts';

// Which county roles do what here. Agencies themselves call as role `agency` (the subgraph) or with
// their own OAuth clients (the push API, see tokens.ts).

/** Register and manage agencies, their engineers, contracts and API clients. */
export const ADMINS = ['county_admin'];
/** Read agencies (within their county). */
export const READERS = ['county_admin', 'township_officer', 'fire_brigade', 'department_officer'];
/** Record the re-inspection (抽查) of a sampled assessment. */
export const AUDITORS = ['county_admin', 'township_officer', 'fire_brigade'];
const GOVERNMENT = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];

export function requireRole(identity: Identity, roles: readonly string[]): void {
  if (!roles.includes(identity.role)) throw forbidden(`role ${identity.role} may not do this`);
}

export const isGovernment = (identity: Identity): boolean => GOVERNMENT.includes(identity.role);

/** Who sees an assessment: government users within their jurisdiction, and the agency that made it. */
export const canSee = (identity: Identity, doc: Pick<AssessmentDoc, 'agencyId' | 'scope'>): boolean =>
  identity.role === 'agency'
    ? identity.agencyId === doc.agencyId
    : isGovernment(identity) && doc.scope.includes(identity.jurisdiction);
