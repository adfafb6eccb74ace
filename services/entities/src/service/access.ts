import { inScope, type Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';

/** Who may change what in the registry; everyone with a user role may read within their jurisdiction. */
const WRITERS = {
  unit: ['county_admin', 'township_officer', 'village_grid_manager'],
  household: ['county_admin', 'township_officer', 'village_grid_manager'],
  fireTeam: ['county_admin', 'township_officer', 'village_grid_manager'],
  department: ['county_admin', 'township_officer'],
  // 消安委: a township's committee is kept by the township, a village's by the village.
  committee: ['county_admin', 'township_officer', 'village_grid_manager'],
  // 预警提示 go down from the county or a township's committee office.
  warning: ['county_admin', 'township_officer'],
  // Only the grid's own manager confirms that the grid received a warning.
  warningAcknowledgement: ['village_grid_manager'],
  jurisdiction: ['county_admin'],
} as const satisfies Record<string, readonly string[]>;

const READERS = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];

export type WritableKind = keyof typeof WRITERS;

export function requireIdentity(identity: Identity | undefined): Identity {
  if (!identity) throw new AppError('UNAUTHENTICATED', 'a valid bearer token is required');
  return identity;
}

export function assertCanRead(identity: Identity): void {
  if (!READERS.includes(identity.role)) throw new AppError('FORBIDDEN', `role ${identity.role} may not read the registry`);
}

/** The caller may write `kind` at `code`: right role, and `code` inside the caller's jurisdiction. */
export function assertCanWrite(identity: Identity, kind: WritableKind, code: string): void {
  if (!(WRITERS[kind] as readonly string[]).includes(identity.role)) {
    throw new AppError('FORBIDDEN', `role ${identity.role} may not change ${kind} records`);
  }
  if (!inScope(identity, code)) {
    throw new AppError('FORBIDDEN', `${code} is outside your jurisdiction ${identity.jurisdiction}`);
  }
}

/** The filter that confines any list query to the caller's jurisdiction, whatever else it asks. */
export function scopeFilter(identity: Identity): { scope: string } {
  return { scope: identity.jurisdiction };
}
