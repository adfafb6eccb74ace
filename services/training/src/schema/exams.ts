import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { Certificate } from '../domain/certificates.ts';
import type { AttemptView, Exam, PaperQuestion } from '../domain/exams.ts';
import type { AnswerReceipt } from '../service/exams.ts';
import { who } from './context.ts';
import { LearningTopicRef, orNull, pageRef, QuestionTypeRef } from './learning-refs.ts';
import { builder } from './refs.ts';

// 考试, 答卷 and 培训合格证书. Attempts are run by a proctor (监考人) for a candidate identified by person id.

const ExamRef = builder.objectRef<Exam>('Exam').implement({
  description: '考试: N questions drawn from a bank, a time limit and a pass mark; a pass certifies the course',
  fields: (t) => ({
    id: t.exposeID('_id'),
    title: t.exposeString('title'),
    bankId: t.exposeID('bankId'),
    courseId: t.exposeID('courseId'),
    courseTitle: t.exposeString('courseTitle'),
    questionCount: t.exposeInt('questionCount'),
    timeLimitMinutes: t.exposeInt('timeLimitMinutes'),
    passMarkPercent: t.exposeInt('passMarkPercent'),
    certificateValidityMonths: t.exposeInt('certificateValidityMonths'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    createdAt: t.exposeString('createdAt'),
  }),
});

const PaperOptionRef = builder.objectRef<{ key: string; text: string }>('PaperOption').implement({
  fields: (t) => ({ key: t.exposeString('key'), text: t.exposeString('text') }),
});

const PaperQuestionRef = builder.objectRef<{ q: PaperQuestion; attempt: AttemptView }>('PaperQuestion').implement({
  fields: (t) => ({
    id: t.id({ resolve: (p) => p.q.id }),
    type: t.field({ type: QuestionTypeRef, resolve: (p) => p.q.type }),
    stem: t.string({ resolve: (p) => p.q.stem }),
    options: t.field({ type: [PaperOptionRef], resolve: (p) => p.q.options }),
    chosen: t.stringList({ nullable: true, resolve: (p) => p.attempt.answers[p.q.id]?.choice ?? null }),
    correct: t.stringList({
      nullable: true,
      description: 'The answer key: null until the attempt is graded',
      resolve: (p) => (p.attempt.status === 'graded' ? p.q.correct : null),
    }),
  }),
});

const AttemptRef = builder.objectRef<AttemptView>('ExamAttempt').implement({
  description: '答卷: a drawn paper, its answers and, once graded, the score',
  fields: (t) => ({
    id: t.exposeID('_id'),
    examId: t.exposeID('examId'),
    personId: t.exposeID('personId'),
    unitIds: t.exposeStringList('unitIds'),
    roles: t.exposeStringList('roles'),
    proctor: t.string({ description: 'subject of the proctor who started it', resolve: (a) => a.proctor.subject }),
    status: t.exposeString('status', { description: 'in_progress or graded' }),
    startedAt: t.exposeString('startedAt'),
    deadline: t.exposeString('deadline'),
    questions: t.field({ type: [PaperQuestionRef], resolve: (a) => a.paper.map((q) => ({ q, attempt: a })) }),
    answeredCount: t.int({ resolve: (a) => Object.keys(a.answers).length }),
    submittedAt: t.exposeString('submittedAt', { nullable: true }),
    timedOut: t.exposeBoolean('timedOut', { nullable: true }),
    correctCount: t.exposeInt('correctCount', { nullable: true }),
    scorePercent: t.exposeFloat('scorePercent', { nullable: true }),
    passed: t.exposeBoolean('passed', { nullable: true }),
    certificateId: t.exposeID('certificateId', { nullable: true }),
  }),
});

const AnswerReceiptRef = builder.objectRef<AnswerReceipt>('AnswerReceipt').implement({
  fields: (t) => ({
    attemptId: t.exposeID('attemptId'),
    questionId: t.exposeID('questionId'),
    choice: t.exposeStringList('choice'),
    deadline: t.exposeString('deadline'),
  }),
});

const CertificateRef = builder.objectRef<Certificate>('Certificate').implement({
  description: '培训合格证书: valid until `validUntil` unless a later pass of the course supersedes it',
  fields: (t) => ({
    id: t.exposeID('_id'),
    personId: t.exposeID('personId'),
    courseId: t.exposeID('courseId'),
    courseTitle: t.exposeString('courseTitle'),
    topic: t.field({ type: LearningTopicRef, resolve: (c) => c.topic }),
    examId: t.exposeID('examId'),
    attemptId: t.exposeID('attemptId'),
    scorePercent: t.exposeFloat('scorePercent'),
    issuedAt: t.exposeString('issuedAt'),
    validUntil: t.exposeString('validUntil'),
    supersedes: t.exposeStringList('supersedes'),
    supersededBy: t.exposeString('supersededBy', { nullable: true }),
    unitIds: t.exposeStringList('unitIds'),
    roles: t.exposeStringList('roles'),
  }),
});

const ExamPageRef = pageRef<Exam>('Exam', ExamRef);
const AttemptPageRef = pageRef<AttemptView>('ExamAttempt', AttemptRef);
const CertificatePageRef = pageRef<Certificate>('Certificate', CertificateRef);

const DefineExamInput = builder.inputType('DefineExamInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    bankId: t.id({ required: true }),
    courseId: t.id({ required: true }),
    questionCount: t.int({ required: true }),
    timeLimitMinutes: t.int({ required: true }),
    passMarkPercent: t.int({ required: true }),
    certificateValidityMonths: t.int({ description: 'default 12 (annual refresher, 年度复训)' }),
  }),
});
const StartAttemptInput = builder.inputType('StartExamAttemptInput', {
  fields: (t) => ({
    examId: t.id({ required: true }),
    personId: t.id({ required: true }),
    unitIds: t.idList(),
    roles: t.stringList(),
  }),
});
const AnswerInput = builder.inputType('AnswerExamQuestionInput', {
  fields: (t) => ({
    attemptId: t.id({ required: true }),
    questionId: t.id({ required: true }),
    choice: t.stringList({ required: true, description: 'option keys, e.g. ["A"] or ["A","C"]' }),
  }),
});

builder.queryFields((t) => ({
  exam: t.field({
    type: ExamRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.exams.byId(who(ctx), String(id))),
  }),
  exams: t.field({
    type: ExamPageRef,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.exams.list(who(ctx), a.first, a.after),
  }),
  examAttempt: t.field({
    type: AttemptRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.exams.attempt(who(ctx), String(id))),
  }),
  examAttempts: t.field({
    type: AttemptPageRef,
    args: { examId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.exams.attempts(who(ctx), String(a.examId), a.first, a.after),
  }),
  openExamAttempt: t.field({
    type: AttemptRef,
    nullable: true,
    description: 'The person’s attempt in progress at the exam, to resume it',
    args: { examId: t.arg.id({ required: true }), personId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.exams.openAttempt(who(ctx), String(a.examId), String(a.personId)),
  }),
  certificate: t.field({
    type: CertificateRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.certificates.byId(who(ctx), String(id))),
  }),
  certificates: t.field({
    type: CertificatePageRef,
    description: 'A person’s certificates issued inside the caller’s jurisdiction, superseded ones included',
    args: { personId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.certificates.forPerson(who(ctx), String(a.personId), a.first, a.after),
  }),
  expiringCertificates: t.field({
    type: CertificatePageRef,
    description: 'Current certificates whose validity ends within `withinDays` days (复训提醒)',
    args: { withinDays: t.arg.int({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.certificates.expiring(who(ctx), a.withinDays, a.first, a.after),
  }),
}));

builder.mutationFields((t) => ({
  defineExam: t.field({
    type: ExamRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: DefineExamInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.exams.define(who(ctx), dropNulls(input)),
  }),
  startExamAttempt: t.field({
    type: AttemptRef,
    errors: { types: [AppError] },
    description: 'Draws the paper and starts the clock; CONFLICT while the person has an attempt in progress',
    args: { input: t.arg({ type: StartAttemptInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.exams.start(who(ctx), dropNulls(input)),
  }),
  answerExamQuestion: t.field({
    type: AnswerReceiptRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: AnswerInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.exams.answer(who(ctx), dropNulls(input)),
  }),
  submitExamAttempt: t.field({
    type: AttemptRef,
    errors: { types: [AppError] },
    args: { attemptId: t.arg.id({ required: true }) },
    resolve: (_r, { attemptId }, ctx) => ctx.services.exams.submit(who(ctx), String(attemptId)),
  }),
}));
