import { isWithinDivision, notPermitted } from '@firegov/contracts';

// Who may push an assessment of a unit: the rule behind every 403 of the push API. Pure, over the
// few fields it reads, so it can be checked without a store.

interface Dated {
  validFrom: string;
  validUntil: string;
}

/** What the rule reads of an agency: its status, its contracts and its registered engineers. */
export interface PushingAgency {
  status: string;
  statusReason?: string;
  contracts: ReadonlyArray<Dated & { unitIds: readonly string[]; jurisdictionCodes: readonly string[] }>;
  engineers: ReadonlyArray<Dated & { licenceNo: string }>;
}

/** The unit assessed: its id and the division codes it lies in. */
export interface AssessedUnit {
  _id: string;
  scope: readonly string[];
}

const inForceOn = (period: Dated, day: string): boolean => period.validFrom <= day && day <= period.validUntil;

/**
 * The agency may assess the unit on that date: it is active, a contract covering the unit (by id or
 * by jurisdiction) is in force on the assessment date, and the engineer is its own, licensed that day.
 * Otherwise FORBIDDEN, with the reason and the field it concerns.
 */
export function authorizePush(
  agency: PushingAgency,
  unit: AssessedUnit,
  body: { assessedOn: string; engineerLicence: string },
): void {
  if (agency.status !== 'active')
    throw notPermitted(`agency is ${agency.status}${agency.statusReason ? `: ${agency.statusReason}` : ''}`);
  const day = body.assessedOn;
  const covering = agency.contracts.filter(
    (c) => c.unitIds.includes(unit._id) || c.jurisdictionCodes.some((code) => unit.scope.some((s) => isWithinDivision(s, code))),
  );
  if (covering.length === 0) throw notPermitted(`no contract covers unit ${unit._id}`, '$.unit');
  if (!covering.some((c) => inForceOn(c, day))) {
    throw notPermitted(`no contract covering unit ${unit._id} is in force on ${day}`, '$.assessedOn');
  }
  const engineer = agency.engineers.find((e) => e.licenceNo === body.engineerLicence);
  if (!engineer) throw notPermitted(`engineer ${body.engineerLicence} is not registered with this agency`, '$.engineerLicence');
  if (!inForceOn(engineer, day)) {
    throw notPermitted(`the licence of engineer ${body.engineerLicence} is not valid on ${day}`, '$.engineerLicence');
  }
}
