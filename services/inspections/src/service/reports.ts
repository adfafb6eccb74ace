import type { Identity } from '@firegov/auth';
import { isWithinDivision, reportTopic } from '@firegov/contracts';
import { newOutbox, outboxEntry, withDocumentLock, withOutbox } from '@firegov/events';
import { AppError, newId } from '@firegov/kit';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  hashToken,
  isWellFormedToken,
  newTrackingToken,
  publicNotes,
  receiveReport,
  rewardEligibility,
  triageReport,
} from '../domain/reports.ts';
import type { ReportDoc } from '../store/models.ts';
import { assertCan, scopeCode, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import { scopeOf } from './scope.ts';
import { fromDomain, parseInput } from './errors.ts';
import type { HazardService } from './hazards.ts';
import { recordHazardInput } from './hazards.ts';
import { unitForWrite } from './units.ts';

const triageInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('to_hazard'), hazard: recordHazardInput }),
  z.strictObject({ kind: z.literal('close'), reason: z.string() }),
]);

/** 举报投诉 / 吹哨人: public intake with a tracking token, staff triage, reward eligibility (有奖举报). */
export function reportService(deps: InspectionsDeps, hazards: HazardService) {
  const { reports } = deps.models;
  const collection = reports.collection.collectionName;

  async function jurisdictionFor(requested: string | undefined): Promise<string> {
    if (requested === undefined) return deps.homeJurisdiction;
    const bad = (reason: string) =>
      new AppError('VALIDATION_FAILED', 'invalid jurisdiction_id', { details: [{ path: '$.jurisdiction_id', reason }] });
    if (!/^\d{12}$/.test(requested)) throw bad('must be a 12-digit division code');
    if (!isWithinDivision(requested, deps.homeJurisdiction))
      throw bad(`is not served here (this platform serves ${deps.homeJurisdiction})`);
    const known = await deps.models.jurisdictions.findById(requested).lean();
    if (!known && requested !== deps.homeJurisdiction) throw bad('is not a known township or village');
    return requested;
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
        scope: scopeOf(jurisdictionCode),
        status: 'received',
        notes: [...report.notes],
        receivedAt: report.receivedAt,
        // Kept for abuse review only (which address sent what); never shown to the public or in events.
        clientKey: opts.clientKey,
      };
      const entry = outboxEntry(reportTopic, 'inspections', {
        type: 'inspections.report.received',
        key: id,
        data: {
          id,
          category: doc.category,
          jurisdictionCode,
          anonymous: doc.anonymous,
          whistleblower: doc.whistleblower,
          receivedAt: doc.receivedAt,
        },
      });
      await reports.collection.insertOne({ ...doc, ...newOutbox([entry]) } as never);
      deps.relay.kick(reports.collection, [id]);
      return { token, status: doc.status, id };
    },

    /** Public: status and notes, found by the token's hash. Nothing else about the report is returned. */
    async status(token: string) {
      if (!isWellFormedToken(token)) throw new AppError('NOT_FOUND', 'no report for this token');
      const doc = await reports.findOne({ tokenHash: hashToken(token) }).lean<ReportDoc>();
      if (!doc) throw new AppError('NOT_FOUND', 'no report for this token');
      return { token, service_code: doc.category, status: doc.status, notes: publicNotes(doc) };
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

    /** 分拣: the report becomes a hazard (recorded now, source = citizen report) or is closed with a reason. */
    async triage(identity: Identity, id: string, raw: unknown): Promise<ReportDoc> {
      const input = parseInput(triageInput, raw);
      return withDocumentLock(collection, id, async () => {
        const doc = await reports.findById(id).select({ outbox: 0 }).lean<ReportDoc>();
        if (!doc || !visible(identity, doc.scope)) throw new AppError('NOT_FOUND', `report ${id} not found`);
        assertCan(identity, 'triage', doc.scope);
        if (doc.status !== 'received') {
          throw new AppError('CONFLICT', `report ${id} was already triaged (${doc.status})`);
        }
        let hazardId: string | undefined;
        let grade: 'general' | 'major' | undefined;
        if (input.kind === 'to_hazard') {
          // Validated in full first, so a refused hazard leaves the report untouched.
          const unitId = input.hazard.unitId;
          const unit = await unitForWrite(deps.models, identity, unitId, 'recordHazard', '$.hazard.unitId');
          const created = await hazards.create(unit, {
            unitId,
            source: 'citizen_report',
            sourceRef: { kind: 'citizen_report', id },
            title: input.hazard.title,
            description: input.hazard.description,
            ...(input.hazard.location ? { location: input.hazard.location } : {}),
            factorCodes: input.hazard.factorCodes,
            exclusions: input.hazard.exclusions,
            evidence: [...doc.media, ...input.hazard.evidence],
            foundAt: doc.receivedAt,
            foundBy: identity.subject,
          });
          hazardId = created.doc._id;
          grade = created.doc.state.grade;
        }
        const now = deps.now();
        const decision =
          input.kind === 'to_hazard'
            ? { kind: 'to_hazard' as const, hazardId }
            : { kind: 'close' as const, reason: input.reason };
        const next = fromDomain(() =>
          triageReport(doc as never, decision, { now, actor: identity.subject }),
        ) as unknown as ReportDoc;
        const reward = rewardEligibility(next, grade);
        const entry = outboxEntry(reportTopic, 'inspections', {
          type: 'inspections.report.triaged',
          key: id,
          data: {
            id,
            jurisdictionCode: doc.jurisdictionCode,
            outcome: next.status === 'triaged_hazard' ? 'triaged_hazard' : 'closed',
            ...(hazardId ? { hazardId } : {}),
            rewardEligible: reward.eligible,
          },
        });
        const set = {
          status: next.status,
          notes: next.notes,
          ...(hazardId ? { hazardId } : {}),
          ...(next.closeReason ? { closeReason: next.closeReason } : {}),
          triagedBy: identity.subject,
          reward,
        };
        await reports.collection.updateOne({ _id: id } as never, withOutbox<Record<string, unknown>>({ $set: set }, [entry]));
        deps.relay.kick(reports.collection, [id]);
        return { ...doc, ...set };
      });
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
