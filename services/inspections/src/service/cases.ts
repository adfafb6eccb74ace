import type { Identity } from '@firegov/auth';
import { caseTopic } from '@firegov/contracts';
import { newOutbox, outboxEntry, withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { AppError, newId } from '@firegov/kit';
import {
  closeCase,
  closeIncident,
  concludeInvestigation,
  decideCase,
  openCase,
  recordIncident,
  startInvestigation,
} from '../domain/cases.ts';
import type { EnforcementDoc, HazardDoc, IncidentDoc } from '../store/models.ts';
import { assertCan, scopeCode, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import { fromDomain } from './errors.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

const enforcementEntry = (doc: EnforcementDoc): OutboxEntry =>
  outboxEntry(caseTopic, 'inspections', {
    type: 'inspections.enforcement.changed',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      unitId: doc.unitId,
      hazardId: doc.hazardId,
      status: doc.status,
      measures: doc.measures,
      ...(doc.fineYuan !== undefined ? { fineYuan: doc.fineYuan } : {}),
    },
  });

const incidentEntry = (doc: IncidentDoc): OutboxEntry =>
  outboxEntry(caseTopic, 'inspections', {
    type: 'inspections.incident.changed',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      unitId: doc.unitId,
      villageCode: doc.unit.villageCode,
      status: doc.status,
      severity: doc.severity,
      occurredAt: doc.occurredAt,
      deaths: doc.deaths,
      injuries: doc.injuries,
    },
  });

/** 执法 (enforcement cases opened from hazards) and 事故调查 (incidents, investigations, accountability). */
export function caseService(deps: InspectionsDeps) {
  const { enforcement, incidents, hazards } = deps.models;

  async function updateEnforcement(identity: Identity, id: string, step: (doc: EnforcementDoc, now: Date) => EnforcementDoc) {
    return withDocumentLock(enforcement.collection.collectionName, id, async () => {
      const doc = await enforcement.findById(id).select({ outbox: 0 }).lean<EnforcementDoc>();
      if (!doc || !visible(identity, doc.scope)) throw new AppError('NOT_FOUND', `enforcement case ${id} not found`);
      assertCan(identity, 'enforce', doc.scope);
      const next = fromDomain(() => step(doc, deps.now()));
      const { _id, ...rest } = next;
      await enforcement.collection.updateOne(
        { _id } as never,
        withOutbox<Record<string, unknown>>({ $set: rest }, [enforcementEntry(next)]),
      );
      deps.relay.kick(enforcement.collection, [id]);
      return next;
    });
  }

  async function updateIncident(identity: Identity, id: string, step: (doc: IncidentDoc, now: Date) => IncidentDoc) {
    return withDocumentLock(incidents.collection.collectionName, id, async () => {
      const doc = await incidents.findById(id).select({ outbox: 0 }).lean<IncidentDoc>();
      if (!doc || !visible(identity, doc.scope)) throw new AppError('NOT_FOUND', `incident ${id} not found`);
      assertCan(identity, 'incident', doc.scope);
      const next = fromDomain(() => step(doc, deps.now()));
      const { _id, ...rest } = next;
      await incidents.collection.updateOne(
        { _id } as never,
        withOutbox<Record<string, unknown>>({ $set: rest }, [incidentEntry(next)]),
      );
      deps.relay.kick(incidents.collection, [id]);
      return next;
    });
  }

  return {
    async openEnforcement(identity: Identity, hazardId: string, basis: string): Promise<EnforcementDoc> {
      const hazard = await hazards
        .findById(hazardId)
        .select({ unitId: 1, scope: 1 })
        .lean<Pick<HazardDoc, '_id' | 'unitId' | 'scope'>>();
      if (!hazard || !visible(identity, hazard.scope)) {
        throw new AppError('VALIDATION_FAILED', 'unknown hazard', {
          details: [{ path: '$.hazardId', reason: `no hazard ${hazardId} within your jurisdiction` }],
        });
      }
      assertCan(identity, 'enforce', hazard.scope);
      const now = deps.now();
      const state = fromDomain(() => openCase({ hazardId, unitId: hazard.unitId, basis }, { now, actor: identity.subject }));
      const doc: EnforcementDoc = { _id: newId('ec', now.getTime()), ...state, scope: hazard.scope };
      await enforcement.collection.insertOne({ ...doc, ...newOutbox([enforcementEntry(doc)]) } as never);
      deps.relay.kick(enforcement.collection, [doc._id]);
      return doc;
    },
    decideEnforcement: (identity: Identity, id: string, decision: unknown) =>
      updateEnforcement(identity, id, (doc, now) =>
        decideCase(doc, { ...(decision as object), decidedBy: identity.subject }, now),
      ),
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
      await incidents.collection.insertOne({ ...doc, ...newOutbox([incidentEntry(doc)]) } as never);
      deps.relay.kick(incidents.collection, [doc._id]);
      return doc;
    },
    startInvestigation: (identity: Identity, id: string, leadBy: string) =>
      updateIncident(identity, id, (doc, now) => startInvestigation(doc, { leadBy }, now)),
    concludeInvestigation: (identity: Identity, id: string, conclusion: unknown) =>
      updateIncident(identity, id, (doc, now) => concludeInvestigation(doc, conclusion, now)),
    closeIncident: (identity: Identity, id: string) => updateIncident(identity, id, (doc, now) => closeIncident(doc, now)),
    async incidents(identity: Identity, args: { jurisdictionCode?: string | null }) {
      const scope = scopeCode(identity, args.jurisdictionCode);
      return incidents.find({ scope }).select({ outbox: 0 }).sort({ _id: -1 }).limit(200).lean<IncidentDoc[]>();
    },
  };
}

export type CaseService = ReturnType<typeof caseService>;
