import type { Identity } from '@firegov/auth';
import { divisionScope, isWithinDivision, parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { AppError, collectionOf, conflict, fromDomain, newId, notFound, validationFailed } from '@firegov/kit';
import { randomBytes } from 'node:crypto';
import {
  followReport,
  hashToken,
  isWellFormedToken,
  newTrackingToken,
  receiveReport,
  recordRewardPaid,
  rewardEligibility,
  triageReport,
  triageRequestSchema,
  type TriageRequest,
} from '../domain/reports.ts';
import type { HazardGrade } from '../domain/hazard-state.ts';
import { reportReceived, reportTriaged } from '../events/outbound.ts';
import type { HazardDoc, ReportDoc } from '../store/models.ts';
import { assertCan, scopeCode, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import type { HazardService } from './hazards.ts';
import { unitForWrite } from './units.ts';

/** 举报投诉 / 吹哨人: public intake with a tracking token, staff triage, reward eligibility (有奖举报). */
export function reportService(deps: InspectionsDeps, hazards: HazardService) {
  const { reports } = deps.models;
  const collection = collectionOf(reports);

  async function jurisdictionFor(requested: string | undefined): Promise<string> {
    if (requested === undefined) return deps.homeJurisdiction;
    const bad = (reason: string) => validationFailed([{ path: '$.jurisdiction_id', reason }], 'invalid jurisdiction_id');
    if (!/^\d{12}$/.test(requested)) throw bad('must be a 12-digit division code');
    if (!isWithinDivision(requested, deps.homeJurisdiction))
      throw bad(`is not served here (this platform serves ${deps.homeJurisdiction})`);
    const known = await deps.models.jurisdictions.findById(requested).lean();
    if (!known && requested !== deps.homeJurisdiction) throw bad('is not a known township or village');
    return requested;
  }

  /** The hazard a report turns into, with the report's media as evidence. Validated in full first, so a refused hazard leaves the report untouched. */
  async function hazardOf(
    identity: Identity,
    report: ReportDoc,
    input: Extract<TriageRequest, { kind: 'to_hazard' }>['hazard'],
  ): Promise<{ id: string; grade: HazardGrade }> {
    const unit = await unitForWrite(deps.models, identity, input.unitId, 'recordHazard', '$.hazard.unitId');
    const { doc } = await hazards.create(unit, {
      unitId: input.unitId,
      source: 'citizen_report',
      sourceRef: { kind: 'citizen_report', id: report._id },
      title: input.title,
      description: input.description,
      ...(input.location ? { location: input.location } : {}),
      factorCodes: input.factorCodes,
      exclusions: input.exclusions,
      evidence: [...report.media, ...input.evidence],
      foundAt: report.receivedAt,
      foundBy: identity.subject,
    });
    return { id: doc._id, grade: doc.state.grade };
  }

  return {
    /** Public: anyone may report; only the token's holder can follow it. */
    async submit(raw: unknown, opts: { jurisdictionId?: string; clientKey: string }) {
      const now = deps.now();
      const report = fromDomain(() => receiveReport(raw, { now }));
      const jurisdictionCode = await jurisdictionFor(opts.jurisdictionId);
      const { token, hash } = newTrackingToken(randomBytes);
      const id = newId('rp', now.getTime());
      const doc: ReportDoc = {
        _id: id,
        tokenHash: hash,
        category: report.category,
        description: report.description,
        location: report.location,
        media: report.media,
        anonymous: report.anonymous,
        whistleblower: report.whistleblower,
        ...(report.contact ? { contact: report.contact } : {}),
        jurisdictionCode,
        scope: divisionScope(jurisdictionCode),
        status: 'received',
        notes: [...report.notes],
        receivedAt: report.receivedAt,
        // Kept for abuse review only (which address sent what); never shown to the public or in events.
        clientKey: opts.clientKey,
      };
      await collection.insertOne({ ...doc, ...newOutbox([reportReceived(doc)]) });
      deps.relay.kick(reports.collection, [id]);
      return { token, status: doc.status, id };
    },

    /** Public: status and notes, found by the token's hash. Nothing else about the report is returned. */
    async status(token: string) {
      if (!isWellFormedToken(token)) throw new AppError('NOT_FOUND', 'no report for this token');
      const doc = await reports.findOne({ tokenHash: hashToken(token) }).lean<ReportDoc>();
      if (!doc) throw new AppError('NOT_FOUND', 'no report for this token');
      // A report that became a hazard is followed through the hazard's rectification and closure.
      const hazard = doc.hazardId
        ? await deps.models.hazards
            .findById(doc.hazardId)
            .select({ state: 1, updatedAt: 1 })
            .lean<Pick<HazardDoc, 'state' | 'updatedAt'>>()
        : null;
      const followed = followReport(
        doc,
        hazard
          ? {
              status: hazard.state.status,
              ...(hazard.state.order ? { order: hazard.state.order } : {}),
              ...(hazard.state.rectifiedReportedAt ? { rectifiedReportedAt: hazard.state.rectifiedReportedAt } : {}),
              ...(hazard.state.closedAt ? { closedAt: hazard.state.closedAt } : {}),
              ...(hazard.state.status === 'dismissed' ? { dismissedAt: hazard.updatedAt } : {}),
            }
          : undefined,
      );
      return { token, service_code: doc.category, status: followed.status, notes: followed.notes };
    },

    async list(identity: Identity, args: { jurisdictionCode?: string | null; status?: string | null }): Promise<ReportDoc[]> {
      const scope = scopeCode(identity, args.jurisdictionCode);
      const filter: Record<string, unknown> = { scope };
      if (args.status) filter.status = args.status;
      return reports.find(filter).select({ outbox: 0, tokenHash: 0 }).sort({ _id: -1 }).limit(200).lean<ReportDoc[]>();
    },

    async byId(identity: Identity, id: string): Promise<ReportDoc | null> {
      const doc = await reports.findById(id).select({ outbox: 0, tokenHash: 0 }).lean<ReportDoc>();
      return doc && visible(identity, doc.scope) ? doc : null;
    },

    /** 举报奖励 paid to the reporter: recorded once, shown to them by amount. */
    async recordRewardPaid(identity: Identity, id: string, amountYuan: number): Promise<ReportDoc> {
      return withDocumentLock(collection.collectionName, id, async () => {
        const doc = await reports.findById(id).select({ outbox: 0, tokenHash: 0 }).lean<ReportDoc>();
        if (!doc || !visible(identity, doc.scope)) throw notFound(`report ${id}`);
        assertCan(identity, 'triage', doc.scope);
        const next = fromDomain(() => recordRewardPaid(doc, { amountYuan }, { now: deps.now(), actor: identity.subject }));
        await collection.updateOne({ _id: id }, { $set: { rewardPaid: next.rewardPaid, notes: next.notes } });
        return next;
      });
    },

    /** 分拣: the report becomes a hazard (recorded now, source = citizen report) or is closed with a reason. */
    async triage(identity: Identity, id: string, raw: unknown): Promise<ReportDoc> {
      const input = fromDomain(() => parseInput(triageRequestSchema, raw));
      return withDocumentLock(collection.collectionName, id, async () => {
        const doc = await reports.findById(id).select({ outbox: 0 }).lean<ReportDoc>();
        if (!doc || !visible(identity, doc.scope)) throw notFound(`report ${id}`);
        assertCan(identity, 'triage', doc.scope);
        if (doc.status !== 'received') {
          throw conflict(`report ${id} was already triaged (${doc.status})`);
        }
        const hazard = input.kind === 'to_hazard' ? await hazardOf(identity, doc, input.hazard) : undefined;
        const decision =
          input.kind === 'to_hazard'
            ? { kind: 'to_hazard' as const, hazardId: hazard?.id }
            : { kind: 'close' as const, reason: input.reason };
        const next = fromDomain(() => triageReport(doc, decision, { now: deps.now(), actor: identity.subject }));
        const set = {
          status: next.status,
          notes: next.notes,
          ...(hazard ? { hazardId: hazard.id } : {}),
          ...(next.closeReason ? { closeReason: next.closeReason } : {}),
          triagedBy: identity.subject,
          reward: rewardEligibility(next, hazard?.grade),
        };
        const after: ReportDoc = { ...doc, ...set };
        await collection.updateOne({ _id: id }, withOutbox({ $set: set }, [reportTriaged(after)]));
        deps.relay.kick(reports.collection, [id]);
        return after;
      });
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
