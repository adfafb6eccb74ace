import type { Identity } from '@firegov/auth';
import { collectionOf, forbidden, isDuplicateKeyError, validationFailed } from '@firegov/kit';
import { actorKey, completesCourse, courseIdOf, parseStatements, statementHash, type Statement } from '../domain/xapi.ts';
import type { XapiLearningRecordDoc } from '../store/people.ts';
import type { ComplianceService } from './compliance.ts';
import type { PeopleService } from './people.ts';
import type { PeopleDeps } from './people-deps.ts';

export type StatementStatus = 'applied' | 'replayed' | 'refused';

export interface StatementResult {
  index: number;
  id: string;
  status: StatementStatus;
  /** What an applied statement did: a learning record, or nothing (a verb that records nothing). */
  effect?: 'learning_record' | 'none';
  reason?: string;
}

export interface StatementsReceipt {
  results: StatementResult[];
  applied: number;
  replayed: number;
  refused: number;
}

/**
 * Learning records from the national learning platform (全民消防学习云平台) as xAPI statements.
 * Each statement is applied at most once by its id: the record's id derives from the statement id
 * and the statement is stored after it, so a replay (or a crash and retry in between) writes one
 * record. A statement whose actor is no registered person in the platform's jurisdiction is
 * refused alone and not stored, so it can be sent again once the person is registered.
 */
export function xapiService(deps: PeopleDeps & { people: PeopleService; compliance: Pick<ComplianceService, 'recompute'> }) {
  const statements = collectionOf(deps.models.xapiStatements);
  const records = collectionOf(deps.models.xapiLearningRecords);

  async function applyOne(who: Identity, s: Statement, index: number): Promise<{ result: StatementResult; unitIds: string[] }> {
    const hash = statementHash(s);
    const refused = (reason: string) => ({ result: { index, id: s.id, status: 'refused' as const, reason }, unitIds: [] });
    const replayOrConflict = (existing: { hash: string }) =>
      existing.hash === hash
        ? { result: { index, id: s.id, status: 'replayed' as const, reason: 'already applied: nothing changed' }, unitIds: [] }
        : refused('the statement id was already used for a different statement (xAPI: conflict)');

    const existing = await statements.findOne({ _id: s.id });
    if (existing) return replayOrConflict(existing);

    const person = await deps.people.byActor(actorKey(s));
    if (!person || !person.scope.includes(who.jurisdiction))
      return refused('actor is not a registered person in your jurisdiction');

    const records_ = completesCourse(s);
    const courseId = courseIdOf(s.object.id);
    if (records_ && courseId === null) return refused('object.id does not name a course (…/courses/<course id>)');
    if (records_ && courseId !== null) {
      await records.updateOne(
        { _id: `lr_${s.id}` },
        {
          $setOnInsert: {
            statementId: s.id,
            personId: person._id,
            courseId,
            issuedAt: new Date(s.timestamp).toISOString(),
            validUntil: null,
            ...(s.result?.score?.scaled !== undefined ? { scaledScore: s.result.score.scaled } : {}),
            recordedAt: deps.now().toISOString(),
          },
        },
        { upsert: true },
      );
    }
    try {
      await statements.insertOne({
        _id: s.id,
        hash,
        personId: person._id,
        outcome: records_ ? 'recorded' : 'no_effect',
        receivedAt: deps.now().toISOString(),
        receivedBy: who.subject,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // A concurrent copy of the same request stored it first.
      const stored = await statements.findOne({ _id: s.id });
      if (stored) return replayOrConflict(stored);
    }
    return {
      result: { index, id: s.id, status: 'applied', effect: records_ ? 'learning_record' : 'none' },
      unitIds: records_ ? person.unitIds : [],
    };
  }

  return {
    /** The learning-platform records of a person the caller sees (absent person: NOT_FOUND). */
    async recordsOf(who: Identity, personId: string): Promise<XapiLearningRecordDoc[]> {
      await deps.people.byId(who, personId);
      return records.find({ personId }).sort({ issuedAt: -1 }).limit(200).toArray();
    },

    /** Validates the whole body first (a malformed batch changes nothing), then applies each statement once. */
    async receive(who: Identity, body: unknown): Promise<StatementsReceipt> {
      if (who.role !== 'learning_platform') throw forbidden(`role ${who.role} may not send learning statements`);
      const parsed = parseStatements(body);
      if (!parsed.ok) throw validationFailed(parsed.problems, `statements are invalid: ${parsed.problems.length} problem(s)`);
      const results: StatementResult[] = [];
      const touched = new Set<string>();
      for (const [i, s] of parsed.statements.entries()) {
        // Sequential: two statements of one batch about one person must not race on its coverage.
        const { result, unitIds } = await applyOne(who, s, i);
        results.push(result);
        for (const id of unitIds) touched.add(id);
      }
      if (touched.size) await deps.compliance.recompute([...touched]);
      const count = (status: StatementStatus) => results.filter((r) => r.status === status).length;
      return { results, applied: count('applied'), replayed: count('replayed'), refused: count('refused') };
    },
  };
}

export type XapiService = ReturnType<typeof xapiService>;
