import type { Identity } from '@firegov/auth';
import { divisionScope } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { collectionOf, forbidden, fromDomain, newId, notFound, validationFailed } from '@firegov/kit';
import { delegatedMeasures, grantDelegation, revokeDelegation } from '../domain/delegations.ts';
import type { DelegationDoc } from '../store/models.ts';
import { assertCan, scopeCode, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';

/** The enforcement powers a caller holds on a record: its own (county, brigade) or a township's delegated ones. */
export type EnforcementPower =
  { kind: 'own' } | { kind: 'delegated'; townshipCode: string; measures: Set<string>; delegationIds: string[] };

/** 委托/赋权执法: the county grants and revokes; a township officer enforces while a delegation is in force. */
export function delegationService(deps: InspectionsDeps) {
  const { delegations, jurisdictions } = deps.models;
  const collection = collectionOf(delegations);

  return {
    async grant(identity: Identity, raw: unknown): Promise<DelegationDoc> {
      const now = deps.now();
      const state = fromDomain(() => grantDelegation(raw, { now, actor: identity.subject }));
      const scope = divisionScope(state.townshipCode);
      // Only the county delegates its powers (the fire brigade enforces, it does not delegate).
      if (identity.role !== 'county_admin') throw forbidden(`role ${identity.role} may not delegate enforcement`);
      assertCan(identity, 'enforce', scope);
      const township = await jurisdictions.findById(state.townshipCode).lean();
      if (township?.level !== 'township') {
        throw validationFailed([{ path: '$.townshipCode', reason: `${state.townshipCode} is not a registered township` }]);
      }
      const doc: DelegationDoc = { _id: newId('dg', now.getTime()), ...state, scope };
      await collection.insertOne(doc);
      return doc;
    },

    async revoke(identity: Identity, id: string): Promise<DelegationDoc> {
      return withDocumentLock(collection.collectionName, id, async () => {
        const doc = await delegations.findById(id).lean<DelegationDoc>();
        if (!doc || !visible(identity, doc.scope)) throw notFound(`delegation ${id}`);
        if (identity.role !== 'county_admin') throw forbidden(`role ${identity.role} may not revoke a delegation`);
        const next = fromDomain(() => revokeDelegation(doc, { now: deps.now(), actor: identity.subject }));
        await collection.updateOne({ _id: id }, { $set: { revokedAt: next.revokedAt, revokedBy: next.revokedBy } });
        return next;
      });
    },

    async list(identity: Identity, jurisdictionCode?: string | null): Promise<DelegationDoc[]> {
      const scope = scopeCode(identity, jurisdictionCode);
      return delegations.find({ scope }).sort({ _id: -1 }).limit(200).lean<DelegationDoc[]>();
    },

    /**
     * What the caller may do to an enforcement record under `scope`, now: the county's and the
     * brigade's own powers, or a township officer's delegated measures there. FORBIDDEN otherwise.
     */
    async powerOver(identity: Identity, scope: readonly string[]): Promise<EnforcementPower> {
      if (identity.role !== 'township_officer') {
        assertCan(identity, 'enforce', scope);
        return { kind: 'own' };
      }
      if (!scope.includes(identity.jurisdiction))
        throw forbidden(`the record is outside your jurisdiction ${identity.jurisdiction}`);
      const now = deps.now();
      const held = await delegations.find({ townshipCode: identity.jurisdiction }).lean<DelegationDoc[]>();
      const measures = delegatedMeasures(held, identity.jurisdiction, now);
      if (measures.size === 0) {
        throw forbidden(`township ${identity.jurisdiction} holds no enforcement delegation (委托执法) in force`);
      }
      const inForce = held.filter((d) => delegatedMeasures([d], identity.jurisdiction, now).size > 0).map((d) => d._id);
      return { kind: 'delegated', townshipCode: identity.jurisdiction, measures, delegationIds: inForce };
    },
  };
}

export type DelegationService = ReturnType<typeof delegationService>;
