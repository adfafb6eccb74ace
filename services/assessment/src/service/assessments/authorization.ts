import { AppError, fromDomain } from '@firegov/kit';
import type { UnitRef } from '../../domain/inputs.ts';
import { authorizePush } from '../../domain/push-authorization.ts';
import type { AgencyDoc, SubmissionBody, UnitRefDoc } from '../../store/models.ts';
import type { AgencyCache } from '../agency-cache.ts';
import type { UnitLookup } from './units.ts';

type Dated = Pick<SubmissionBody, 'assessedOn' | 'engineerLicence'>;

/**
 * The agency's scope for a push: loads the agency and the unit and applies the push rule
 * (domain/push-authorization.ts). A refusal is 403 with the reason and the field; nothing is stored.
 */
export function pushScope(agencies: AgencyCache, units: UnitLookup) {
  return {
    /** A new submission: the unit as the agency named it, which must be active in the registry. */
    async forSubmission(agencyId: string, unitRef: UnitRef, body: Dated): Promise<{ agency: AgencyDoc; unit: UnitRefDoc }> {
      const agency = await agencies.get(agencyId);
      if (!agency) throw new AppError('UNAUTHENTICATED', 'unknown agency');
      const unit = await units.resolve(unitRef);
      fromDomain(() => authorizePush(agency, unit, body));
      return { agency, unit };
    },

    /** An amendment: the assessment's own unit, and the agency's contracts and engineers as they are now. */
    async forAmendment(agencyId: string, unitId: string, body: Dated): Promise<AgencyDoc> {
      const agency = await agencies.get(agencyId);
      const unit = await units.registered(unitId);
      if (!agency || !unit) throw new AppError('CONFLICT', 'the agency or unit is no longer registered');
      fromDomain(() => authorizePush(agency, unit, body));
      return agency;
    },
  };
}

export type PushScope = ReturnType<typeof pushScope>;
