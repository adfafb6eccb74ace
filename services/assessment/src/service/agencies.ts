import { newApiClient, newClientSecret, overlapEnd, revokeApiClient, rotateApiClientSecret, type Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock } from '@firegov/events';
import { AppError, collectionOf, forbidden, fromDomain, isDuplicateKeyError, newId } from '@firegov/kit';
import { randomBytes } from 'node:crypto';
import { creditScore } from '../domain/credit.ts';
import { agencyInputSchema, agencyStatusInputSchema, contractInputSchema, engineerInputSchema } from '../domain/inputs.ts';
import type { AgencyDoc, CreditEventDoc } from '../store/models.ts';
import { ADMINS, READERS, requireRole } from './access.ts';
import type { AgencyCache } from './agency-cache.ts';
import type { AssessmentDeps } from './deps.ts';

/**
 * Agencies and what they may do: registration (county administrators), registered fire engineers
 * (注册消防工程师), contracts, API clients and their secrets, and credit (信用管理) from late and
 * rejected submissions, audit results and complaints. An agency caller sees only itself. The only
 * writer of the agencies collection: other services record credit through it.
 */
export function agencyService(deps: AssessmentDeps, cache: AgencyCache) {
  const { agencies } = deps.models;
  const collection = collectionOf(agencies);

  /** Out of scope or another agency's: absent. */
  function visible(identity: Identity, doc: AgencyDoc | null): doc is AgencyDoc {
    if (!doc) return false;
    if (identity.role === 'agency') return identity.agencyId === doc._id;
    return READERS.includes(identity.role) && doc.scope.includes(identity.jurisdiction.slice(0, 6) + '000000');
  }

  async function load(identity: Identity, id: string): Promise<AgencyDoc> {
    const doc = await agencies.findById(id).select({ outbox: 0 }).lean<AgencyDoc>();
    if (!visible(identity, doc)) throw new AppError('NOT_FOUND', `agency ${id} not found`);
    return doc;
  }

  /** Every agency write: read, change, write back under the version, forget the cached copy. */
  async function update(id: string, change: (doc: AgencyDoc) => AgencyDoc): Promise<AgencyDoc> {
    return withDocumentLock(collection.collectionName, id, async () => {
      const doc = await agencies.findById(id).select({ outbox: 0 }).lean<AgencyDoc>();
      if (!doc) throw new AppError('NOT_FOUND', `agency ${id} not found`);
      const next = { ...change(doc), version: doc.version + 1, updatedAt: deps.now().toISOString() };
      const { _id, ...rest } = next;
      const res = await collection.updateOne({ _id, version: doc.version }, { $set: rest });
      if (res.matchedCount === 0) throw new AppError('CONFLICT', `agency ${id} changed meanwhile; retry`);
      cache.forget(id);
      return next;
    });
  }

  /** Credit events are idempotent per (kind, ref): a retried rejection or a redelivered audit counts once. */
  async function addCreditEvent(agencyId: string, event: CreditEventDoc): Promise<void> {
    await update(agencyId, (doc) => {
      if (event.ref && doc.credit.some((e) => e.kind === event.kind && e.ref === event.ref)) return doc;
      const credit = [...doc.credit.slice(-999), event];
      const score = creditScore(credit, deps.now());
      // Below the line the agency stops pushing until the county reviews it (setAgencyStatus).
      if (score.suspendRecommended && doc.status === 'active') {
        return {
          ...doc,
          credit,
          status: 'suspended',
          statusReason: `信用分 ${score.score} 低于 60，自动暂停推送 (credit score below 60)`,
        };
      }
      return { ...doc, credit };
    });
  }

  const self = {
    async register(identity: Identity, raw: unknown): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      const input = fromDomain(() => parseInput(agencyInputSchema, raw));
      const now = deps.now().toISOString();
      const county = `${identity.jurisdiction.slice(0, 6)}000000`;
      const doc: AgencyDoc = {
        _id: newId('ag'),
        version: 1,
        name: input.name,
        creditCode: input.creditCode,
        qualification: input.qualification,
        status: 'active',
        countyCode: county,
        scope: [county],
        ...(input.contactPhone ? { contactPhone: input.contactPhone } : {}),
        engineers: [],
        contracts: [],
        clients: [],
        credit: [],
        createdAt: now,
        updatedAt: now,
      };
      try {
        await collection.insertOne({ ...doc, ...newOutbox([]) });
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw new AppError('CONFLICT', 'an agency with this credit code is registered', {
            details: [{ path: '$.creditCode', reason: 'already registered' }],
          });
        }
        throw err;
      }
      return doc;
    },

    byId: async (identity: Identity, id: string): Promise<AgencyDoc | null> => {
      const doc = await agencies.findById(id).select({ outbox: 0 }).lean<AgencyDoc>();
      return visible(identity, doc) ? doc : null;
    },

    async list(identity: Identity): Promise<AgencyDoc[]> {
      if (identity.role === 'agency') {
        const own = identity.agencyId ? await self.byId(identity, identity.agencyId) : null;
        return own ? [own] : [];
      }
      requireRole(identity, READERS);
      // Agencies are tens per county: one read of all, filtered by scope.
      const all = await agencies.find({}).select({ outbox: 0 }).lean<AgencyDoc[]>();
      return all.filter((a) => visible(identity, a));
    },

    async registerEngineer(identity: Identity, agencyId: string, raw: unknown): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      await load(identity, agencyId);
      const input = fromDomain(() => parseInput(engineerInputSchema, raw));
      return update(agencyId, (doc) => {
        if (doc.engineers.some((e) => e.licenceNo === input.licenceNo)) {
          throw new AppError('CONFLICT', 'engineer already registered', {
            details: [{ path: '$.licenceNo', reason: 'already registered with this agency' }],
          });
        }
        return { ...doc, engineers: [...doc.engineers, input] };
      });
    },

    async registerContract(identity: Identity, raw: unknown): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      const input = fromDomain(() => parseInput(contractInputSchema, raw));
      await load(identity, input.agencyId);
      const outside = (input.jurisdictionCodes ?? []).findIndex((c) => !c.startsWith(identity.jurisdiction.slice(0, 6)));
      if (outside >= 0) throw forbidden(`${input.jurisdictionCodes?.[outside]} is outside your county`);
      return update(input.agencyId, (doc) => ({
        ...doc,
        contracts: [
          ...doc.contracts,
          {
            id: newId('ct'),
            unitIds: input.unitIds ?? [],
            jurisdictionCodes: input.jurisdictionCodes ?? [],
            validFrom: input.validFrom,
            validUntil: input.validUntil,
            createdAt: deps.now().toISOString(),
          },
        ],
      }));
    },

    async setStatus(identity: Identity, agencyId: string, raw: unknown): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      await load(identity, agencyId);
      const input = fromDomain(() => parseInput(agencyStatusInputSchema, raw));
      return update(agencyId, (doc) => ({ ...doc, status: input.status, statusReason: input.reason }));
    },

    /** A new API client; its secret is returned once and only its scrypt hash is kept. */
    async createClient(
      identity: Identity,
      agencyId: string,
      label: string,
      /** Only for the demo loader, which must print a secret it can derive again. */
      fixed?: { clientId: string; clientSecret: string },
    ): Promise<{ clientId: string; clientSecret: string }> {
      requireRole(identity, ADMINS);
      await load(identity, agencyId);
      const { client, clientSecret } = newApiClient(agencyId, label, {
        now: deps.now(),
        secretId: newId('sk'),
        random: randomBytes,
        fixed,
      });
      await update(agencyId, (doc) => ({ ...doc, clients: [...doc.clients, client] }));
      return { clientId: client.clientId, clientSecret };
    },

    /** Rotation with an overlap: the old secret keeps working for `overlapHours`, so the agency can switch without downtime. */
    async rotateSecret(
      identity: Identity,
      clientId: string,
      overlapHours: number,
    ): Promise<{ clientId: string; clientSecret: string; oldSecretsValidUntil: string }> {
      requireRole(identity, ADMINS);
      const agencyId = clientId.split('.')[0] as string;
      await load(identity, agencyId);
      const clientSecret = newClientSecret(randomBytes);
      const now = deps.now();
      const secretId = newId('sk');
      await update(agencyId, (doc) => ({
        ...doc,
        clients: rotateApiClientSecret(doc.clients, clientId, { secret: clientSecret, secretId, now, overlapHours }),
      }));
      return { clientId, clientSecret, oldSecretsValidUntil: overlapEnd(now, overlapHours) };
    },

    async revokeClient(identity: Identity, clientId: string): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      const agencyId = clientId.split('.')[0] as string;
      await load(identity, agencyId);
      const now = deps.now();
      return update(agencyId, (doc) => ({ ...doc, clients: revokeApiClient(doc.clients, clientId, now) }));
    },

    /** 迟报: a submission later than allowed after its assessment date; counts once per assessment. */
    async recordLateSubmission(agencyId: string, assessmentId: string, assessedOn: string, submittedAt: string): Promise<void> {
      await addCreditEvent(agencyId, {
        kind: 'late_submission',
        at: submittedAt,
        ref: assessmentId,
        detail: `assessed ${assessedOn}, submitted ${submittedAt}`,
      });
    },

    /** A push refused as invalid or unauthorized; counts once per Idempotency-Key, however often it is retried. */
    async recordRejectedSubmission(agencyId: string, idempotencyKey: string, reason: string): Promise<void> {
      await addCreditEvent(agencyId, {
        kind: 'rejected_submission',
        at: deps.now().toISOString(),
        ref: `key:${idempotencyKey}`,
        detail: reason,
      });
    },

    /** The outcome of a re-inspection (抽查) of one of its assessments; counts once per assessment. */
    async recordAuditOutcome(
      agencyId: string,
      assessmentId: string,
      audit: { outcome: 'match' | 'mismatch'; recordedAt: string; explanation: string },
    ): Promise<void> {
      await addCreditEvent(agencyId, {
        kind: audit.outcome === 'match' ? 'audit_match' : 'audit_mismatch',
        at: audit.recordedAt,
        ref: assessmentId,
        detail: audit.explanation,
      });
    },

    credit(doc: AgencyDoc) {
      return creditScore(doc.credit, deps.now());
    },

    async recordComplaint(identity: Identity, agencyId: string, upheld: boolean, detail: string): Promise<AgencyDoc> {
      requireRole(identity, ADMINS);
      await load(identity, agencyId);
      await addCreditEvent(agencyId, {
        kind: upheld ? 'complaint_upheld' : 'complaint_dismissed',
        at: deps.now().toISOString(),
        ref: newId('cp'),
        detail: detail.slice(0, 500),
      });
      return load(identity, agencyId);
    },
  };
  return self;
}

export type AgencyService = ReturnType<typeof agencyService>;
