import { inScope, type Identity } from '@firegov/auth';
import { forbidden, unauthenticated } from '@firegov/kit';

/**
 * Who may do what. Villages screen and record; departments verify in their sector; townships and
 * the county order rectification, re-inspect, escalate and enforce; the fire brigade supervises
 * (明查暗访, enforcement). Everyone with a user role reads within their jurisdiction.
 */
const ACTIONS = {
  inspect: ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'],
  recordHazard: ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'],
  order: ['county_admin', 'township_officer', 'department_officer', 'fire_brigade'],
  reportRectified: ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer'],
  reinspect: ['county_admin', 'township_officer', 'department_officer', 'fire_brigade'],
  determine: ['county_admin', 'township_officer', 'fire_brigade'],
  dismiss: ['county_admin', 'township_officer', 'fire_brigade'],
  interview: ['county_admin', 'township_officer'],
  triage: ['county_admin', 'township_officer'],
  enforce: ['county_admin', 'fire_brigade'],
  incident: ['county_admin', 'township_officer', 'fire_brigade'],
  campaign: ['county_admin', 'township_officer'],
} as const satisfies Record<string, readonly string[]>;

const READERS = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];

export type Action = keyof typeof ACTIONS;

export function requireIdentity(identity: Identity | undefined): Identity {
  if (!identity) throw unauthenticated('a valid bearer token is required');
  return identity;
}

export function assertCanRead(identity: Identity): void {
  if (!READERS.includes(identity.role)) throw forbidden(`role ${identity.role} may not read inspections`);
}

/** Right role for the action, and the record's place inside the caller's jurisdiction. */
export function assertCan(identity: Identity, action: Action, scope: readonly string[]): void {
  if (!(ACTIONS[action] as readonly string[]).includes(identity.role)) {
    throw forbidden(`role ${identity.role} may not ${action.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`);
  }
  if (!scope.includes(identity.jurisdiction)) {
    throw forbidden(`the record is outside your jurisdiction ${identity.jurisdiction}`);
  }
}

/** Reads that name a jurisdiction must stay inside the caller's; no argument means the caller's own. */
export function scopeCode(identity: Identity, requested: string | null | undefined): string {
  assertCanRead(identity);
  if (!requested) return identity.jurisdiction;
  if (!inScope(identity, requested)) {
    throw forbidden(`${requested} is outside your jurisdiction ${identity.jurisdiction}`);
  }
  return requested;
}

/** Out-of-scope records are absent, not forbidden: their existence is not disclosed. */
export const visible = (identity: Identity, scope: readonly string[]): boolean =>
  READERS.includes(identity.role) && scope.includes(identity.jurisdiction);
