import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { withDocumentLock, type OutboxEntry } from '@firegov/events';
import { conflict, fromDomain, newId } from '@firegov/kit';
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
  editionOn,
  premisesClassesOf,
  type Determination,
  type Exclusion,
  type PremisesClass,
} from '../domain/gb35181.ts';
import { finalGrade } from '../domain/grading-procedure.ts';
import {
  determinationInput,
  hazardCommandInput,
  interviewInput,
  procedureSteps,
  recordHazardInput,
  type NewHazard,
} from '../domain/hazards.ts';
import {
  applyHazardCommand,
  initialHazardState,
  verifyByDevice,
  type HazardCommand,
  type HazardState,
  type Transition,
} from '../domain/hazard-state.ts';
import { hazardEscalated, hazardRecorded, hazardSignal, hazardTransitioned } from '../events/outbound.ts';
import type { HazardDoc, UnitRefDoc } from '../store/models.ts';
import { visible, type Action } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import { hazardStore } from './hazard-store.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

export type { NewHazard } from '../domain/hazards.ts';

const ACTION_OF: Record<HazardCommand['kind'], Action> = {
  issue_order: 'order',
  report_rectified: 'reportRectified',
  reinspect: 'reinspect',
  dismiss: 'dismiss',
  regrade: 'determine',
};

/** Chains event signals: only the first event of one write carries the change, so consumers never count it twice. */
function chain(before: HazardDoc, after: HazardDoc) {
  let previous = hazardSignal(before);
  return () => {
    const p = previous;
    previous = hazardSignal(after);
    return p;
  };
}

function checkVersion(doc: HazardDoc, expected: number | undefined): void {
  if (expected !== undefined && expected !== doc.version) {
    throw conflict(`hazard ${doc._id} is at version ${doc.version}, not ${expected}`, [
      { path: '$.expectedVersion', reason: `current version is ${doc.version}` },
    ]);
  }
}

/**
 * GB 35181 as in force on `at` (the edition is recorded). The premises classes come from the unit's
 * category unless the inspector names them (e.g. a labour-intensive enterprise's plant under 2025).
 */
function determine(
  unit: UnitRefDoc,
  at: Date,
  input: {
    factorCodes: readonly string[];
    exclusions?: readonly Exclusion[] | undefined;
    correctedOnSite?: readonly string[] | undefined;
    premisesClasses?: readonly PremisesClass[] | undefined;
  },
): Determination {
  return fromDomain(() =>
    determineGrade({
      at,
      premisesClasses: input.premisesClasses ?? premisesClassesOf(unit.category, editionOn(at)),
      factorCodes: input.factorCodes,
      exclusions: input.exclusions ?? [],
      correctedOnSite: input.correctedOnSite ?? [],
    }),
  );
}

/** The hazard register: the only writer of hazards (recording, rectification steps, grading, escalation). */
export function hazardService(deps: InspectionsDeps) {
  const { models } = deps;
  const store = hazardStore(deps);
  const locked = <T>(id: string, fn: () => Promise<T>): Promise<T> => withDocumentLock(store.lockName, id, fn);

  function escalationStep(doc: HazardDoc, now: Date): { doc: HazardDoc; actions: EscalationAction[] } {
    const status = doc.state.status;
    const deadline = doc.state.order?.deadline;
    const result = escalate({ status, ...(deadline ? { deadline } : {}), escalation: doc.escalation }, now, deps.policy);
    return { doc: { ...doc, escalation: result.escalation, nextCheckAt: result.nextCheckAt }, actions: result.actions };
  }

  /** Writes `changed` after the escalation due at `now`, with `first` (if any) and one event per escalation step. */
  function saveStepped(
    before: HazardDoc,
    changed: HazardDoc,
    now: Date,
    first?: (doc: HazardDoc, previous: ReturnType<typeof hazardSignal>) => OutboxEntry,
  ): Promise<HazardDoc> {
    const stepped = escalationStep(changed, now);
    const next = chain(before, stepped.doc);
    const entries = [
      ...(first ? [first(stepped.doc, next())] : []),
      ...stepped.actions.map((a) => hazardEscalated(stepped.doc, next(), a)),
    ];
    return store.save(before, stepped.doc, entries);
  }

  /** Writes a rectification step taken at `now`, with its event and whatever escalation is then due. */
  function saveTransition(
    doc: HazardDoc,
    step: { state: HazardState; transition: Transition; cmd: HazardCommand; escalation: EscalationState },
    now: Date,
  ): Promise<HazardDoc> {
    const changed: HazardDoc = {
      ...doc,
      state: step.state,
      escalation: step.escalation,
      version: doc.version + 1,
      updatedAt: now.toISOString(),
    };
    return saveStepped(doc, changed, now, (after, previous) => hazardTransitioned(after, previous, step.transition, step.cmd));
  }

  /** Creates a hazard (used by inspections, triage and the assessment and sensor consumers). */
  async function create(unit: UnitRefDoc, input: NewHazard): Promise<{ doc: HazardDoc; created: boolean }> {
    const now = deps.now();
    const determination = determine(unit, now, input);
    const grade = input.proposedGrade === 'major' ? 'major' : determination.grade;
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
      foundAt: input.foundAt ?? now.toISOString(),
      foundBy: input.foundBy,
      demo: unit.demo,
      updatedAt: now.toISOString(),
    };
    const created = await store.insert(doc, hazardRecorded(doc), input.id !== undefined);
    return created ? { doc, created } : { doc: await store.load(doc._id), created };
  }

  return {
    create,

    /**
     * Hazards another service reported (assessment findings, a sensor fault), each recorded once
     * however often it is delivered: their ids derive from the source record. Null when the
     * registry does not know the unit.
     */
    async importFromSource(unitId: string, inputs: readonly NewHazard[]): Promise<number | null> {
      const unit = await models.units.findById(unitId).lean<UnitRefDoc>();
      if (!unit) return null;
      let created = 0;
      for (const input of inputs) if ((await create(unit, input)).created) created += 1;
      return created;
    },

    async record(identity: Identity, raw: unknown): Promise<HazardDoc> {
      const input = fromDomain(() => parseInput(recordHazardInput, raw));
      const unit = await unitForWrite(models, identity, input.unitId, 'recordHazard');
      const { doc } = await create(unit, {
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
      });
      return doc;
    },

    async byId(identity: Identity, id: string): Promise<HazardDoc | null> {
      const doc = await store.read(id);
      return doc && visible(identity, doc.scope) ? doc : null;
    },

    /**
     * Many hazards for lists: from the Redis read model, written with every change; the store only
     * for ids the read model lacks. Single reads (`byId`) and every command read the store itself.
     */
    async byIds(identity: Identity, ids: readonly string[]): Promise<Array<HazardDoc | null>> {
      const docs = await store.readMany(ids);
      return docs.map((d) => (d && visible(identity, d.scope) ? d : null));
    },

    /** A rectification step: order, report rectified, re-inspect, dismiss. */
    async command(identity: Identity, id: string, raw: unknown, expectedVersion?: number): Promise<HazardDoc> {
      const cmd = fromDomain(() => parseInput(hazardCommandInput, raw));
      return locked(id, async () => {
        const doc = await store.loadFor(identity, id, ACTION_OF[cmd.kind]);
        checkVersion(doc, expectedVersion);
        const now = deps.now();
        const { state, transition } = fromDomain(() => applyHazardCommand(doc.state, cmd, { now, actor: identity.subject }));
        let escalation: EscalationState = { ...doc.escalation, lastActionAt: now.toISOString() };
        if (cmd.kind === 'reinspect' && !cmd.passed) escalation = resetOnNewDeadline(escalation);
        return saveTransition(doc, { state, transition, cmd, escalation }, now);
      });
    },

    /**
     * The sensors service reports the fault behind sensor hazard `hazardId` gone: the device itself
     * re-inspects the hazard and closes it (domain `verifyByDevice`). 'unchanged' when the hazard is
     * no longer open (a person closed or dismissed it first, or a redelivery); 'unknown' when no
     * sensor hazard is stored under the id — its fault was never recorded here, so retrying cannot
     * help: logged and ignored.
     */
    async verifyFromDevice(
      hazardId: string,
      fault: { deviceId: string; resolvedAt: string },
    ): Promise<'closed' | 'unchanged' | 'unknown'> {
      return locked(hazardId, async () => {
        const doc = await store.read(hazardId);
        if (!doc || doc.source !== 'sensor') {
          deps.logger.warn({ hazardId, deviceId: fault.deviceId }, 'resolved sensor fault has no sensor hazard here; ignored');
          return 'unknown';
        }
        const now = deps.now();
        const notes = `设备 ${fault.deviceId} 于 ${fault.resolvedAt} 恢复正常，故障消除，系统自动复查通过`;
        const verified = fromDomain(() => verifyByDevice(doc.state, { now, actor: `device:${fault.deviceId}`, notes }));
        if (!verified) return 'unchanged';
        const cmd: HazardCommand = { kind: 'reinspect', passed: true, notes };
        const escalation: EscalationState = { ...doc.escalation, lastActionAt: now.toISOString() };
        await saveTransition(doc, { ...verified, cmd, escalation }, now);
        return 'closed';
      });
    },

    /** GB 35181 determination with its procedure steps (集体讨论, 专家论证); may regrade the hazard. */
    async determine(identity: Identity, id: string, raw: unknown): Promise<HazardDoc> {
      const input = fromDomain(() => parseInput(determinationInput, raw));
      return locked(id, async () => {
        const doc = await store.loadFor(identity, id, 'determine');
        checkVersion(doc, input.expectedVersion);
        const now = deps.now();
        const at = now.toISOString();
        const unit = await models.units.findById(doc.unitId).lean<UnitRefDoc>();
        const factorCodes = input.factorCodes ?? doc.factorCodes;
        const determination = unit
          ? determine(unit, now, {
              factorCodes,
              exclusions: input.exclusions,
              correctedOnSite: input.correctedOnSite,
              premisesClasses: input.premisesClasses,
            })
          : doc.determination;
        const { discussion, expertPanel } = procedureSteps(input, at, doc);
        const decided = fromDomain(() => finalGrade(determination, discussion, expertPanel));
        const changed: HazardDoc = {
          ...doc,
          determination,
          factorCodes,
          ...(discussion ? { discussion } : {}),
          ...(expertPanel ? { expertPanel } : {}),
          gradeDecidedBy: decided.decidedBy,
          version: doc.version + 1,
          updatedAt: at,
        };
        if (decided.grade === doc.state.grade) return store.save(doc, changed, []);
        const cmd: HazardCommand = { kind: 'regrade', grade: decided.grade };
        const { state, transition } = fromDomain(() => applyHazardCommand(doc.state, cmd, { now, actor: identity.subject }));
        const after = { ...changed, state };
        return store.save(doc, after, [hazardTransitioned(after, hazardSignal(doc), transition, cmd)]);
      });
    },

    /** 警示约谈: recorded against a hazard under listed supervision; counts as someone acting. */
    async interview(identity: Identity, id: string, raw: unknown): Promise<HazardDoc> {
      const input = fromDomain(() => parseInput(interviewInput, raw));
      return locked(id, async () => {
        const doc = await store.loadFor(identity, id, 'interview');
        const now = deps.now();
        const interview: WarningInterview = {
          at: input.at ?? now.toISOString(),
          by: identity.subject,
          interviewee: input.interviewee,
          level: input.level,
          ...(input.notes ? { notes: input.notes } : {}),
        };
        const escalation = { ...fromDomain(() => recordInterview(doc.escalation, interview)), lastActionAt: now.toISOString() };
        const changed = { ...doc, escalation, version: doc.version + 1, updatedAt: now.toISOString() };
        return saveStepped(doc, changed, now, (after, previous) =>
          hazardEscalated(after, previous, { kind: 'warning_interview' }),
        );
      });
    },

    /** One sweep step for one hazard: applies whatever escalation is due at `now`. */
    async escalateOne(id: string, now: Date): Promise<EscalationAction[]> {
      return locked(id, async () => {
        const doc = await store.read(id);
        if (!doc) {
          await store.forgetInSweep(id);
          return [];
        }
        const stepped = escalationStep(doc, now);
        if (stepped.actions.length === 0) {
          // Nothing due (a stale score): put the hazard back where its document says.
          if (stepped.doc.nextCheckAt !== doc.nextCheckAt) await store.setNextCheck(id, stepped.doc.nextCheckAt);
          await store.reindex(stepped.doc);
          return [];
        }
        const after = { ...stepped.doc, version: doc.version + 1, updatedAt: now.toISOString() };
        const next = chain(doc, after);
        await store.save(
          doc,
          after,
          stepped.actions.map((a) => hazardEscalated(after, next(), a)),
        );
        return stepped.actions;
      });
    },
  };
}

export type HazardService = ReturnType<typeof hazardService>;
