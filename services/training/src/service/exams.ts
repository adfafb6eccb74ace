import { randomBytes } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { collectionOf, conflict, fromDomain, isDuplicateKeyError, newId, notFound } from '@firegov/kit';
import type { Page } from '@firegov/service';
import { certificateIdOf } from '../domain/certificates.ts';
import {
  answerInput,
  candidateView,
  checkedAnswer,
  examInput,
  grade,
  isOverdue,
  newAttempt,
  newExam,
  PROCTORS,
  startAttemptInput,
  type Answer,
  type Attempt,
  type Exam,
} from '../domain/exams.ts';
import { contentVisible } from '../domain/jurisdiction.ts';
import type { CertificateService } from './certificates.ts';
import { assertAuthor, assertRole, contentFilter, pageIn, type LearningDeps } from './learning-access.ts';

export interface AnswerReceipt {
  attemptId: string;
  questionId: string;
  choice: string[];
  answeredCount: number;
  deadline: string;
}

const openKey = (examId: string, personId: string) => `${examId}:${personId}`;

/**
 * The only writer of exams (考试) and attempts (答卷). Candidates are not platform users: a proctor
 * (county, township or village staff) starts, answers and submits for them inside the proctor's
 * jurisdiction, and is recorded on the attempt. A second start while an attempt is open is refused
 * with CONFLICT naming the open attempt (`openAttempt` finds it to resume).
 */
export function examService(deps: LearningDeps & { certificates: CertificateService }) {
  const exams = collectionOf(deps.models.exams);
  const attempts = collectionOf(deps.models.attempts);
  const open = collectionOf(deps.models.openAttempts);
  const banks = collectionOf(deps.models.questionBanks);
  const courses = collectionOf(deps.models.courses);

  async function visibleExam(who: Identity, id: string): Promise<Exam> {
    const doc = await exams.findOne({ _id: id });
    if (!doc || !contentVisible(who.jurisdiction, doc)) throw notFound('exam');
    return doc;
  }

  async function examOf(attempt: Attempt): Promise<Exam> {
    const exam = await exams.findOne({ _id: attempt.examId });
    if (!exam) throw new Error(`attempt ${attempt._id} names missing exam ${attempt.examId}`);
    return exam;
  }

  /**
   * Grades an open attempt (on submit, or lazily once past its deadline), issues the certificate of
   * a pass and frees the person to start again. Safe to repeat: only one grading is stored, and a
   * graded pass missing its certificate (a crash in between) gets it now.
   */
  async function finalize(attempt: Attempt): Promise<Attempt> {
    const exam = await examOf(attempt);
    let graded = attempt;
    if (attempt.status === 'in_progress') {
      const g = fromDomain(() => grade(attempt, exam.passMarkPercent, deps.now()));
      const fields = { status: 'graded' as const, ...g, ...(g.passed ? { certificateId: certificateIdOf(attempt._id) } : {}) };
      const res = await attempts.updateOne({ _id: attempt._id, status: 'in_progress' }, { $set: fields });
      graded = res.matchedCount === 1 ? { ...attempt, ...fields } : ((await attempts.findOne({ _id: attempt._id })) ?? attempt);
    }
    if (graded.passed) await deps.certificates.issue(graded, exam);
    await open.deleteOne({ _id: openKey(graded.examId, graded.personId), attemptId: graded._id });
    return graded;
  }

  /** The attempt as the caller may see it: in its scope, graded if past the deadline, key hidden until graded. */
  async function attemptInScope(who: Identity, id: string): Promise<Attempt> {
    const doc = await attempts.findOne({ _id: id });
    if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('attempt');
    return doc;
  }

  async function visibleAttempt(who: Identity, id: string): Promise<Attempt> {
    const doc = await attemptInScope(who, id);
    return isOverdue(doc, deps.now()) ? finalize(doc) : doc;
  }

  /** Takes the person's open slot for this exam, clearing a stale one (graded, overdue or orphaned) first. */
  async function claimSlot(exam: Exam, personId: string, attemptId: string, deadline: string): Promise<void> {
    const _id = openKey(exam._id, personId);
    for (let tries = 0; tries < 2; tries += 1) {
      try {
        await open.insertOne({ _id, attemptId, deadline });
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const held = await open.findOne({ _id });
      const current = held ? await attempts.findOne({ _id: held.attemptId }) : null;
      if (current && current.status === 'in_progress' && !isOverdue(current, deps.now())) {
        throw conflict(`person ${personId} has an attempt in progress`, [
          { path: '$.personId', reason: `has attempt ${current._id} in progress until ${current.deadline}` },
        ]);
      }
      if (current) await finalize(current);
      else if (held) await open.deleteOne({ _id, attemptId: held.attemptId });
    }
    throw conflict('another start for this person is in progress; try again');
  }

  return {
    byId: visibleExam,

    async define(who: Identity, raw: unknown): Promise<Exam> {
      assertAuthor(who, 'exams');
      const input = fromDomain(() => parseInput(examInput, raw));
      const [bank, course] = await Promise.all([banks.findOne({ _id: input.bankId }), courses.findOne({ _id: input.courseId })]);
      const doc = fromDomain(() =>
        newExam(
          input,
          bank && contentVisible(who.jurisdiction, bank) ? bank : null,
          course && contentVisible(who.jurisdiction, course) ? course : null,
          { id: newId('ex'), now: deps.now(), actor: who.subject, jurisdictionCode: who.jurisdiction },
        ),
      );
      await exams.insertOne(doc);
      return doc;
    },

    list(who: Identity, first?: number | null, after?: string | null): Promise<Page<Exam>> {
      return pageIn(exams, contentFilter(who), first, after);
    },

    /** Draws the paper (seeded per attempt, stored) and starts the clock. */
    async start(who: Identity, raw: unknown): Promise<Attempt> {
      assertRole(who, PROCTORS, 'proctor exams');
      const input = fromDomain(() => parseInput(startAttemptInput, raw));
      const exam = await visibleExam(who, input.examId);
      const bank = await banks.findOne({ _id: exam.bankId });
      if (!bank) throw new Error(`exam ${exam._id} names missing bank ${exam.bankId}`);
      const attempt = newAttempt(exam, bank, input, {
        id: newId('att'),
        seed: randomBytes(8).toString('hex'),
        now: deps.now(),
        proctor: { subject: who.subject, role: who.role, jurisdiction: who.jurisdiction },
      });
      await claimSlot(exam, input.personId, attempt._id, attempt.deadline);
      await attempts.insertOne(attempt);
      return candidateView(attempt);
    },

    async answer(who: Identity, raw: unknown): Promise<AnswerReceipt> {
      assertRole(who, PROCTORS, 'proctor exams');
      const input = fromDomain(() => parseInput(answerInput, raw));
      const attempt = await visibleAttempt(who, input.attemptId);
      const now = deps.now();
      const answer: Answer = fromDomain(() => checkedAnswer(attempt, input.questionId, input.choice, now));
      // The deadline is checked again by the write itself, so an answer racing the clock cannot land late.
      const res = await attempts.updateOne(
        { _id: attempt._id, status: 'in_progress', deadline: { $gt: now.toISOString() } },
        { $set: { [`answers.${input.questionId}`]: answer } },
      );
      if (res.matchedCount === 0) {
        throw conflict('the attempt no longer takes answers', [{ path: '$.attemptId', reason: 'was submitted or timed out' }]);
      }
      const answered = new Set([...Object.keys(attempt.answers), input.questionId]);
      return {
        attemptId: attempt._id,
        questionId: input.questionId,
        choice: answer.choice,
        answeredCount: answered.size,
        deadline: attempt.deadline,
      };
    },

    /** Grades now (or as of the deadline if it passed); submitting a graded attempt returns it as it is. */
    async submit(who: Identity, attemptId: string): Promise<Attempt> {
      assertRole(who, PROCTORS, 'proctor exams');
      return finalize(await attemptInScope(who, attemptId));
    },

    async attempt(who: Identity, id: string): Promise<Attempt> {
      return candidateView(await visibleAttempt(who, id));
    },

    /** The person's attempt in progress at this exam, if any (to resume after a lost connection). */
    async openAttempt(who: Identity, examId: string, personId: string): Promise<Attempt | null> {
      const held = await open.findOne({ _id: openKey(examId, personId) });
      const doc = held ? await attempts.findOne({ _id: held.attemptId }) : null;
      if (!doc || !doc.scope.includes(who.jurisdiction)) return null;
      const a = isOverdue(doc, deps.now()) ? await finalize(doc) : doc;
      return a.status === 'in_progress' ? candidateView(a) : null;
    },

    /** Attempts at an exam taken inside the caller's jurisdiction; those past their deadline are graded as read. */
    async attempts(who: Identity, examId: string, first?: number | null, after?: string | null): Promise<Page<Attempt>> {
      const page = await pageIn(attempts, { examId, scope: who.jurisdiction }, first, after);
      const now = deps.now();
      const nodes = await Promise.all(page.nodes.map(async (a) => candidateView(isOverdue(a, now) ? await finalize(a) : a)));
      return { ...page, nodes };
    },
  };
}

export type ExamService = ReturnType<typeof examService>;
