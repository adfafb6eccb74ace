import type { Identity } from '@firegov/auth';
import { withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { AppError, newId } from '@firegov/kit';
import { z } from 'zod';
import {
  escalate,
  initialEscalation,
  recordInterview,
  resetOnNewDeadline,
  type EscalationAction,
  type EscalationState,
  type WarningInterview,
} from '../domain/escalation.ts';
import {
  determineGrade,
  finalGrade,
  premisesClassOf,
  type CollectiveDiscussion,
  type Determination,
  type Exclusion,
  type ExpertPanel,
} from '../domain/gb35181.ts';
import { applyHazardCommand, initialHazardState, type HazardCommand } from '../domain/hazard-state.ts';
import { indexHazard, readModel } from '../store/hazard-index.ts';
import type { HazardDoc, UnitRefDoc } from '../store/models.ts';
import { assertCan, visible, type Action } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import { fromDomain, isDuplicateKey, parseInput } from './errors.ts';
import { escalatedEntry, hazardSignal, recordedEntry, transitionedEntry } from './hazard-events.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

export interface NewHazard {
  /** Given for hazards derived from another record (an assessment finding, a sensor fault), so a redelivery creates nothing. */
  id?: string;
  unitId: string;
  source: HazardDoc['source'];
  sourceRef?: { kind: string; id: string };
  campaignKey?: string;
  title: string;
  description: string;
  location?: string;
  factorCodes: readonly string[];
  exclusions?: readonly Exclusion[];
  /** The grade the source proposed (an agency's severity); the GB 35181 rule may only raise it. */
  proposedGrade?: 'general' | 'major';
  evidence: ReadonlyArray<{ url: string; sha256: string }>;
  foundAt?: string;
  foundBy: string;
}

const evidence = z.object({
  url: z.url({ protocol: /^https?$/ }),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters')
    .transform((s) => s.toLowerCase()),
});

export const recordHazardInput = z.strictObject({
  unitId: z.string().min(1),
  title: z.string().trim().min(2).max(200),
  description: z.string().trim().min(2).max(4000),
  location: z.string().trim().max(200).optional(),
  campaignKey: z.string().optional(),
  factorCodes: z.array(z.string()).max(50).default([]),
  exclusions: z.array(z.enum(['corrected_on_spot', 'stopped_operating', 'expert_reviewed_with_measures'])).default([]),
  evidence: z.array(evidence).max(20).default([]),
});

const determinationInput = z.strictObject({
  factorCodes: z.array(z.string()).max(50).optional(),
  exclusions: z.array(z.enum(['corrected_on_spot', 'stopped_operating', 'expert_reviewed_with_measures'])).optional(),
  discussion: z
    .strictObject({
      participants: z.array(z.string().trim().min(1)),
      conclusion: z.enum(['major', 'general']),
      notes: z.string().optional(),
    })
    .optional(),
  expertPanel: z
    .strictObject({ experts: z.array(z.string().trim().min(1)), votesMajor: z.number().int(), notes: z.string().optional() })
    .optional(),
  expectedVersion: z.number().int().min(1).optional(),
});

const commandInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('issue_order'),
    deadline: z.iso.datetime({ offset: true }),
    responsibleParty: z.string(),
    measures: z.string().max(2000).optional(),
  }),
  z.strictObject({ kind: z.literal('report_rectified'), notes: z.string().max(2000).optional() }),
  z.strictObject({
    kind: z.literal('reinspect'),
    passed: z.boolean(),
    notes: z.string().max(2000).optional(),
    newDeadline: z.iso.datetime({ offset: true }).optional(),
  }),
  z.strictObject({ kind: z.literal('dismiss'), reason: z.string() }),
]);

const interviewInput = z.strictObject({
  interviewee: z.string(),
  level: z.enum(['township', 'county']),
  notes: z.string().max(2000).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const ACTION_OF: Record<HazardCommand['kind'], Action> = {
  issue_order: 'order',
  report_rectified: 'reportRectified',
  reinspect: 'reinspect',
  dismiss: 'dismiss',
  regrade: 'determine',
};

/** Chains event signals: only the first event of one write carries the change, so consumers never count it twice. */
function chain(before: ReturnType<typeof hazardSignal>, after: HazardDoc) {
  let previous = before;
  return () => {
    const p = previous;
    previous = hazardSignal(after);
    return p;
  };
}

export function hazardService(deps: InspectionsDeps) {
  const { models, redis, index, relay } = deps;
  const hazards = models.hazards;
  const collection = hazards.collection.collectionName;

  async function reindex(doc: HazardDoc): Promise<void> {
    try {
      await indexHazard(redis, index, doc);
    } catch (err) {
      // The write stands; the index catches up at the next rebuild or sweep of this hazard.
      deps.logger.warn({ err: (err as Error).message, hazardId: doc._id }, 'hazard index update failed');
    }
  }

  function escalationStep(doc: HazardDoc, now: Date): { doc: HazardDoc; actions: EscalationAction[] } {
    const result = escalate(
      {
        status: doc.state.status,
        ...(doc.state.order ? { deadline: doc.state.order.deadline } : {}),
        escalation: doc.escalation,
      },
      now,
      deps.policy,
    );
    return { doc: { ...doc, escalation: result.escalation, nextCheckAt: result.nextCheckAt }, actions: result.actions };
  }

  /** Writes a changed hazard with its events, guarded by its version (optimistic, and in-process locked for FerretDB). */
  async function save(before: HazardDoc, after: HazardDoc, entries: OutboxEntry[]): Promise<HazardDoc> {
    const { _id, ...rest } = after;
    const res = await hazards.collection.updateOne(
      { _id, version: before.version } as never,
      withOutbox<Record<string, unknown>>({ $set: rest }, entries),
    );
    if (res.matchedCount === 0) throw new AppError('CONFLICT', `hazard ${_id} changed meanwhile; reload and retry`);
    await reindex(after);
    relay.kick(hazards.collection, [_id]);
    return after;
  }

  async function load(id: string): Promise<HazardDoc> {
    const doc = await hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>();
    if (!doc) throw new AppError('NOT_FOUND', `hazard ${id} not found`);
    return doc;
  }

  async function loadFor(identity: Identity, id: string, action: Action): Promise<HazardDoc> {
    const doc = await hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>();
    // Out of scope reads as absent: a caller learns nothing about hazards outside their jurisdiction.
    if (!doc || !visible(identity, doc.scope)) throw new AppError('NOT_FOUND', `hazard ${id} not found`);
    assertCan(identity, action, doc.scope);
    return doc;
  }

  function checkVersion(doc: HazardDoc, expected: number | undefined): void {
    if (expected !== undefined && expected !== doc.version) {
      throw new AppError('CONFLICT', `hazard ${doc._id} is at version ${doc.version}, not ${expected}`, {
        details: [{ path: '$.expectedVersion', reason: `current version is ${doc.version}` }],
      });
    }
  }

  function determine(unit: UnitRefDoc, factorCodes: readonly string[], exclusions: readonly Exclusion[] = []): Determination {
    return fromDomain(() => determineGrade({ premisesClass: premisesClassOf(unit.category), factorCodes, exclusions }));
  }

  /** Creates a hazard (used by inspections, triage and the assessment and sensor consumers). */
  async function create(unit: UnitRefDoc, input: NewHazard): Promise<{ doc: HazardDoc; created: boolean }> {
    const now = deps.now();
    const determination = determine(unit, input.factorCodes, input.exclusions);
    const grade = input.proposedGrade === 'major' ? 'major' : determination.grade;
    const foundAt = input.foundAt ?? now.toISOString();
    const doc: HazardDoc = {
      _id: input.id ?? newId('hz', now.getTime()),
      version: 1,
      unitId: unit._id,
      unit: await unitAsItIs(models, unit),
      countyCode: unit.countyCode,
      townshipCode: unit.townshipCode,
      villageCode: unit.villageCode,
      scope: unit.scope,
      source: input.source,
      ...(input.sourceRef ? { sourceRef: input.sourceRef } : {}),
      ...(input.campaignKey ? { campaignKey: input.campaignKey } : {}),
      title: input.title,
      description: input.description,
      ...(input.location ? { location: input.location } : {}),
      factorCodes: [...input.factorCodes],
      evidence: input.evidence.map((e) => ({ ...e })),
      determination,
      gradeDecidedBy: input.proposedGrade === 'major' && determination.grade !== 'major' ? 'source' : 'rule',
      state: initialHazardState(grade),
      escalation: initialEscalation(),
      nextCheckAt: null,
      foundAt,
      foundBy: input.foundBy,
      demo: unit.demo,
      updatedAt: now.toISOString(),
    };
    try {
      await hazards.collection.insertOne({ ...doc, outbox: [recordedEntry(doc)], outboxPending: true } as never);
    } catch (err) {
      if (input.id && isDuplicateKey(err)) return { doc: await load(input.id), created: false };
      throw err;
    }
    await reindex(doc);
    relay.kick(hazards.collection, [doc._id]);
    return { doc, created: true };
  }

  return {
    create,

    async record(identity: Identity, raw: unknown): Promise<HazardDoc> {
      const input = parseInput(recordHazardInput, raw);
      const unit = await unitForWrite(models, identity, input.unitId, 'recordHazard');
      return (
        await create(unit, {
          unitId: unit._id,
          source: 'inspection',
          title: input.title,
          description: input.description,
          ...(input.location ? { location: input.location } : {}),
          ...(input.campaignKey ? { campaignKey: input.campaignKey } : {}),
          factorCodes: input.factorCodes,
          exclusions: input.exclusions,
          evidence: input.evidence,
          foundBy: identity.subject,
        })
      ).doc;
    },

    async byId(identity: Identity, id: string): Promise<HazardDoc | null> {
      const doc = await hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>();
      return doc && visible(identity, doc.scope) ? doc : null;
    },

    /**
     * Many hazards for lists: from the Redis read model, written with every change; the store only
     * for ids the read model lacks (point reads in parallel: FerretDB scans for `_id: { $in }`).
     * Single reads (`byId`) and every command read the store itself.
     */
    async byIds(identity: Identity, ids: readonly string[]): Promise<Array<HazardDoc | null>> {
      const cached = await readModel(redis, index, ids).catch(() => ids.map(() => null));
      const docs = await Promise.all(
        ids.map(async (id, i) => cached[i] ?? hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>().exec()),
      );
      return docs.map((d) => (d && visible(identity, d.scope) ? d : null));
    },

    /** A rectification step: order, report rectified, re-inspect, dismiss. */
    async command(identity: Identity, id: string, raw: unknown, expectedVersion?: number): Promise<HazardDoc> {
      const cmd = parseInput(commandInput, raw) as HazardCommand;
      return withDocumentLock(collection, id, async () => {
        const doc = await loadFor(identity, id, ACTION_OF[cmd.kind]);
        checkVersion(doc, expectedVersion);
        const now = deps.now();
        const { state, transition } = fromDomain(() => applyHazardCommand(doc.state, cmd, { now, actor: identity.subject }));
        let escalation: EscalationState = { ...doc.escalation, lastActionAt: now.toISOString() };
        if (cmd.kind === 'reinspect' && !cmd.passed) escalation = resetOnNewDeadline(escalation);
        const changed: HazardDoc = { ...doc, state, escalation, version: doc.version + 1, updatedAt: now.toISOString() };
        const stepped = escalationStep(changed, now);
        const next = chain(hazardSignal(doc), stepped.doc);
        const entries = [
          transitionedEntry(stepped.doc, next(), transition, cmd),
          ...stepped.actions.map((a) => escalatedEntry(stepped.doc, next(), a)),
        ];
        return save(doc, stepped.doc, entries);
      });
    },

    /** GB 35181 determination with its procedure steps (集体讨论, 专家论证); may regrade the hazard. */
    async determine(identity: Identity, id: string, raw: unknown): Promise<HazardDoc> {
      const input = parseInput(determinationInput, raw);
      return withDocumentLock(collection, id, async () => {
        const doc = await loadFor(identity, id, 'determine');
        checkVersion(doc, input.expectedVersion);
        const now = deps.now();
        const unit = await models.units.findById(doc.unitId).lean<UnitRefDoc>();
        const determination = unit
          ? determine(unit, input.factorCodes ?? doc.factorCodes, input.exclusions ?? [])
          : doc.determination;
        const at = now.toISOString();
        const discussion: CollectiveDiscussion | undefined = input.discussion
          ? {
              at,
              participants: input.discussion.participants,
              conclusion: input.discussion.conclusion,
              ...(input.discussion.notes ? { notes: input.discussion.notes } : {}),
            }
          : doc.discussion;
        const panel: ExpertPanel | undefined = input.expertPanel
          ? {
              at,
              experts: input.expertPanel.experts,
              votesMajor: input.expertPanel.votesMajor,
              ...(input.expertPanel.notes ? { notes: input.expertPanel.notes } : {}),
            }
          : doc.expertPanel;
        const decided = fromDomain(() => finalGrade(determination, discussion, panel));
        let state = doc.state;
        const entries: OutboxEntry[] = [];
        const changed: HazardDoc = {
          ...doc,
          determination,
          factorCodes: input.factorCodes ?? doc.factorCodes,
          ...(discussion ? { discussion } : {}),
          ...(panel ? { expertPanel: panel } : {}),
          gradeDecidedBy: decided.decidedBy,
          version: doc.version + 1,
          updatedAt: at,
        };
        if (decided.grade !== doc.state.grade) {
          const cmd: HazardCommand = { kind: 'regrade', grade: decided.grade };
          const applied = fromDomain(() => applyHazardCommand(doc.state, cmd, { now, actor: identity.subject }));
          state = applied.state;
          const after = { ...changed, state };
          entries.push(transitionedEntry(after, hazardSignal(doc), applied.transition, cmd));
          return save(doc, after, entries);
        }
        return save(doc, { ...changed, state }, entries);
      });
    },

    /** 警示约谈: recorded against a hazard under listed supervision; counts as someone acting. */
    async interview(identity: Identity, id: string, raw: unknown): Promise<HazardDoc> {
      const input = parseInput(interviewInput, raw);
      return withDocumentLock(collection, id, async () => {
        const doc = await loadFor(identity, id, 'interview');
        const now = deps.now();
        const interview: WarningInterview = {
          at: input.at ?? now.toISOString(),
          by: identity.subject,
          interviewee: input.interviewee,
          level: input.level,
          ...(input.notes ? { notes: input.notes } : {}),
        };
        const escalation = { ...fromDomain(() => recordInterview(doc.escalation, interview)), lastActionAt: now.toISOString() };
        const stepped = escalationStep({ ...doc, escalation, version: doc.version + 1, updatedAt: now.toISOString() }, now);
        const next = chain(hazardSignal(doc), stepped.doc);
        const entries = [
          escalatedEntry(stepped.doc, next(), { kind: 'warning_interview' }),
          ...stepped.actions.map((a) => escalatedEntry(stepped.doc, next(), a)),
        ];
        return save(doc, stepped.doc, entries);
      });
    },

    /** One sweep step for one hazard: applies whatever escalation is due at `now`. */
    async escalateOne(id: string, now: Date): Promise<EscalationAction[]> {
      return withDocumentLock(collection, id, async () => {
        const doc = await hazards.findById(id).select({ outbox: 0 }).lean<HazardDoc>();
        if (!doc) {
          await redis.zrem(index.sweepKey(), id);
          return [];
        }
        const stepped = escalationStep(doc, now);
        if (stepped.actions.length === 0) {
          // Nothing due (a stale score): put the hazard back where its document says.
          if (stepped.doc.nextCheckAt !== doc.nextCheckAt) {
            await hazards.collection.updateOne({ _id: id } as never, { $set: { nextCheckAt: stepped.doc.nextCheckAt } });
          }
          await reindex(stepped.doc);
          return [];
        }
        const after = { ...stepped.doc, version: doc.version + 1, updatedAt: now.toISOString() };
        const next = chain(hazardSignal(doc), after);
        await save(
          doc,
          after,
          stepped.actions.map((a) => escalatedEntry(after, next(), a)),
        );
        return stepped.actions;
      });
    },
  };
}

export type HazardService = ReturnType<typeof hazardService>;
