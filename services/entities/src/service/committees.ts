import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { collectionOf, conflict, fromDomain, isDuplicateKeyError, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import {
  acknowledgeWarningSchema,
  decisionItemId,
  issueWarningSchema,
  recordSessionSchema,
  registerCommitteeSchema,
  sessionProblems,
  updateCommitteeSchema,
  warningListSchema,
  type CommitteeMember,
} from '../domain/committees.ts';
import { beijingDate } from '../domain/risk.ts';
import {
  committeeChanged,
  sessionRecorded,
  warningAcknowledged,
  warningAcknowledgementOverdue,
  warningIssued,
} from '../events/outbound.ts';
import type {
  CommitteeDoc,
  CommitteeSessionDoc,
  DepartmentDoc,
  FireWarningDoc,
  JurisdictionDoc,
  ListItemDoc,
} from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { alreadyRegistered, insertRecord, registeredJurisdiction } from './inserts.ts';
import { updateUnderVersion } from './versioned-update.ts';

type Problem = { path: string; reason: string };

/** A session left unapplied this long is taken to be a crashed write, not one in progress. */
const SESSION_GRACE_MS = 60_000;

/**
 * 消安委: committees and their members, the sessions of 双定期 whose decisions become department
 * list items, and 预警提示 sent down to grids with each grid's acknowledgement.
 */
export function committeeService(
  deps: EntitiesDeps,
  lists: { addDecisionItems(departmentCode: string, items: readonly ListItemDoc[]): Promise<number> },
) {
  const { committees, committeeSessions, fireWarnings, departments, jurisdictions } = deps.models;

  /** Problems with departments named at `paths`: each must be registered at or below `place`. */
  async function departmentProblems(codes: ReadonlyArray<[path: string, code: string]>, place: string): Promise<Problem[]> {
    if (codes.length === 0) return [];
    const found = await departments
      .find({ _id: { $in: [...new Set(codes.map(([, c]) => c))] } })
      .select({ scope: 1 })
      .lean<Array<Pick<DepartmentDoc, '_id' | 'scope'>>>();
    const byCode = new Map(found.map((d) => [d._id, d]));
    return codes.flatMap(([path, code]): Problem[] => {
      const dept = byCode.get(code);
      if (!dept) return [{ path, reason: `department ${code} is not registered` }];
      if (!dept.scope.includes(place)) return [{ path, reason: `department ${code} is not within ${place}` }];
      return [];
    });
  }

  const memberDepartments = (members: readonly CommitteeMember[]): Array<[string, string]> =>
    members.flatMap((m, i): Array<[string, string]> =>
      m.departmentCode ? [[`$.members[${i}].departmentCode`, m.departmentCode]] : [],
    );

  async function committeeInScope(identity: Identity, code: string): Promise<CommitteeDoc> {
    const doc = await committees
      .findOne({ _id: code, ...scopeFilter(identity) })
      .select({ outbox: 0 })
      .lean<CommitteeDoc>();
    if (!doc) throw notFound(`committee ${code}`);
    return doc;
  }

  /**
   * Completes a stored session: its decisions into the departments' lists (once each), then the
   * committee's last session of that kind, then the mark. Every step may run again safely.
   */
  async function applySession(session: CommitteeSessionDoc): Promise<void> {
    const byDepartment = new Map<string, ListItemDoc[]>();
    for (const d of session.decisions) {
      const items = byDepartment.get(d.departmentCode) ?? [];
      items.push({
        id: d.itemId,
        title: d.title,
        owner: d.owner,
        deadline: d.deadline,
        status: 'pending',
        origin: { committeeCode: session.committeeCode, sessionId: session.sessionId },
      });
      byDepartment.set(d.departmentCode, items);
    }
    for (const [code, items] of byDepartment) await lists.addDecisionItems(code, items);
    const field = session.kind === 'meeting' ? 'lastMeetingOn' : 'lastReportOn';
    // A later session recorded first keeps its date: the last held counts, not the last recorded.
    await committees.updateOne(
      { _id: session.committeeCode, $or: [{ [field]: { $exists: false } }, { [field]: { $lt: session.heldOn } }] },
      { $set: { [field]: session.heldOn } },
    );
    await committeeSessions.updateOne({ _id: session._id }, { $set: { applied: true } });
  }

  return {
    async registerCommittee(identity: Identity, raw: unknown): Promise<CommitteeDoc> {
      const input = fromDomain(() => parseInput(registerCommitteeSchema, raw));
      assertCanWrite(identity, 'committee', input.jurisdictionCode);
      const place = await registeredJurisdiction(jurisdictions, input.jurisdictionCode);
      const problems = await departmentProblems(memberDepartments(input.members), input.jurisdictionCode);
      if (problems.length > 0) throw validationFailed(problems);
      const doc: CommitteeDoc = {
        _id: input.code,
        name: input.name,
        jurisdictionCode: input.jurisdictionCode,
        scope: place.scope,
        members: input.members,
        meetingEveryDays: input.meetingEveryDays,
        reportEveryDays: input.reportEveryDays,
        demo: input.demo,
        version: 1,
        createdAt: deps.now().toISOString(),
      };
      await insertRecord(committees, { ...doc, ...newOutbox([committeeChanged(doc)]) }, () =>
        alreadyRegistered(`committee ${doc._id}`),
      );
      deps.relay.kick(committees.collection, [doc._id]);
      return doc;
    },

    /** 及时调整成员: name, members (replaced whole) or schedule, under a version; announced. */
    async updateCommittee(identity: Identity, code: string, raw: unknown): Promise<CommitteeDoc> {
      const { expectedVersion, ...changes } = fromDomain(() => parseInput(updateCommitteeSchema, raw));
      if (changes.members) {
        const current = await committeeInScope(identity, code);
        const problems = await departmentProblems(memberDepartments(changes.members), current.jurisdictionCode);
        if (problems.length > 0) throw validationFailed(problems);
      }
      return updateUnderVersion<CommitteeDoc>(deps, {
        model: committees,
        kind: 'committee',
        label: 'committee',
        identity,
        id: code,
        expectedVersion,
        changes,
        placeOf: (record) => record.jurisdictionCode,
        event: (after) => committeeChanged(after, Object.keys(changes)),
      });
    },

    async committees(identity: Identity, jurisdictionCode?: string | null): Promise<CommitteeDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<CommitteeDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      return committees.find(query).select({ outbox: 0 }).sort({ _id: 1 }).lean<CommitteeDoc[]>();
    },

    /** A committee's sessions, latest held first. */
    async committeeSessions(identity: Identity, committeeCode: string, limit: number): Promise<CommitteeSessionDoc[]> {
      assertCanRead(identity);
      return committeeSessions
        .find({ committeeCode, applied: true, ...scopeFilter(identity) })
        .select({ outbox: 0 })
        .sort({ heldOn: -1, _id: 1 })
        .limit(Math.min(Math.max(limit, 1), 100))
        .lean<CommitteeSessionDoc[]>();
    },

    /**
     * A session of 双定期 held: stored with its minutes, then each decision becomes an item of the
     * named department's 任务清单. A retry of the same session completes it; a different session
     * under a used id is a conflict.
     */
    async recordCommitteeSession(identity: Identity, raw: unknown): Promise<CommitteeSessionDoc> {
      const input = fromDomain(() => parseInput(recordSessionSchema, raw));
      const committee = await committeeInScope(identity, input.committeeCode);
      assertCanWrite(identity, 'committee', committee.jurisdictionCode);
      const problems = [
        ...sessionProblems(input, beijingDate(deps.now())),
        ...(await departmentProblems(
          input.decisions.map((d, i): [string, string] => [`$.decisions[${i}].departmentCode`, d.departmentCode]),
          committee.jurisdictionCode,
        )),
      ];
      if (problems.length > 0) throw validationFailed(problems);
      const session: CommitteeSessionDoc = {
        _id: `${committee._id}/${input.id}`,
        committeeCode: committee._id,
        sessionId: input.id,
        scope: committee.scope,
        kind: input.kind,
        heldOn: input.heldOn,
        attendees: input.attendees,
        minutes: input.minutes,
        decisions: input.decisions.map((d, i) => ({ ...d, itemId: decisionItemId(input.id, i) })),
        recordedBy: identity.subject,
        recordedAt: deps.now().toISOString(),
        applied: false,
      };
      try {
        await collectionOf(committeeSessions).insertOne({ ...session, ...newOutbox([sessionRecorded(session)]) });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const stored = await committeeSessions.findById(session._id).select({ outbox: 0 }).lean<CommitteeSessionDoc>();
        const same =
          stored && stored.kind === session.kind && stored.heldOn === session.heldOn && stored.minutes === session.minutes;
        if (!same)
          throw conflict(`session ${input.id} of ${committee._id} is already recorded`, [
            { path: '$.id', reason: 'already recorded' },
          ]);
        if (!stored.applied) await applySession(stored);
        return { ...stored, applied: true };
      }
      deps.relay.kick(committeeSessions.collection, [session._id]);
      await applySession(session);
      return { ...session, applied: true };
    },

    /** Completes sessions a crash left unapplied (the sweep); returns how many. */
    async completePendingSessions(): Promise<number> {
      const before = new Date(deps.now().getTime() - SESSION_GRACE_MS).toISOString();
      const pending = await committeeSessions
        .find({ applied: false, recordedAt: { $lt: before } })
        .select({ outbox: 0 })
        .lean<CommitteeSessionDoc[]>();
      for (const session of pending) await applySession(session);
      return pending.length;
    },

    /** 预警提示 to every grid under a township, village or county, each to acknowledge in time. */
    async issueFireWarning(identity: Identity, raw: unknown): Promise<FireWarningDoc> {
      const input = fromDomain(() => parseInput(issueWarningSchema, raw));
      assertCanWrite(identity, 'warning', input.jurisdictionCode);
      const grids = await jurisdictions
        .find({ scope: input.jurisdictionCode, level: 'grid' })
        .select({ name: 1, scope: 1 })
        .sort({ _id: 1 })
        .lean<Array<Pick<JurisdictionDoc, '_id' | 'name' | 'scope'>>>();
      if (grids.length === 0)
        throw validationFailed([
          { path: '$.jurisdictionCode', reason: `no grids are registered under ${input.jurisdictionCode}` },
        ]);
      const now = deps.now();
      const doc: FireWarningDoc = {
        _id: input.id,
        jurisdictionCode: input.jurisdictionCode,
        reach: [...new Set(grids.flatMap((g) => g.scope))].sort(),
        kind: input.kind,
        title: input.title,
        body: input.body,
        validFrom: input.validFrom,
        validTo: input.validTo,
        acknowledgeBy: new Date(now.getTime() + input.acknowledgeWithinHours * 3_600_000).toISOString(),
        grids: grids.map((g) => ({ code: g._id, name: g.name })),
        issuedBy: identity.subject,
        issuedAt: now.toISOString(),
        demo: input.demo,
      };
      await insertRecord(fireWarnings, { ...doc, ...newOutbox([warningIssued(doc)]) }, () =>
        conflict(`warning ${doc._id} is already issued`, [{ path: '$.id', reason: 'already issued' }]),
      );
      deps.relay.kick(fireWarnings.collection, [doc._id]);
      return doc;
    },

    /** The grid's manager confirms receipt; once per grid (a repeat changes nothing). */
    async acknowledgeFireWarning(identity: Identity, raw: unknown): Promise<FireWarningDoc> {
      const input = fromDomain(() => parseInput(acknowledgeWarningSchema, raw));
      assertCanWrite(identity, 'warningAcknowledgement', input.gridCode);
      return withDocumentLock(fireWarnings.collection.collectionName, input.warningId, async () => {
        const warning = await fireWarnings
          .findOne({ _id: input.warningId, reach: identity.jurisdiction })
          .select({ outbox: 0 })
          .lean<FireWarningDoc>();
        if (!warning) throw notFound(`warning ${input.warningId}`);
        const grid = warning.grids.find((g) => g.code === input.gridCode);
        if (!grid)
          throw validationFailed([
            { path: '$.gridCode', reason: `warning ${warning._id} was not sent to grid ${input.gridCode}` },
          ]);
        if (grid.acknowledgedAt) return warning;
        const at = deps.now().toISOString();
        const after: FireWarningDoc = {
          ...warning,
          grids: warning.grids.map((g) =>
            g.code === input.gridCode ? { ...g, acknowledgedAt: at, acknowledgedBy: identity.subject } : g,
          ),
        };
        await collectionOf(fireWarnings).updateOne(
          { _id: warning._id },
          withOutbox({ $set: { grids: after.grids } }, [warningAcknowledged(after, input.gridCode, identity.subject)]),
        );
        deps.relay.kick(fireWarnings.collection, [warning._id]);
        return after;
      });
    },

    /** Warnings that reach the caller (and `jurisdictionCode`, when given), latest first. */
    async fireWarnings(identity: Identity, raw: { jurisdictionCode?: string | null; activeOn?: string | null; limit: number }) {
      assertCanRead(identity);
      const o = fromDomain(() => parseInput(warningListSchema, raw));
      const query: FilterQuery<FireWarningDoc> = { reach: identity.jurisdiction };
      if (o.jurisdictionCode) query.$and = [{ reach: o.jurisdictionCode }];
      if (o.activeOn) Object.assign(query, { validFrom: { $lte: o.activeOn }, validTo: { $gte: o.activeOn } });
      return fireWarnings
        .find(query)
        .select({ outbox: 0 })
        .sort({ issuedAt: -1, _id: 1 })
        .limit(o.limit)
        .lean<FireWarningDoc[]>();
    },

    /**
     * Grids still silent when a warning's time to acknowledge has passed are named to the issuer,
     * once per warning (the sweep); returns how many warnings were announced.
     */
    async announceUnacknowledgedWarnings(): Promise<number> {
      const now = deps.now().toISOString();
      const due = await fireWarnings
        .find({ overdueCheckedAt: { $exists: false }, acknowledgeBy: { $lt: now } })
        .select({ outbox: 0 })
        .lean<FireWarningDoc[]>();
      let announced = 0;
      for (const w of due) {
        const pending = w.grids.some((g) => !g.acknowledgedAt);
        // The filter on the mark makes a second sweep (or replica) change nothing.
        const res = await collectionOf(fireWarnings).updateOne(
          { _id: w._id, overdueCheckedAt: { $exists: false } },
          pending
            ? withOutbox({ $set: { overdueCheckedAt: now } }, [warningAcknowledgementOverdue(w)])
            : { $set: { overdueCheckedAt: now } },
        );
        if (pending && res.modifiedCount === 1) {
          announced += 1;
          deps.relay.kick(fireWarnings.collection, [w._id]);
        }
      }
      return announced;
    },
  };
}
