import type { Identity } from '@firegov/auth';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { DomainError } from '@firegov/contracts';
import { collectionOf, fromDomain, newId, notFound, validationFailed } from '@firegov/kit';
import {
  assessRectification,
  closeCase,
  closeIncident,
  concludeInvestigation,
  decideCase,
  notifyUpward,
  openCase,
  recordIncident,
  startInvestigation,
} from '../domain/cases.ts';
import { enforcementChanged, incidentChanged } from '../events/outbound.ts';
import type { EnforcementDoc, HazardDoc, IncidentDoc } from '../store/models.ts';
import { assertCan, scopeCode, visible } from './access.ts';
import type { DelegationService, EnforcementPower } from './delegations.ts';
import type { InspectionsDeps } from './deps.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

interface CaseSteps<D extends { _id: string; scope: string[] }, A> {
  /** The collection's name: the key space of the in-process document lock. */
  lockName: string;
  /** How the record is named in NOT_FOUND. */
  label: string;
  /** Role and jurisdiction check, given the record; what it answers (a township's delegated power) reaches the step. */
  authorize: (identity: Identity, doc: D) => Promise<A> | A;
  read: (id: string) => Promise<D | null>;
  /** Stores the changed record with its event, in one write. */
  write: (next: D) => Promise<void>;
}

/** 执法 (enforcement cases opened from hazards) and 事故调查 (incidents, investigations, accountability). */
export function caseService(deps: InspectionsDeps, delegations: DelegationService) {
  const { enforcement, incidents, hazards } = deps.models;
  const enforcementCollection = collectionOf(enforcement);
  const incidentCollection = collectionOf(incidents);

  /** One step of a case: load it under its lock, authorize, apply the pure transition, write it with its event. */
  function stepper<D extends { _id: string; scope: string[] }, A>(kind: CaseSteps<D, A>) {
    return (identity: Identity, id: string, step: (doc: D, now: Date, authority: A) => D): Promise<D> =>
      withDocumentLock(kind.lockName, id, async () => {
        const doc = await kind.read(id);
        if (!doc || !visible(identity, doc.scope)) throw notFound(`${kind.label} ${id}`);
        const authority = await kind.authorize(identity, doc);
        const next = fromDomain(() => step(doc, deps.now(), authority));
        await kind.write(next);
        return next;
      });
  }

  const updateEnforcement = stepper<EnforcementDoc, EnforcementPower>({
    lockName: enforcementCollection.collectionName,
    label: 'enforcement case',
    authorize: (identity, doc) => delegations.powerOver(identity, doc.scope),
    read: (id) => enforcement.findById(id).select({ outbox: 0 }).lean<EnforcementDoc>().exec(),
    async write(next) {
      const { _id, ...rest } = next;
      await enforcementCollection.updateOne({ _id }, withOutbox({ $set: rest }, [enforcementChanged(next)]));
      deps.relay.kick(enforcement.collection, [_id]);
    },
  });
  const updateIncident = stepper<IncidentDoc, void>({
    lockName: incidentCollection.collectionName,
    label: 'incident',
    authorize: (identity, doc) => assertCan(identity, 'incident', doc.scope),
    read: (id) => incidents.findById(id).select({ outbox: 0 }).lean<IncidentDoc>().exec(),
    async write(next) {
      const { _id, ...rest } = next;
      await incidentCollection.updateOne({ _id }, withOutbox({ $set: rest }, [incidentChanged(next)]));
      deps.relay.kick(incidents.collection, [_id]);
    },
  });

  return {
    async openEnforcement(identity: Identity, hazardId: string, basis: string): Promise<EnforcementDoc> {
      const hazard = await hazards
        .findById(hazardId)
        .select({ unitId: 1, scope: 1 })
        .lean<Pick<HazardDoc, '_id' | 'unitId' | 'scope'>>();
      if (!hazard || !visible(identity, hazard.scope)) {
        throw validationFailed(
          [{ path: '$.hazardId', reason: `no hazard ${hazardId} within your jurisdiction` }],
          'unknown hazard',
        );
      }
      const power = await delegations.powerOver(identity, hazard.scope);
      const now = deps.now();
      const state = fromDomain(() => openCase({ hazardId, unitId: hazard.unitId, basis }, { now, actor: identity.subject }));
      const authority: EnforcementDoc['authority'] =
        power.kind === 'own'
          ? { kind: 'own' }
          : { kind: 'delegated', townshipCode: power.townshipCode, delegationIds: power.delegationIds };
      const doc: EnforcementDoc = { _id: newId('ec', now.getTime()), ...state, scope: hazard.scope, authority };
      await enforcementCollection.insertOne({ ...doc, ...newOutbox([enforcementChanged(doc)]) });
      deps.relay.kick(enforcement.collection, [doc._id]);
      return doc;
    },
    decideEnforcement(identity: Identity, id: string, decision: unknown) {
      // A township decides only the measures its delegations in force grant it.
      return updateEnforcement(identity, id, (doc, now, power) => {
        const next = decideCase(doc, { ...(decision as object), decidedBy: identity.subject }, now);
        const beyond = power.kind === 'delegated' ? next.measures.filter((m) => !power.measures.has(m)) : [];
        if (beyond.length > 0) {
          throw new DomainError('FORBIDDEN', 'measures beyond the delegation', [
            { path: '$.measures', reason: `not delegated to township ${identity.jurisdiction}: ${beyond.join(', ')}` },
          ]);
        }
        return next;
      });
    },
    closeEnforcement: (identity: Identity, id: string, outcome: string) =>
      updateEnforcement(identity, id, (doc, now) => closeCase(doc, { outcome }, now)),
    async enforcementCases(identity: Identity, args: { jurisdictionCode?: string | null; status?: string | null }) {
      const scope = scopeCode(identity, args.jurisdictionCode);
      return enforcement
        .find({ scope, ...(args.status ? { status: args.status as EnforcementDoc['status'] } : {}) })
        .select({ outbox: 0 })
        .sort({ _id: -1 })
        .limit(200)
        .lean<EnforcementDoc[]>();
    },

    async recordIncident(identity: Identity, raw: unknown): Promise<IncidentDoc> {
      const now = deps.now();
      const state = fromDomain(() => recordIncident(raw, { now, actor: identity.subject }));
      const unit = await unitForWrite(deps.models, identity, state.unitId, 'incident');
      const doc = {
        _id: newId('fi', now.getTime()),
        ...state,
        unit: await unitAsItIs(deps.models, unit),
        scope: unit.scope,
      };
      await incidentCollection.insertOne({ ...doc, ...newOutbox([incidentChanged(doc)]) });
      deps.relay.kick(incidents.collection, [doc._id]);
      return doc;
    },
    startInvestigation: (identity: Identity, id: string, leadBy: string) =>
      updateIncident(identity, id, (doc, now) => startInvestigation(doc, { leadBy }, now)),
    concludeInvestigation: (identity: Identity, id: string, conclusion: unknown) =>
      updateIncident(identity, id, (doc, now) => concludeInvestigation(doc, conclusion, now)),
    closeIncident: (identity: Identity, id: string) => updateIncident(identity, id, (doc, now) => closeIncident(doc, now)),
    notifyUpward: (identity: Identity, id: string, to: string) =>
      updateIncident(identity, id, (doc, now) => notifyUpward(doc, { to }, { now, actor: identity.subject })),
    assessRectification: (identity: Identity, id: string, findings: string) =>
      updateIncident(identity, id, (doc, now) => assessRectification(doc, { findings }, { now, actor: identity.subject })),
    async incidents(identity: Identity, args: { jurisdictionCode?: string | null }) {
      const scope = scopeCode(identity, args.jurisdictionCode);
      return incidents.find({ scope }).select({ outbox: 0 }).sort({ _id: -1 }).limit(200).lean<IncidentDoc[]>();
    },
  };
}

export type CaseService = ReturnType<typeof caseService>;
