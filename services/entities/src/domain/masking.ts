import { maskMobile, maskResidentId } from '@firegov/contracts';

// Views take a plain flag rather than a role so this stays independent of how roles are defined.

export interface MaskablePerson {
  // Listed so that any named person matches, even one (a child) stored without phone or ID.
  name?: string;
  phone?: string | null;
  idNumber?: string | null;
}

/** A copy of `person` with phone and ID number masked when the viewer may not see personal data. */
export function maskPerson<P extends MaskablePerson>(person: P, canSeePersonalData: boolean): P {
  const copy = { ...person };
  if (canSeePersonalData) return copy;
  if (typeof copy.phone === 'string') copy.phone = maskMobile(copy.phone);
  if (typeof copy.idNumber === 'string') copy.idNumber = maskResidentId(copy.idNumber);
  return copy;
}

function maskOptional<P extends MaskablePerson>(person: P | null | undefined, canSee: boolean): P | null | undefined {
  return person === null || person === undefined ? person : maskPerson(person, canSee);
}

export function maskUnit<U extends { responsiblePerson: MaskablePerson; manager?: MaskablePerson | null }>(
  unit: U,
  canSeePersonalData: boolean,
): U {
  const copy = { ...unit, responsiblePerson: maskPerson(unit.responsiblePerson, canSeePersonalData) };
  if ('manager' in unit) copy.manager = maskOptional(unit.manager, canSeePersonalData);
  return copy;
}

export function maskHousehold<H extends { members: readonly MaskablePerson[]; helper?: MaskablePerson | null }>(
  household: H,
  canSeePersonalData: boolean,
): H {
  const copy = { ...household, members: household.members.map((member) => maskPerson(member, canSeePersonalData)) };
  if ('helper' in household) copy.helper = maskOptional(household.helper, canSeePersonalData);
  return copy;
}

export function maskFireTeam<T extends { members: readonly MaskablePerson[] }>(team: T, canSeePersonalData: boolean): T {
  return { ...team, members: team.members.map((member) => maskPerson(member, canSeePersonalData)) };
}
