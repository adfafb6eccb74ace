import { assessmentTopic, isWithinDivision } from '@firegov/contracts';
import { newOutbox, outboxEntry, withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { AppError, fromDomain } from '@firegov/kit';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { bodyHash, validateAmendment, validateSubmission, withdrawalSchema } from '../domain/inputs.ts';
import { signReceipt } from '../domain/receipts.ts';
import { shouldSample } from '../domain/sampling.ts';
import { isLate } from '../domain/versions.ts';
import type { AgencyDoc, AssessmentDoc, ReceiptDoc, SubmissionBody, UnitRefDoc } from '../store/models.ts';
import { readAssessment, toStored } from '../store/assessment-codec.ts';
import type { AgencyCache } from './agency-cache.ts';
import type { AgencyService } from './agencies.ts';
import type { AssessmentDeps } from './deps.ts';
import { parseInput } from './errors.ts';
import type { AgencyCaller } from './tokens.ts';

export interface PushResponse {
  status: number;
  body: unknown;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const PENDING = 'pending';
const IDEMPOTENCY_TTL_S = 7 * 86_400;

const assessmentIdFor = (agencyId: string, key: string): string =>
  `as_${createHash('sha256').update(`${agencyId}\u0000${key}`).digest('hex').slice(0, 24)}`;

function forbidden(reason: string, path = '$'): AppError {
  return new AppError('FORBIDDEN', reason, { details: [{ path, reason }] });
}

/** The agency may assess the unit on that date: active, a contract covering it, the engineer its own and licensed. */
export function authorizePush(
  agency: AgencyDoc,
  unit: UnitRefDoc,
  body: Pick<SubmissionBody, 'assessedOn' | 'engineerLicence'>,
): void {
  if (agency.status !== 'active')
    throw forbidden(`agency is ${agency.status}${agency.statusReason ? `: ${agency.statusReason}` : ''}`);
  const day = body.assessedOn;
  const covering = agency.contracts.filter(
    (c) => c.unitIds.includes(unit._id) || c.jurisdictionCodes.some((code) => unit.scope.some((s) => isWithinDivision(s, code))),
  );
  if (covering.length === 0) throw forbidden(`no contract covers unit ${unit._id}`, '$.unit');
  if (!covering.some((c) => c.validFrom <= day && day <= c.validUntil)) {
    throw forbidden(`no contract covering unit ${unit._id} is in force on ${day}`, '$.assessedOn');
  }
  const engineer = agency.engineers.find((e) => e.licenceNo === body.engineerLicence);
  if (!engineer) throw forbidden(`engineer ${body.engineerLicence} is not registered with this agency`, '$.engineerLicence');
  if (!(engineer.validFrom <= day && day <= engineer.validUntil)) {
    throw forbidden(`the licence of engineer ${body.engineerLicence} is not valid on ${day}`, '$.engineerLicence');
  }
}

/**
 * The push API's commands. Safe to retry: a submission's id derives from the agency and its
 * Idempotency-Key, so the store's unique `_id` makes concurrent or repeated pushes store exactly
 * one; Redis remembers the response for a fast, byte-identical replay.
 */
export function submissionService(deps: AssessmentDeps, agencies: AgencyCache, agencyService: AgencyService) {
  const { models, redis } = deps;
  const assessments = models.assessments;
  const idemKey = (agencyId: string, key: string) => `${deps.redisPrefix}idem:${agencyId}:${key}`;

  function requireKey(key: string | undefined): string {
    if (!key || !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key header required', {
        details: [{ path: 'header:Idempotency-Key', reason: 'required: 8-100 characters of A-Z a-z 0-9 _ . : -' }],
      });
    }
    return key;
  }

  // Units change rarely and every push names one: kept for a few seconds, like agencies.
  const unitCache = new Map<string, { doc: UnitRefDoc | null; at: number }>();
  async function unitById(id: string): Promise<UnitRefDoc | null> {
    const hit = unitCache.get(id);
    if (hit && Date.now() - hit.at < 5000) return hit.doc;
    const doc = await models.units.findById(id).lean<UnitRefDoc>();
    unitCache.set(id, { doc, at: Date.now() });
    if (unitCache.size > 50_000) unitCache.delete(unitCache.keys().next().value as string);
    return doc;
  }

  async function resolveUnit(unit: { unitId?: string; creditCode?: string }): Promise<UnitRefDoc> {
    let unitId = unit.unitId;
    if (!unitId && unit.creditCode) unitId = (await models.unitCodes.findById(unit.creditCode).lean())?.unitId;
    const doc = unitId ? await unitById(unitId) : null;
    if (!doc || doc.status !== 'active') {
      throw new AppError('VALIDATION_FAILED', 'unknown unit', {
        details: [
          { path: unit.unitId ? '$.unit.unitId' : '$.unit.creditCode', reason: 'no active unit with this id in the registry' },
        ],
      });
    }
    return doc;
  }

  const receiptOf = (doc: Pick<AssessmentDoc, 'versions'>): ReceiptDoc =>
    (doc.versions.at(-1) as AssessmentDoc['versions'][number]).receipt;
  const created = (doc: AssessmentDoc): PushResponse => ({
    status: 201,
    body: { id: doc._id, version: doc.version, status: doc.status, unitId: doc.unitId, receipt: receiptOf(doc) },
  });

  /**
   * Runs `work` once per (agency, key, request): a repeat with the same body gets the first
   * response, a different body 409, a concurrent duplicate waits for the first. Refusals (4xx)
   * are not remembered, so the agency can fix its data and retry with the same key.
   */
  async function idempotent(
    agencyId: string,
    key: string,
    requestHash: string,
    work: () => Promise<PushResponse>,
  ): Promise<PushResponse & { replayed: boolean }> {
    const rkey = idemKey(agencyId, key);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const claimed = await redis.set(rkey, JSON.stringify({ state: PENDING, requestHash }), 'EX', 60, 'NX');
      if (claimed === 'OK') break;
      const seen = JSON.parse((await redis.get(rkey)) ?? 'null') as {
        state: string;
        requestHash: string;
        response?: PushResponse;
      } | null;
      if (!seen) continue;
      if (seen.requestHash !== requestHash) {
        throw new AppError('CONFLICT', 'this Idempotency-Key was used with a different request', {
          details: [{ path: 'header:Idempotency-Key', reason: 'already used for another body; use a new key for a new request' }],
        });
      }
      if (seen.state !== PENDING && seen.response) return { ...seen.response, replayed: true };
      await sleep(50);
      if (attempt === 99)
        throw new AppError('CONFLICT', 'the first request with this Idempotency-Key is still running; retry', {
          retryable: true,
        });
    }
    try {
      const response = await work();
      await redis.set(rkey, JSON.stringify({ state: 'done', requestHash, response }), 'EX', IDEMPOTENCY_TTL_S);
      return { ...response, replayed: false };
    } catch (err) {
      await redis.del(rkey);
      throw err;
    }
  }

  async function recordRejection(caller: AgencyCaller, key: string | undefined, err: unknown): Promise<void> {
    if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') && key) {
      await agencyService.addCreditEvent(caller.agencyId, {
        kind: 'rejected_submission',
        at: deps.now().toISOString(),
        ref: `key:${key}`,
        detail: err.message,
      });
    }
  }

  return {
    async submit(caller: AgencyCaller, rawKey: string | undefined, raw: unknown): Promise<PushResponse & { replayed: boolean }> {
      try {
        const key = requireKey(rawKey);
        const input = fromDomain(() => validateSubmission(raw, deps.now()));
        const requestHash = bodyHash(input);
        return await idempotent(caller.agencyId, key, requestHash, async () => {
          const id = assessmentIdFor(caller.agencyId, key);
          const agency = await agencies.get(caller.agencyId);
          if (!agency) throw new AppError('UNAUTHENTICATED', 'unknown agency');
          const unit = await resolveUnit(input.unit);
          const body: SubmissionBody = { ...input, report: input.report };
          delete (body as unknown as { unit?: unknown }).unit;
          authorizePush(agency, unit, body);
          const now = deps.now();
          const at = now.toISOString();
          const hash = bodyHash(body);
          const receipt = signReceipt(
            { agencyId: agency._id, assessmentId: id, version: 1, bodyHash: hash, receivedAt: at, previousReceiptHash: null },
            deps.receiptKey.privateKey,
          );
          const late = isLate(body.assessedOn, now, deps.lateAfterDays);
          const doc: AssessmentDoc = {
            _id: id,
            agencyId: agency._id,
            idempotencyKey: key,
            requestHash,
            unitId: unit._id,
            unitName: unit.name,
            scope: unit.scope,
            status: 'active',
            version: 1,
            current: body,
            versions: [{ version: 1, kind: 'submitted', body, bodyHash: hash, submittedAt: at, receipt }],
            late,
            sampled: shouldSample(id, deps.auditShare, deps.auditSalt),
            createdAt: at,
            updatedAt: at,
            demo: unit.demo,
          };
          const entry = eventFor(doc, 'assessment.assessment.submitted');
          try {
            await assessments.collection.insertOne({ ...toStored(doc), ...newOutbox([entry]) } as never);
          } catch (err) {
            // Durable half of idempotency: Redis may have forgotten the key, the store's unique _id has not.
            if ((err as { code?: number }).code !== 11000) throw err;
            const winner = (await readAssessment(models, id)) as AssessmentDoc;
            if (winner.requestHash !== requestHash)
              throw new AppError('CONFLICT', 'this Idempotency-Key was used with a different request');
            return created(winner);
          }
          deps.relay.kickInserted(assessments.collection, [{ _id: id, outbox: [entry] }]);
          // Lists for readers (per unit, per agency, the audit queue); the store stays the truth.
          const lists = redis
            .multi()
            .zadd(`${deps.redisPrefix}u:a:${unit._id}`, Date.parse(body.assessedOn), id)
            .zadd(`${deps.redisPrefix}ag:a:${agency._id}`, now.getTime(), id);
          if (doc.sampled) lists.zadd(`${deps.redisPrefix}audit:pending`, now.getTime(), id);
          await lists.exec();
          if (late) {
            await agencyService.addCreditEvent(agency._id, {
              kind: 'late_submission',
              at,
              ref: id,
              detail: `assessed ${body.assessedOn}, submitted ${at}`,
            });
          }
          return created(doc);
        });
      } catch (err) {
        await recordRejection(caller, rawKey, err).catch(() => undefined);
        throw err;
      }
    },

    async get(caller: AgencyCaller, id: string): Promise<AssessmentDoc> {
      const doc = await readAssessment(models, id);
      // Another agency's assessment reads as absent, not forbidden.
      if (!doc || doc.agencyId !== caller.agencyId) throw new AppError('NOT_FOUND', `assessment ${id} not found`);
      return doc;
    },

    async amend(caller: AgencyCaller, id: string, rawKey: string | undefined, raw: unknown) {
      const key = requireKey(rawKey);
      const input = fromDomain(() => validateAmendment(raw, deps.now()));
      const requestHash = bodyHash({ id, amend: input });
      return idempotent(caller.agencyId, `amend:${key}`, requestHash, () =>
        withDocumentLock(assessments.collection.collectionName, id, async () => {
          const doc = await this.get(caller, id);
          const body = stripReason(input) as SubmissionBody;
          const hash = bodyHash(body);
          const last = doc.versions.at(-1) as AssessmentDoc['versions'][number];
          // A retry whose first attempt landed (and Redis forgot the answer) gets that answer again.
          if (last.kind === 'amended' && last.bodyHash === hash && last.reason === input.reason) {
            return { status: 201, body: { id, version: doc.version, status: doc.status, receipt: last.receipt } };
          }
          if (doc.status === 'withdrawn') throw new AppError('CONFLICT', `assessment ${id} was withdrawn`);
          const agency = await agencies.get(caller.agencyId);
          const unit = await models.units.findById(doc.unitId).lean<UnitRefDoc>();
          if (!agency || !unit) throw new AppError('CONFLICT', 'the agency or unit is no longer registered');
          authorizePush(agency, unit, body);
          if (hash === last.bodyHash) {
            throw new AppError('VALIDATION_FAILED', 'nothing changed', {
              details: [{ path: '$', reason: 'the amendment equals the current version' }],
            });
          }
          const now = deps.now();
          const at = now.toISOString();
          const version = doc.version + 1;
          const receipt = signReceipt(
            {
              agencyId: agency._id,
              assessmentId: id,
              version,
              bodyHash: hash,
              receivedAt: at,
              previousReceiptHash: receiptOf(doc).hash,
            },
            deps.receiptKey.privateKey,
          );
          const next: AssessmentDoc = {
            ...doc,
            version,
            current: body,
            versions: [
              ...doc.versions,
              { version, kind: 'amended', body, bodyHash: hash, submittedAt: at, reason: input.reason, receipt },
            ],
            updatedAt: at,
          };
          const { _id, ...rest } = toStored(next);
          await assessments.collection.updateOne(
            { _id, version: doc.version } as never,
            withOutbox<Record<string, unknown>>({ $set: rest }, [eventFor(next, 'assessment.assessment.amended')]),
          );
          deps.relay.kick(assessments.collection, [id]);
          return { status: 201, body: { id, version, status: next.status, receipt } };
        }),
      );
    },

    async withdraw(caller: AgencyCaller, id: string, raw: unknown) {
      const input = parseInput(withdrawalSchema, raw);
      return withDocumentLock(assessments.collection.collectionName, id, async () => {
        const doc = await this.get(caller, id);
        // Withdrawing twice answers the same: retries after a timeout must be safe.
        if (doc.status === 'withdrawn') return { status: 200, body: { id, status: doc.status, withdrawnAt: doc.withdrawnAt } };
        const at = deps.now().toISOString();
        const next: AssessmentDoc = {
          ...doc,
          status: 'withdrawn',
          withdrawnReason: input.reason,
          withdrawnAt: at,
          updatedAt: at,
        };
        const entry = outboxEntry(assessmentTopic, 'assessment', {
          type: 'assessment.assessment.withdrawn',
          key: doc.unitId,
          subject: id,
          data: { id, unitId: doc.unitId, agencyId: doc.agencyId, reason: input.reason },
        });
        await assessments.collection.updateOne(
          { _id: id } as never,
          withOutbox<Record<string, unknown>>(
            { $set: { status: 'withdrawn', withdrawnReason: input.reason, withdrawnAt: at, updatedAt: at } },
            [entry],
          ),
        );
        deps.relay.kick(assessments.collection, [id]);
        return { status: 200, body: { id, status: next.status, withdrawnAt: at } };
      });
    },

    async listOwn(caller: AgencyCaller, limit = 50): Promise<AssessmentDoc[]> {
      const ids = await redis.zrevrange(`${deps.redisPrefix}ag:a:${caller.agencyId}`, 0, limit - 1);
      const docs = await Promise.all(ids.map((id) => readAssessment(models, id)));
      return docs.filter((d): d is AssessmentDoc => d !== null && d.agencyId === caller.agencyId);
    },
  };
}

function stripReason<T extends { reason?: unknown }>(input: T): Omit<T, 'reason'> {
  const { reason: _reason, ...rest } = input;
  return rest;
}

function eventFor(doc: AssessmentDoc, type: 'assessment.assessment.submitted' | 'assessment.assessment.amended'): OutboxEntry {
  const data = {
    id: doc._id,
    version: doc.version,
    unitId: doc.unitId,
    agencyId: doc.agencyId,
    assessedOn: doc.current.assessedOn,
    grade: doc.current.grade,
    score: doc.current.score,
    findings: doc.current.findings.map((f) => ({
      id: f.id,
      category: f.category,
      severity: f.severity,
      description: f.description,
      location: f.location,
      ...(f.factorCodes ? { factorCodes: f.factorCodes } : {}),
      evidence: f.evidence,
    })),
  };
  return type === 'assessment.assessment.submitted'
    ? outboxEntry(assessmentTopic, 'assessment', { type, key: doc.unitId, subject: doc._id, data })
    : outboxEntry(assessmentTopic, 'assessment', {
        type,
        key: doc.unitId,
        subject: doc._id,
        data: { ...data, supersedesVersion: doc.version - 1 },
      });
}

export type SubmissionService = ReturnType<typeof submissionService>;
