import { createHash } from 'node:crypto';
import { divisionScope, DomainError, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import type { LearningTopic } from './courses.ts';
import type { Question, QuestionBank, QuestionType } from './question-banks.ts';

// 考试: an exam draws N questions from a bank; each attempt (答卷) fixes its drawn paper, runs
// against a deadline and is graded automatically. Pure rules, no I/O.

/** Who starts and answers an attempt for a candidate: the candidate is not a platform user, a proctor (监考人) is. */
export const PROCTORS: readonly string[] = ['county_admin', 'township_officer', 'village_grid_manager'];

/** 年度复训: a certificate is valid a year unless the exam says otherwise. */
export const DEFAULT_VALIDITY_MONTHS = 12;

const intField = (min: number, max: number, unit: string) =>
  z
    .number({ error: typeError('a number') })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const examInput = z.strictObject(
  {
    title: textField(1, 100),
    bankId: idSchema,
    /** The course a pass certifies. */
    courseId: idSchema,
    questionCount: intField(1, 200, 'questions'),
    timeLimitMinutes: intField(1, 600, 'minutes'),
    passMarkPercent: intField(1, 100, 'percent'),
    certificateValidityMonths: intField(1, 120, 'months').default(DEFAULT_VALIDITY_MONTHS),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type ExamInput = z.output<typeof examInput>;

export interface Exam {
  _id: string;
  version: number;
  title: string;
  bankId: string;
  courseId: string;
  /** Snapshot of the course's title and topic when the exam was defined. */
  courseTitle: string;
  topic: LearningTopic;
  questionCount: number;
  timeLimitMinutes: number;
  passMarkPercent: number;
  certificateValidityMonths: number;
  jurisdictionCode: string;
  scope: string[];
  createdAt: string;
  createdBy: string;
}

export function newExam(
  input: ExamInput,
  bank: QuestionBank | null,
  course: { _id: string; title: string; topic: LearningTopic } | null,
  meta: { id: string; now: Date; actor: string; jurisdictionCode: string },
): Exam {
  const details = [
    ...(bank ? [] : [{ path: '$.bankId', reason: 'is not a question bank you can see' }]),
    ...(course ? [] : [{ path: '$.courseId', reason: 'is not a course you can see' }]),
    ...(bank && bank.questions.length < input.questionCount
      ? [{ path: '$.questionCount', reason: `is more than the bank's ${bank.questions.length} questions` }]
      : []),
  ];
  if (details.length > 0 || !bank || !course) throw new DomainError('VALIDATION_FAILED', 'the exam cannot be defined', details);
  return {
    _id: meta.id,
    version: 1,
    title: input.title,
    bankId: bank._id,
    courseId: course._id,
    courseTitle: course.title,
    topic: course.topic,
    questionCount: input.questionCount,
    timeLimitMinutes: input.timeLimitMinutes,
    passMarkPercent: input.passMarkPercent,
    certificateValidityMonths: input.certificateValidityMonths,
    jurisdictionCode: meta.jurisdictionCode,
    scope: divisionScope(meta.jurisdictionCode),
    createdAt: meta.now.toISOString(),
    createdBy: meta.actor,
  };
}

// ---- attempts ----

export const startAttemptInput = z.strictObject(
  {
    examId: idSchema,
    personId: idSchema,
    /** Where the candidate works and as what, when known: carried onto the certificate for compliance. */
    unitIds: z
      .array(idSchema, { error: typeError('an array') })
      .max(20, 'must name at most 20 units')
      .default([]),
    roles: z
      .array(idSchema, { error: typeError('an array') })
      .max(20, 'must name at most 20 roles')
      .default([]),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type StartAttemptInput = z.output<typeof startAttemptInput>;

export const answerInput = z.strictObject(
  {
    attemptId: idSchema,
    questionId: idSchema,
    choice: z
      .array(z.string({ error: typeError('a string') }).regex(/^[A-H]$/, 'must be an option key A-H'), {
        error: typeError('an array'),
      })
      .min(1, 'must choose at least one option')
      .max(8, 'must choose at most 8 options'),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export interface PaperQuestion {
  id: string;
  type: QuestionType;
  stem: string;
  options: Array<{ key: string; text: string }>;
  /** The keys of the correct options: empty until the attempt is graded. */
  correct: string[];
}

export interface Answer {
  choice: string[];
  at: string;
}

export type AttemptStatus = 'in_progress' | 'graded';

/**
 * 答卷. The drawn paper is stored as the ids of its questions, in order: a bank's questions are
 * never edited or removed (only appended), so the ids fix the paper, and the document stays small
 * enough for an answer to be one cheap conditional update.
 */
export interface Attempt {
  _id: string;
  examId: string;
  bankId: string;
  personId: string;
  unitIds: string[];
  roles: string[];
  /** The proctor who started it (监考人): subject, role and jurisdiction as they were. */
  proctor: { subject: string; role: string; jurisdiction: string };
  scope: string[];
  status: AttemptStatus;
  seed: string;
  startedAt: string;
  deadline: string;
  questionIds: string[];
  answers: Record<string, Answer>;
  submittedAt?: string;
  /** True when the deadline, not the proctor, ended the attempt. */
  timedOut?: boolean;
  correctCount?: number;
  scorePercent?: number;
  passed?: boolean;
  certificateId?: string;
}

/** An attempt with its paper spelled out, as callers see it. */
export interface AttemptView extends Attempt {
  paper: PaperQuestion[];
}

/** 32-bit PRNG (mulberry32) seeded from a string: the same seed draws the same paper. */
function prng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ids of N questions of the bank in random order (partial Fisher-Yates), reproducible from the seed. */
export function drawQuestionIds(questions: readonly Question[], n: number, seed: string): string[] {
  const pool = questions.map((q) => q.id);
  const next = prng(seed);
  const count = Math.min(n, pool.length);
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, count);
}

export function newAttempt(
  exam: Exam,
  bank: QuestionBank,
  input: StartAttemptInput,
  meta: { id: string; seed: string; now: Date; proctor: { subject: string; role: string; jurisdiction: string } },
): Attempt {
  return {
    _id: meta.id,
    examId: exam._id,
    bankId: bank._id,
    personId: input.personId,
    unitIds: input.unitIds,
    roles: input.roles,
    proctor: meta.proctor,
    scope: divisionScope(meta.proctor.jurisdiction),
    status: 'in_progress',
    seed: meta.seed,
    startedAt: meta.now.toISOString(),
    deadline: new Date(meta.now.getTime() + exam.timeLimitMinutes * 60_000).toISOString(),
    questionIds: drawQuestionIds(bank.questions, exam.questionCount, meta.seed),
    answers: {},
  };
}

const refused = (reason: string, path = '$.attemptId') =>
  new DomainError('INVALID_TRANSITION', `the attempt cannot take answers: ${reason}`, [{ path, reason }]);

/** Past its deadline: what lazy grading looks for. */
export const isOverdue = (a: Pick<Attempt, 'status' | 'deadline'>, now: Date): boolean =>
  a.status === 'in_progress' && now.toISOString() >= a.deadline;

/** Why an attempt takes no more answers, or nothing when it still does. */
export function assertOpen(attempt: Pick<Attempt, 'status' | 'deadline' | 'timedOut'>, now: Date): void {
  if (attempt.status !== 'in_progress') {
    throw refused(attempt.timedOut ? `its time limit ended at ${attempt.deadline}` : 'it has been submitted');
  }
  if (isOverdue(attempt, now)) throw refused(`its time limit ended at ${attempt.deadline}`);
}

/**
 * The answer to store, once the attempt is open, the question is on its paper and the choice fits
 * the question's type and options. `question` is the bank's question of that id, if any.
 */
export function checkedAnswer(
  attempt: Pick<Attempt, 'status' | 'deadline' | 'timedOut' | 'questionIds'>,
  questionId: string,
  question: Question | undefined,
  choice: readonly string[],
  now: Date,
): Answer {
  assertOpen(attempt, now);
  if (!question || !attempt.questionIds.includes(questionId)) {
    throw new DomainError('VALIDATION_FAILED', 'no such question', [{ path: '$.questionId', reason: 'is not on this paper' }]);
  }
  const keys = new Set(question.options.map((o) => o.key));
  const unique = [...new Set(choice)].sort();
  const details = [
    ...unique.filter((k) => !keys.has(k)).map((k) => ({ path: '$.choice', reason: `"${k}" is not an option of this question` })),
    ...(question.type !== 'multiple' && unique.length !== 1
      ? [
          {
            path: '$.choice',
            reason: `a ${question.type === 'single' ? 'single-choice' : 'true/false'} question takes exactly one option`,
          },
        ]
      : []),
  ];
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', 'the choice does not fit the question', details);
  return { choice: unique, at: now.toISOString() };
}

export interface Grade {
  submittedAt: string;
  timedOut: boolean;
  correctCount: number;
  scorePercent: number;
  passed: boolean;
}

/** The paper of an attempt from its bank's questions (by id), in drawn order, with the key. */
export function paperOf(attempt: Pick<Attempt, 'questionIds'>, questions: ReadonlyMap<string, Question>): PaperQuestion[] {
  return attempt.questionIds.map((id) => {
    const q = questions.get(id);
    if (!q) throw new Error(`question ${id} is missing from its bank`);
    return {
      id,
      type: q.type,
      stem: q.stem,
      options: q.options.map((o) => ({ key: o.key, text: o.text })),
      correct: q.options.filter((o) => o.correct).map((o) => o.key),
    };
  });
}

/**
 * Grades the answers as they stand: a question counts when the chosen set equals the correct set
 * (no partial credit on multiple choice). An attempt past its deadline is graded as submitted at the deadline.
 */
export function grade(attempt: Attempt, paper: readonly PaperQuestion[], passMarkPercent: number, now: Date): Grade {
  if (attempt.status !== 'in_progress') throw refused('it has been submitted');
  const timedOut = isOverdue(attempt, now);
  const correctCount = paper.filter((q) => {
    const a = attempt.answers[q.id];
    return a !== undefined && a.choice.length === q.correct.length && q.correct.every((k) => a.choice.includes(k));
  }).length;
  const scorePercent = paper.length === 0 ? 0 : Math.round((correctCount / paper.length) * 1000) / 10;
  return {
    submittedAt: timedOut ? attempt.deadline : now.toISOString(),
    timedOut,
    correctCount,
    scorePercent,
    passed: scorePercent >= passMarkPercent,
  };
}

/** What a candidate (and the proctor) may see: the paper without its key until the attempt is graded. */
export function candidateView(attempt: Attempt, paper: readonly PaperQuestion[]): AttemptView {
  return { ...attempt, paper: attempt.status === 'graded' ? [...paper] : paper.map((q) => ({ ...q, correct: [] })) };
}
