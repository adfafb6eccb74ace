import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Certificate } from '../domain/certificates.ts';
import type { Course } from '../domain/courses.ts';
import type { Attempt, Exam } from '../domain/exams.ts';
import type { QuestionBank } from '../domain/question-banks.ts';

// Learning's collections. Services write through the driver (`collectionOf`); the schemas here
// declare the fields and the indexes.

export type CourseDoc = Course & OutboxFields;
export type CertificateDoc = Certificate & OutboxFields;
export type QuestionBankDoc = QuestionBank;
export type ExamDoc = Exam;
export type AttemptDoc = Attempt;

/**
 * 一人一卷: the one attempt in progress of a person at an exam. Its `_id` is `<examId>:<personId>`,
 * so the store's unique `_id` refuses a second concurrent start; it is removed when the attempt is graded.
 */
export interface OpenAttemptDoc {
  _id: string;
  attemptId: string;
  deadline: string;
}

/**
 * One answer slot of an attempt (`<attemptId>:<questionId>`). Answers are documents of their own so
 * that answering is a small upsert, not an update of a growing attempt; grading closes every slot
 * (`closed`), after which an answer's upsert hits the closed slot's `_id` and is refused.
 */
/**
 * An attempt's answer sheet while it is open: every answer so far as one JSON string (question id →
 * answer), closed by grading, versioned so each write lands on what it read. One small document
 * per attempt: the local store (FerretDB 1.x) re-encodes a whole document per update and is slowest
 * at nested maps, and closing 50 slot documents one by one made grading the exam-day bottleneck.
 */
export interface AnswerSheetDoc {
  /** The attempt id. */
  _id: string;
  answers: string;
  closed: boolean;
  v: number;
}

const opts = { versionKey: false, minimize: false } as const;
const mixed = Schema.Types.Mixed;

const courseSchema = new Schema<CourseDoc>(
  {
    _id: String,
    version: Number,
    title: String,
    topic: String,
    summary: String,
    lessons: mixed,
    durationMinutes: Number,
    jurisdictionCode: String,
    scope: [String],
    createdAt: String,
    createdBy: String,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
// Lists: content under the caller (scope) or above it (jurisdictionCode), in _id order.
courseSchema.index({ scope: 1, _id: 1 });
courseSchema.index({ jurisdictionCode: 1, _id: 1 });
courseSchema.index({ outboxPending: 1 });

const bankSchema = new Schema<QuestionBankDoc>(
  {
    _id: String,
    version: Number,
    title: String,
    topic: String,
    questions: mixed,
    jurisdictionCode: String,
    scope: [String],
    createdAt: String,
    createdBy: String,
    updatedAt: String,
  },
  opts,
);
bankSchema.index({ scope: 1, _id: 1 });
bankSchema.index({ jurisdictionCode: 1, _id: 1 });

const examSchema = new Schema<ExamDoc>(
  {
    _id: String,
    version: Number,
    title: String,
    bankId: String,
    courseId: String,
    courseTitle: String,
    topic: String,
    questionCount: Number,
    timeLimitMinutes: Number,
    passMarkPercent: Number,
    certificateValidityMonths: Number,
    jurisdictionCode: String,
    scope: [String],
    createdAt: String,
    createdBy: String,
  },
  opts,
);
examSchema.index({ scope: 1, _id: 1 });
examSchema.index({ jurisdictionCode: 1, _id: 1 });

const attemptSchema = new Schema<AttemptDoc>(
  {
    _id: String,
    examId: String,
    bankId: String,
    personId: String,
    unitIds: [String],
    roles: [String],
    proctor: mixed,
    scope: [String],
    status: String,
    seed: String,
    startedAt: String,
    deadline: String,
    questionIds: [String],
    answers: mixed,
    submittedAt: String,
    timedOut: Boolean,
    correctCount: Number,
    scorePercent: Number,
    passed: Boolean,
    certificateId: String,
  },
  opts,
);
attemptSchema.index({ examId: 1, _id: 1 });
attemptSchema.index({ personId: 1, _id: 1 });

const answerSheetSchema = new Schema<AnswerSheetDoc>({ _id: String, answers: String, closed: Boolean, v: Number }, opts);

const openAttemptSchema = new Schema<OpenAttemptDoc>({ _id: String, attemptId: String, deadline: String }, opts);

const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: String,
    personId: String,
    courseId: String,
    courseTitle: String,
    topic: String,
    examId: String,
    attemptId: String,
    scorePercent: Number,
    issuedAt: String,
    validUntil: String,
    supersedes: [String],
    supersededBy: String,
    unitIds: [String],
    roles: [String],
    issuedBy: String,
    scope: [String],
    ...outboxSchemaFields,
  },
  opts,
);
// A person's certificates; the compliance reads by person and course; expiring ones by scope and date.
certificateSchema.index({ personId: 1, courseId: 1 });
certificateSchema.index({ scope: 1, validUntil: 1 });
certificateSchema.index({ outboxPending: 1 });

export interface LearningModels {
  courses: Model<CourseDoc>;
  questionBanks: Model<QuestionBankDoc>;
  exams: Model<ExamDoc>;
  attempts: Model<AttemptDoc>;
  openAttempts: Model<OpenAttemptDoc>;
  answerSheets: Model<AnswerSheetDoc>;
  certificates: Model<CertificateDoc>;
}

export function learningModels(conn: Connection): LearningModels {
  return {
    courses: conn.model<CourseDoc>('Course', courseSchema, 'courses'),
    questionBanks: conn.model<QuestionBankDoc>('QuestionBank', bankSchema, 'question_banks'),
    exams: conn.model<ExamDoc>('Exam', examSchema, 'exams'),
    attempts: conn.model<AttemptDoc>('ExamAttempt', attemptSchema, 'exam_attempts'),
    openAttempts: conn.model<OpenAttemptDoc>('OpenExamAttempt', openAttemptSchema, 'open_exam_attempts'),
    answerSheets: conn.model<AnswerSheetDoc>('AnswerSheet', answerSheetSchema, 'exam_answer_sheets'),
    certificates: conn.model<CertificateDoc>('Certificate', certificateSchema, 'certificates'),
  };
}

/** Learning's collections whose documents carry an outbox. */
export const learningOutboxCollections = (m: LearningModels): Array<Collection<Document>> => [
  m.courses.collection,
  m.certificates.collection,
];
