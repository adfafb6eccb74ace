import { canSeePersonalData, isUserRole, type Identity, type Role } from '@firegov/auth';
import { divisionScope, maskMobile } from '@firegov/contracts';
import { forbidden, notFound, validationFailed } from '@firegov/kit';
import type { RegistryLookup } from '@firegov/registry';
import { type PersonRef } from '../domain/outreach-fields.ts';

// Who may read and write outreach records, where a record's scope comes from, and masking. Scope
// always comes from the registry (a unit's) or the record's village code, never from the caller.

const WRITERS: ReadonlySet<Role> = new Set<Role>(['county_admin', 'township_officer', 'village_grid_manager', 'fire_brigade']);
/** Volunteer hours are confirmed by township or county staff, in a separate step. */
const CONFIRMERS: ReadonlySet<Role> = new Set<Role>(['county_admin', 'township_officer']);

export function assertCanRead(who: Identity): void {
  if (!isUserRole(who.role)) throw forbidden('outreach records are for the county fire-safety organisation');
}

/** The caller may write a record scoped by `scope` (its own jurisdiction is one of the record's codes). */
export function assertCanWrite(who: Identity, scope: readonly string[], roles: ReadonlySet<Role> = WRITERS): void {
  if (!roles.has(who.role)) throw forbidden(`role ${who.role} may not record this`);
  if (!scope.includes(who.jurisdiction)) throw forbidden('the place is outside your jurisdiction');
}

export const assertCanConfirm = (who: Identity, scope: readonly string[]) => assertCanWrite(who, scope, CONFIRMERS);

/** A record the caller may see: out of scope reads as absent. */
export function visibleOr404<T extends { scope: string[] }>(who: Identity, doc: T | null, what: string): T {
  if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound(what);
  return doc;
}

export interface Place {
  villageCode: string;
  scope: string[];
  unitId?: string;
  unitName?: string;
}

/** Where a record happens: an active unit of the registry (its scope), else the village's codes. */
export async function placeOf(
  registry: RegistryLookup,
  at: { unitId?: string | undefined; villageCode?: string | undefined },
): Promise<Place> {
  if (at.unitId) {
    const unit = await registry.unit(at.unitId);
    if (!unit || unit.status !== 'active')
      throw validationFailed([{ path: '$.unitId', reason: 'is not an active unit of the registry' }]);
    return { villageCode: unit.villageCode, scope: unit.scope, unitId: unit._id, unitName: unit.name };
  }
  if (!at.villageCode) throw validationFailed([{ path: '$.villageCode', reason: 'is required when no unitId is given' }]);
  return { villageCode: at.villageCode, scope: divisionScope(at.villageCode) };
}

/** Phones are masked for roles that do not need them (as in entities); names stay readable. */
export const maskPerson = (who: Identity, p: PersonRef): PersonRef =>
  canSeePersonalData(who.role) || !p.phone ? p : { ...p, phone: maskMobile(p.phone) };

export const maskPhone = (who: Identity, phone: string): string => (canSeePersonalData(who.role) ? phone : maskMobile(phone));

/** Period filter on a `date` field, plus the caller's jurisdiction. */
export const inPeriod = (who: Identity, period: { from: string; to: string }) => ({
  scope: who.jurisdiction,
  date: { $gte: period.from, $lte: period.to },
});

export const NO_OUTBOX = { projection: { outbox: 0, outboxPending: 0, appliedEventIds: 0 } } as const;
