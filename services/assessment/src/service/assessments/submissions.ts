import { parseInput } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { AppError, fromDomain } from '@firegov/kit';
import {
  bodyHash,
  validateAmendment,
  validateSubmission,
  withdrawalSchema,
  type AmendmentInput,
  type SubmissionInput,
} from '../../domain/inputs.ts';
import { receiptForVersion } from '../../domain/receipts.ts';
import { shouldSample } from '../../domain/sampling.ts';
import { isLate } from '../../domain/versions.ts';
import { assessmentAmended, assessmentSubmitted, assessmentWithdrawn, type WithdrawnAssessment } from '../../events/outbound.ts';
import { readAssessment } from '../../store/assessment-codec.ts';
import { assessmentLists } from '../../store/assessment-lists.ts';
import type { AgencyDoc, AssessmentDoc, SubmissionBody, UnitRefDoc } from '../../store/models.ts';
import type { AgencyCache } from '../agency-cache.ts';
import type { AgencyService } from '../agencies.ts';
import type { AssessmentDeps } from '../deps.ts';
import type { AgencyCaller } from '../tokens.ts';
import { pushScope } from './authorization.ts';
import {
  assessmentIdFor,
  idempotentResponses,
  requireIdempotencyKey,
  storedForKey,
  type IdempotentResponse,
  type PushResponse,
} from './idempotency.ts';
import { assessmentWrites } from './persistence.ts';
import { afterSubmission } from './side-effects.ts';
import { unitLookup } from './units.ts';

export type { PushResponse } from './idempotency.ts';

const lastVersion = (doc: Pick<AssessmentDoc, 'versions'>) => doc.versions.at(-1) as AssessmentDoc['versions'][number];

/** The answer to an accepted submission (and to its replays). */
const accepted = (doc: AssessmentDoc): PushResponse => ({
  status: 201,
  body: { id: doc._id, version: doc.version, status: doc.status, unitId: doc.unitId, receipt: lastVersion(doc).receipt },
});

/** The answer to an accepted amendment (and to its retries). */
const amended = (doc: AssessmentDoc): PushResponse => ({
  status: 201,
  body: { id: doc._id, version: doc.version, status: doc.status, receipt: lastVersion(doc).receipt },
});

/**
 * The push API's commands: submit, amend and withdraw an assessment, and read the agency's own.
 * Each checks its input, the agency's scope and its key (idempotency.ts), then writes the
 * assessment with its event in one write (persistence.ts).
 */
export function submissionService(deps: AssessmentDeps, agencies: AgencyCache, agencyService: AgencyService) {
  const lists = assessmentLists(deps.redis, deps.redisPrefix);
  const writes = assessmentWrites(deps);
  const responses = idempotentResponses(deps.redis, deps.redisPrefix);
  const scope = pushScope(agencies, unitLookup(deps.models));
  const sideEffects = afterSubmission(lists, agencyService);

  /** Version 1 of a new assessment, with its signed receipt, lateness and audit draw. */
  function firstVersion(o: {
    id: string;
    key: string;
    requestHash: string;
    agency: AgencyDoc;
    unit: UnitRefDoc;
    body: SubmissionBody;
  }): AssessmentDoc {
    const now = deps.now();
    const at = now.toISOString();
    const hash = bodyHash(o.body);
    const receipt = receiptForVersion(
      { agencyId: o.agency._id, assessmentId: o.id, version: 1, bodyHash: hash, receivedAt: at },
      null,
      deps.receiptKey.privateKey,
    );
    return {
      _id: o.id,
      agencyId: o.agency._id,
      idempotencyKey: o.key,
      requestHash: o.requestHash,
      unitId: o.unit._id,
      unitName: o.unit.name,
      scope: o.unit.scope,
      status: 'active',
      version: 1,
      current: o.body,
      versions: [{ version: 1, kind: 'submitted', body: o.body, bodyHash: hash, submittedAt: at, receipt }],
      late: isLate(o.body.assessedOn, now, deps.lateAfterDays),
      sampled: shouldSample(o.id, deps.auditShare, deps.auditSalt),
      createdAt: at,
      updatedAt: at,
      demo: o.unit.demo,
    };
  }

  /** The next version of `doc`, its receipt chained to the last. */
  function nextVersion(doc: AssessmentDoc, body: SubmissionBody, hash: string, reason: string): AssessmentDoc {
    const at = deps.now().toISOString();
    const version = doc.version + 1;
    const receipt = receiptForVersion(
      { agencyId: doc.agencyId, assessmentId: doc._id, version, bodyHash: hash, receivedAt: at },
      lastVersion(doc).receipt,
      deps.receiptKey.privateKey,
    );
    return {
      ...doc,
      version,
      current: body,
      versions: [...doc.versions, { version, kind: 'amended', body, bodyHash: hash, submittedAt: at, reason, receipt }],
      updatedAt: at,
    };
  }

  /** Stores a first submission, or answers with the one its key stored before (Redis had forgotten it). */
  async function accept(caller: AgencyCaller, key: string, requestHash: string, input: SubmissionInput): Promise<PushResponse> {
    const id = assessmentIdFor(caller.agencyId, key);
    const { unit: unitRef, ...body } = input;
    const { agency, unit } = await scope.forSubmission(caller.agencyId, unitRef, body);
    const doc = firstVersion({ id, key, requestHash, agency, unit, body });
    if (!(await writes.insert(doc, assessmentSubmitted(doc)))) {
      return accepted(storedForKey((await readAssessment(deps.models, id)) as AssessmentDoc, requestHash));
    }
    await sideEffects(doc);
    return accepted(doc);
  }

  /** Under the assessment's lock: a new version, or the answer to a retry whose first attempt landed. */
  async function amendLocked(caller: AgencyCaller, id: string, input: AmendmentInput): Promise<PushResponse> {
    const doc = await own(caller, id);
    const { reason, ...body } = input;
    const hash = bodyHash(body);
    const last = lastVersion(doc);
    // A retry whose first attempt landed (and Redis forgot the answer) gets that answer again.
    if (last.kind === 'amended' && last.bodyHash === hash && last.reason === reason) return amended(doc);
    if (doc.status === 'withdrawn') throw new AppError('CONFLICT', `assessment ${id} was withdrawn`);
    await scope.forAmendment(caller.agencyId, doc.unitId, body);
    if (hash === last.bodyHash) {
      throw new AppError('VALIDATION_FAILED', 'nothing changed', {
        details: [{ path: '$', reason: 'the amendment equals the current version' }],
      });
    }
    const next = nextVersion(doc, body, hash, reason);
    await writes.replaceVersion(next, doc.version, assessmentAmended(next));
    return amended(next);
  }

  /** A refused push (bad data or out of scope) costs credit once per key; other failures cost nothing. */
  async function recordRejection(caller: AgencyCaller, key: string | undefined, err: unknown): Promise<void> {
    if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') && key) {
      await agencyService.recordRejectedSubmission(caller.agencyId, key, err.message);
    }
  }

  /** The caller's own assessment; another agency's reads as absent, not forbidden. */
  async function own(caller: AgencyCaller, id: string): Promise<AssessmentDoc> {
    const doc = await readAssessment(deps.models, id);
    if (!doc || doc.agencyId !== caller.agencyId) throw new AppError('NOT_FOUND', `assessment ${id} not found`);
    return doc;
  }

  return {
    async submit(caller: AgencyCaller, rawKey: string | undefined, raw: unknown): Promise<IdempotentResponse> {
      try {
        const key = requireIdempotencyKey(rawKey);
        const input = fromDomain(() => validateSubmission(raw, deps.now()));
        const requestHash = bodyHash(input);
        return await responses.run(caller.agencyId, key, requestHash, () => accept(caller, key, requestHash, input));
      } catch (err) {
        await recordRejection(caller, rawKey, err).catch(() => undefined);
        throw err;
      }
    },

    get: own,

    async amend(caller: AgencyCaller, id: string, rawKey: string | undefined, raw: unknown): Promise<IdempotentResponse> {
      const key = requireIdempotencyKey(rawKey);
      const input = fromDomain(() => validateAmendment(raw, deps.now()));
      const requestHash = bodyHash({ id, amend: input });
      return responses.run(caller.agencyId, `amend:${key}`, requestHash, () =>
        withDocumentLock(writes.collectionName, id, () => amendLocked(caller, id, input)),
      );
    },

    /** Withdrawing twice answers the same: retries after a timeout must be safe. */
    async withdraw(caller: AgencyCaller, id: string, raw: unknown): Promise<PushResponse> {
      const input = fromDomain(() => parseInput(withdrawalSchema, raw));
      return withDocumentLock(writes.collectionName, id, async () => {
        const doc = await own(caller, id);
        if (doc.status === 'withdrawn') return { status: 200, body: { id, status: doc.status, withdrawnAt: doc.withdrawnAt } };
        const at = deps.now().toISOString();
        const next: WithdrawnAssessment = {
          ...doc,
          status: 'withdrawn',
          withdrawnReason: input.reason,
          withdrawnAt: at,
          updatedAt: at,
        };
        await writes.withdraw(next, assessmentWithdrawn(next));
        return { status: 200, body: { id, status: next.status, withdrawnAt: at } };
      });
    },

    async listOwn(caller: AgencyCaller, limit = 50): Promise<AssessmentDoc[]> {
      const ids = await lists.newestOfAgency(caller.agencyId, limit);
      const docs = await Promise.all(ids.map((id) => readAssessment(deps.models, id)));
      return docs.filter((d): d is AssessmentDoc => d !== null && d.agencyId === caller.agencyId);
    },
  };
}

export type SubmissionService = ReturnType<typeof submissionService>;
