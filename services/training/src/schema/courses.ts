import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { Course, Lesson, Material } from '../domain/courses.ts';
import type { Option, Question, QuestionBank } from '../domain/question-banks.ts';
import { who } from './context.ts';
import { LearningTopicRef, orNull, pageRef, QuestionTypeRef } from './learning-refs.ts';
import { builder } from './refs.ts';

// 课程 and 题库: content county and township staff write.

const MaterialRef = builder.objectRef<Material>('CourseMaterial').implement({
  fields: (t) => ({
    title: t.exposeString('title'),
    url: t.exposeString('url'),
    sha256: t.exposeString('sha256', { nullable: true }),
  }),
});

const LessonRef = builder.objectRef<Lesson>('Lesson').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    summary: t.exposeString('summary', { nullable: true }),
    durationMinutes: t.exposeInt('durationMinutes'),
    materials: t.field({ type: [MaterialRef], resolve: (l) => l.materials }),
  }),
});

export const CourseRef = builder.objectRef<Course>('Course').implement({
  description: '课程: lessons and materials on one topic, written by a county or township',
  fields: (t) => ({
    id: t.exposeID('_id'),
    version: t.exposeInt('version'),
    title: t.exposeString('title'),
    topic: t.field({ type: LearningTopicRef, resolve: (c) => c.topic }),
    summary: t.exposeString('summary', { nullable: true }),
    durationMinutes: t.exposeInt('durationMinutes'),
    lessons: t.field({ type: [LessonRef], resolve: (c) => c.lessons }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

const OptionRef = builder.objectRef<Option>('QuestionOption').implement({
  fields: (t) => ({ key: t.exposeString('key'), text: t.exposeString('text'), correct: t.exposeBoolean('correct') }),
});

const QuestionRef = builder.objectRef<Question>('Question').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: QuestionTypeRef, resolve: (q) => q.type }),
    stem: t.exposeString('stem'),
    options: t.field({ type: [OptionRef], resolve: (q) => q.options }),
    explanation: t.exposeString('explanation', { nullable: true }),
  }),
});

const QuestionBankRef = builder.objectRef<QuestionBank>('QuestionBank').implement({
  description: '题库: with its answer key, for content authors only',
  fields: (t) => ({
    id: t.exposeID('_id'),
    topic: t.field({ type: LearningTopicRef, resolve: (b) => b.topic }),
    title: t.exposeString('title'),
    version: t.exposeInt('version'),
    questionCount: t.int({ resolve: (b) => b.questions.length }),
    questions: t.field({ type: [QuestionRef], resolve: (b) => b.questions }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    createdAt: t.exposeString('createdAt'),
  }),
});

const CoursePageRef = pageRef<Course>('Course', CourseRef);
const QuestionBankPageRef = pageRef<QuestionBank>('QuestionBank', QuestionBankRef);

// Inputs take enums as strings so the service's validation names a bad value with its path.
const MaterialInput = builder.inputType('CourseMaterialInput', {
  fields: (t) => ({ title: t.string({ required: true }), url: t.string({ required: true }), sha256: t.string() }),
});
const LessonInput = builder.inputType('LessonInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    summary: t.string(),
    durationMinutes: t.int({ required: true }),
    materials: t.field({ type: [MaterialInput] }),
  }),
});
const CourseInput = builder.inputType('CourseInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    topic: t.string({ required: true, description: 'a LearningTopic value' }),
    summary: t.string(),
    lessons: t.field({ type: [LessonInput], required: true }),
  }),
});
const UpdateCourseInput = builder.inputType('UpdateCourseInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: true }),
    course: t.field({ type: CourseInput, required: true }),
  }),
});
const OptionInput = builder.inputType('QuestionOptionInput', {
  fields: (t) => ({ text: t.string({ required: true }), correct: t.boolean({ required: true }) }),
});
const QuestionInput = builder.inputType('QuestionInput', {
  fields: (t) => ({
    type: t.string({ required: true, description: 'single, multiple or true_false' }),
    stem: t.string({ required: true }),
    options: t.field({ type: [OptionInput], required: true }),
    explanation: t.string(),
  }),
});
const QuestionBankInput = builder.inputType('QuestionBankInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    topic: t.string({ required: true, description: 'a LearningTopic value' }),
    questions: t.field({ type: [QuestionInput], required: true }),
  }),
});
const AddQuestionsInput = builder.inputType('AddQuestionsInput', {
  fields: (t) => ({ bankId: t.id({ required: true }), questions: t.field({ type: [QuestionInput], required: true }) }),
});

builder.queryFields((t) => ({
  course: t.field({
    type: CourseRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.courses.byId(who(ctx), String(id))),
  }),
  courses: t.field({
    type: CoursePageRef,
    description: 'Courses of the caller’s jurisdiction and of those above it',
    args: { topic: t.arg({ type: LearningTopicRef }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.courses.list(who(ctx), a.topic ?? undefined, a.first, a.after),
  }),
  questionBank: t.field({
    type: QuestionBankRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.questionBanks.byId(who(ctx), String(id))),
  }),
  questionBanks: t.field({
    type: QuestionBankPageRef,
    args: { topic: t.arg({ type: LearningTopicRef }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.questionBanks.list(who(ctx), a.topic ?? undefined, a.first, a.after),
  }),
}));

builder.mutationFields((t) => ({
  createCourse: t.field({
    type: CourseRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: CourseInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.courses.create(who(ctx), dropNulls(input)),
  }),
  updateCourse: t.field({
    type: CourseRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: UpdateCourseInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.courses.update(who(ctx), dropNulls(input)),
  }),
  createQuestionBank: t.field({
    type: QuestionBankRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: QuestionBankInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.questionBanks.create(who(ctx), dropNulls(input)),
  }),
  addQuestions: t.field({
    type: QuestionBankRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: AddQuestionsInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.questionBanks.addQuestions(who(ctx), dropNulls(input)),
  }),
}));
