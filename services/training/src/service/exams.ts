import { randomBytes } from 'node:crypto';
import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { collectionOf, conflict, fromDomain, isDuplicateKeyError, newId, notFound } from '@firegov/kit';
import type { Page } from '@firegov/service';
import { certificateIdOf } from '../domain/certificates.ts';
import {
  answerInput,
  assertOpen,
  candidateView,
  checkedAnswer,
  examInput,
  grade,
  isOverdue,
  newAttempt,
  newExam,
  paperOf,
  PROCTORS,
  startAttemptInput,
  type Answer,
  type Attempt,
  type AttemptView,
  type Exam,
} from '../domain/exams.ts';
import { contentVisible } from '../domain/jurisdiction.ts';
import type { Question, QuestionBank } from '../domain/question-banks.ts';
import type { CertificateService } from './certificates.ts';
import { assertAuthor, assertRole, contentFilter, pageIn, type LearningDeps } from './learning-access.ts';
import { withDocumentLock } from '@firegov/events';

export interface AnswerReceipt {
  attemptId: string;
  questionId: string;
  choice: string[];
  deadline: string;
}

const openKey = (examId: string, personId: string) => `${examId}:${personId}`;
/** Writes to one answer sheet that lost a race with another are retried this often before CONFLICT. */
const SHEET_TRIES = 5;
const parseSheet = (json: string | undefined): Record<string, Answer> =>
  json ? (JSON.parse(json) as Record<string, Answer>) : {};

/** What an answer needs of its attempt; none of it changes after the start, so it may be cached. */
type AttemptHeader = Pick<Attempt, '_id' | 'examId' | 'bankId' | 'scope' | 'deadline' | 'questionIds'>;
const HEADER = { _id: 1, examId: 1, bankId: 1, scope: 1, deadline: 1, questionIds: 1 } as const;
const MAX_CACHED = 20_000;
const DRAW_CACHE_MS = 60_000;

/** A bounded map: the oldest entry goes when full. */
function boundedCache<V>(max: number) {
  const map = new Map<string, V>();
  return {
    get: (k: string) => map.get(k),
    set(k: string, v: V): V {
      if (map.size >= max) map.delete(map.keys().next().value as string);
      map.set(k, v);
      return v;
    },
  };
}

/**
 * The only writer of exams (考试) and attempts (答卷). Candidates are not platform users: a proctor
 * (county, township or village staff) starts, answers and submits for them inside the proctor's
 * jurisdiction, and is recorded on the attempt. A second start while an attempt is open is refused
 * with CONFLICT naming the open attempt (`openAttempt` finds it to resume).
 *
 * Exams, bank questions and attempt headers never change once written, so this process caches them:
 * an answer is then one read and one versioned write of its attempt’s small answer sheet (the
 * exam-day bench’s hot path).
 */
export function examService(deps: LearningDeps & { certificates: CertificateService }) {
  const exams = collectionOf(deps.models.exams);
  const attempts = collectionOf(deps.models.attempts);
  const open = collectionOf(deps.models.openAttempts);
  const banks = collectionOf(deps.models.questionBanks);
  const courses = collectionOf(deps.models.courses);
  const sheets = collectionOf(deps.models.answerSheets);
  const examCache = boundedCache<Exam>(1000);
  const bankCache = boundedCache<Map<string, Question>>(200);
  // Draws use the bank as read at most a minute ago: questions appended since join later papers.
  const drawCache = boundedCache<{ bank: QuestionBank; readAt: number }>(200);
  const headerCache = boundedCache<AttemptHeader>(MAX_CACHED);

  async function examById(id: string): Promise<Exam | null> {
    const hit = examCache.get(id);
    if (hit) return hit;
    const doc = await exams.findOne({ _id: id });
    return doc ? examCache.set(id, doc) : null;
  }

  /** The bank's questions by id; re-read when one asked for is not cached yet (appended since). */
  async function questionsOf(bankId: string, ids: readonly string[]): Promise<Map<string, Question>> {
    const hit = bankCache.get(bankId);
    if (hit && ids.every((id) => hit.has(id))) return hit;
    const bank = await banks.findOne({ _id: bankId });
    if (!bank) throw new Error(`question bank ${bankId} is missing`);
    return bankCache.set(bankId, new Map(bank.questions.map((q) => [q.id, q])));
  }

  async function bankForDraw(bankId: string): Promise<QuestionBank> {
    const hit = drawCache.get(bankId);
    if (hit && Date.now() - hit.readAt < DRAW_CACHE_MS) return hit.bank;
    const bank = await banks.findOne({ _id: bankId });
    if (!bank) throw new Error(`question bank ${bankId} is missing`);
    bankCache.set(bankId, new Map(bank.questions.map((q) => [q.id, q])));
    return drawCache.set(bankId, { bank, readAt: Date.now() }).bank;
  }

  async function visibleExam(who: Identity, id: string): Promise<Exam> {
    const doc = await examById(id);
    if (!doc || !contentVisible(who.jurisdiction, doc)) throw notFound('exam');
    return doc;
  }

  /** The answers given (on the attempt's sheet, closed once graded). */
  async function answersOf(attemptId: string): Promise<Record<string, Answer>> {
    return parseSheet((await sheets.findOne({ _id: attemptId }))?.answers);
  }

  /**
   * Closes the attempt's answer sheet and returns the answers on it: one write, then one read. The
   * close bumps the sheet's version, so an answer that read the sheet before it closed cannot land.
   */
  async function closeSheet(a: Attempt): Promise<Record<string, Answer>> {
    await withDocumentLock(deps.models.answerSheets.collection.collectionName, a._id, () =>
      sheets.updateOne(
        { _id: a._id },
        { $set: { closed: true }, $inc: { v: 1 }, $setOnInsert: { answers: '{}' } },
        { upsert: true },
      ),
    );
    return answersOf(a._id);
  }

  /**
   * Puts one answer on the open sheet (created by the first); false once grading has closed it.
   * Answers to one attempt take turns in this process; the version check covers other replicas.
   */
  function putAnswer(attemptId: string, questionId: string, answer: Answer): Promise<boolean> {
    return withDocumentLock(deps.models.answerSheets.collection.collectionName, attemptId, () =>
      writeAnswer(attemptId, questionId, answer),
    );
  }

  async function writeAnswer(attemptId: string, questionId: string, answer: Answer): Promise<boolean> {
    for (let tries = 0; tries < SHEET_TRIES; tries += 1) {
      const sheet = await sheets.findOne({ _id: attemptId });
      if (!sheet) {
        const created = await sheets
          .insertOne({ _id: attemptId, answers: JSON.stringify({ [questionId]: answer }), closed: false, v: 1 })
          .then(
            () => true,
            (err: unknown) => {
              if (isDuplicateKeyError(err)) return false;
              throw err;
            },
          );
        if (created) return true;
        continue;
      }
      if (sheet.closed) return false;
      const next = JSON.stringify({ ...parseSheet(sheet.answers), [questionId]: answer });
      const res = await sheets.updateOne(
        { _id: attemptId, v: sheet.v, closed: false },
        { $set: { answers: next }, $inc: { v: 1 } },
      );
      if (res.matchedCount === 1) return true;
    }
    throw conflict('answers for this attempt are arriving faster than they can be recorded; send it again', [
      { path: '$.attemptId', reason: 'the answer sheet changed while this answer was written' },
    ]);
  }

  async function view(a: Attempt): Promise<AttemptView> {
    // Answers stay on the sheet once graded (attempts graded before the sheets existed carry theirs).
    const onSheet = a.status === 'in_progress' || Object.keys(a.answers ?? {}).length === 0;
    const given = onSheet ? { ...a, answers: await answersOf(a._id) } : a;
    return candidateView(given, paperOf(a, await questionsOf(a.bankId, a.questionIds)));
  }

  /**
   * Grades an open attempt (on submit, or lazily once past its deadline), issues the certificate of
   * a pass and frees the person to start again. Safe to repeat: only one grading is stored, and a
   * graded pass missing its certificate (a crash in between) gets it now.
   */
  async function finalize(attempt: Attempt): Promise<Attempt> {
    const exam = await examById(attempt.examId);
    if (!exam) throw new Error(`attempt ${attempt._id} names missing exam ${attempt.examId}`);
    let graded = attempt;
    if (attempt.status === 'in_progress') {
      const now = deps.now();
      const answered = { ...attempt, answers: await closeSheet(attempt) };
      const paper = paperOf(attempt, await questionsOf(attempt.bankId, attempt.questionIds));
      const g = fromDomain(() => grade(answered, paper, exam.passMarkPercent, now));
      // The answers stay on the closed sheet: the attempt update is scalars only, which the local
      // store writes far faster than a map of fifty answers.
      const fields = {
        status: 'graded' as const,
        ...g,
        ...(g.passed ? { certificateId: certificateIdOf(attempt._id) } : {}),
      };
      const res = await attempts.updateOne({ _id: attempt._id, status: 'in_progress' }, { $set: fields });
      graded = res.matchedCount === 1 ? { ...answered, ...fields } : ((await attempts.findOne({ _id: attempt._id })) ?? attempt);
    }
    await Promise.all([
      graded.passed ? deps.certificates.issue(graded, exam) : undefined,
      open.deleteOne({ _id: openKey(graded.examId, graded.personId), attemptId: graded._id }),
    ]);
    return graded;
  }

  async function attemptInScope(who: Identity, id: string): Promise<Attempt> {
    const doc = await attempts.findOne({ _id: id });
    if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('attempt');
    return doc;
  }

  /** The attempt in the caller's scope, graded first if it is past its deadline. */
  async function currentAttempt(who: Identity, id: string): Promise<Attempt> {
    const doc = await attemptInScope(who, id);
    return isOverdue(doc, deps.now()) ? finalize(doc) : doc;
  }

  async function headerOf(who: Identity, id: string): Promise<AttemptHeader> {
    const header = headerCache.get(id) ?? (await attempts.findOne({ _id: id }, { projection: HEADER }));
    if (!header || !header.scope.includes(who.jurisdiction)) throw notFound('attempt');
    return headerCache.set(id, header);
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

    /** Draws the paper (seeded per attempt, stored as question ids) and starts the clock. */
    async start(who: Identity, raw: unknown): Promise<AttemptView> {
      assertRole(who, PROCTORS, 'proctor exams');
      const input = fromDomain(() => parseInput(startAttemptInput, raw));
      const exam = await visibleExam(who, input.examId);
      const bank = await bankForDraw(exam.bankId);
      const attempt = newAttempt(exam, bank, input, {
        id: newId('att'),
        seed: randomBytes(8).toString('hex'),
        now: deps.now(),
        proctor: { subject: who.subject, role: who.role, jurisdiction: who.jurisdiction },
      });
      await claimSlot(exam, input.personId, attempt._id, attempt.deadline);
      await attempts.insertOne(attempt);
      return candidateView(attempt, paperOf(attempt, await questionsOf(bank._id, attempt.questionIds)));
    },

    async answer(who: Identity, raw: unknown): Promise<AnswerReceipt> {
      assertRole(who, PROCTORS, 'proctor exams');
      const input = fromDomain(() => parseInput(answerInput, raw));
      const header = await headerOf(who, input.attemptId);
      const now = deps.now();
      if (now.toISOString() >= header.deadline) {
        // Past the deadline: grade it now (if nobody has) and say why the answer is refused.
        const graded = await currentAttempt(who, header._id);
        fromDomain(() => assertOpen(graded, now));
      }
      const questions = await questionsOf(header.bankId, [input.questionId]);
      const answer = fromDomain(() =>
        checkedAnswer({ ...header, status: 'in_progress' }, input.questionId, questions.get(input.questionId), input.choice, now),
      );
      // A sheet closed by grading refuses it, so an answer racing a submit or the deadline cannot land
      // after grading.
      const landed = await putAnswer(header._id, input.questionId, { choice: answer.choice, at: answer.at });
      if (!landed) {
        const current = await attempts.findOne({ _id: header._id }, { projection: { status: 1, deadline: 1, timedOut: 1 } });
        fromDomain(() => assertOpen(current ?? { status: 'graded', deadline: header.deadline }, now));
        throw conflict('the attempt no longer takes answers', [{ path: '$.attemptId', reason: 'was submitted' }]);
      }
      return { attemptId: header._id, questionId: input.questionId, choice: answer.choice, deadline: header.deadline };
    },

    /** Grades now (or as of the deadline if it passed); submitting a graded attempt returns it as it is. */
    async submit(who: Identity, attemptId: string): Promise<AttemptView> {
      assertRole(who, PROCTORS, 'proctor exams');
      return view(await finalize(await attemptInScope(who, attemptId)));
    },

    async attempt(who: Identity, id: string): Promise<AttemptView> {
      return view(await currentAttempt(who, id));
    },

    /** The person's attempt in progress at this exam, if any (to resume after a lost connection). */
    async openAttempt(who: Identity, examId: string, personId: string): Promise<AttemptView | null> {
      const held = await open.findOne({ _id: openKey(examId, personId) });
      const doc = held ? await attempts.findOne({ _id: held.attemptId }) : null;
      if (!doc || !doc.scope.includes(who.jurisdiction)) return null;
      const a = isOverdue(doc, deps.now()) ? await finalize(doc) : doc;
      return a.status === 'in_progress' ? view(a) : null;
    },

    /** Attempts at an exam taken inside the caller's jurisdiction; those past their deadline are graded as read. */
    async attempts(who: Identity, examId: string, first?: number | null, after?: string | null): Promise<Page<AttemptView>> {
      const page = await pageIn(attempts, { examId, scope: who.jurisdiction }, first, after);
      const now = deps.now();
      const nodes = await Promise.all(page.nodes.map(async (a) => view(isOverdue(a, now) ? await finalize(a) : a)));
      return { ...page, nodes };
    },
  };
}

export type ExamService = ReturnType<typeof examService>;
