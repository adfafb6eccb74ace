import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { Survey, SurveyResponse, SurveyResultRow } from '../domain/surveys.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 消防安全素质调查: surveys, sampled respondents and results per village.

type Question = Survey['questions'][number];

const OptionRef = builder.objectRef<Question['options'][number]>('SurveyOption').implement({
  fields: (t) => ({ id: t.exposeID('id'), text: t.exposeString('text'), points: t.exposeFloat('points') }),
});
const QuestionRef = builder.objectRef<Question>('SurveyQuestion').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    text: t.exposeString('text'),
    category: t.exposeString('category', { nullable: true }),
    options: t.field({ type: [OptionRef], resolve: (q) => q.options }),
  }),
});
const SurveyRef = builder.objectRef<Survey>('LiteracySurvey').implement({
  description: '消防安全素质调查',
  fields: (t) => ({
    id: t.exposeID('_id'),
    year: t.exposeInt('year'),
    title: t.exposeString('title'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    passScore: t.exposeFloat('passScore'),
    questions: t.field({ type: [QuestionRef], resolve: (s) => s.questions }),
  }),
});
const ResponseRef = builder.objectRef<SurveyResponse>('SurveyResponse').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    surveyId: t.exposeID('surveyId'),
    villageCode: t.exposeString('villageCode'),
    score: t.exposeFloat('score'),
    passed: t.exposeBoolean('passed'),
  }),
});
const ResultRowRef = builder.objectRef<SurveyResultRow>('SurveyResultRow').implement({
  fields: (t) => ({
    villageCode: t.exposeString('villageCode'),
    respondents: t.exposeInt('respondents'),
    meanScore: t.exposeFloat('meanScore'),
    passShare: t.exposeFloat('passShare'),
  }),
});
const ResultsRef = builder
  .objectRef<{ surveyId: string; year: number; passScore: number; villages: SurveyResultRow[]; overall: SurveyResultRow }>(
    'SurveyResults',
  )
  .implement({
    fields: (t) => ({
      surveyId: t.exposeID('surveyId'),
      year: t.exposeInt('year'),
      passScore: t.exposeFloat('passScore'),
      villages: t.field({ type: [ResultRowRef], resolve: (r) => r.villages }),
      overall: t.field({ type: ResultRowRef, resolve: (r) => r.overall }),
    }),
  });

const CreateSurveyInput = builder.inputType('CreateSurveyInput', {
  fields: (t) => ({
    year: t.int({ required: true }),
    title: t.string({ required: true }),
    jurisdictionCode: t.string({ required: true }),
    passScore: t.float(),
    questions: t.field({
      required: true,
      type: [
        builder.inputType('SurveyQuestionInput', {
          fields: (f) => ({
            id: f.string({ required: true }),
            text: f.string({ required: true }),
            category: f.string(),
            options: f.field({
              required: true,
              type: [
                builder.inputType('SurveyOptionInput', {
                  fields: (o) => ({
                    id: o.string({ required: true }),
                    text: o.string({ required: true }),
                    points: o.float({ required: true }),
                  }),
                }),
              ],
            }),
          }),
        }),
      ],
    }),
  }),
});

const RecordResponseInput = builder.inputType('RecordSurveyResponseInput', {
  fields: (t) => ({
    surveyId: t.id({ required: true }),
    villageCode: t.string({ required: true }),
    channel: t.string(),
    ageBand: t.string(),
    answers: t.field({
      required: true,
      type: [
        builder.inputType('SurveyAnswerInput', {
          fields: (f) => ({ questionId: f.string({ required: true }), optionId: f.string({ required: true }) }),
        }),
      ],
    }),
  }),
});

builder.queryFields((t) => ({
  literacySurvey: t.field({
    type: SurveyRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => {
      try {
        return await ctx.services.surveys.byId(who(ctx), String(a.id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  surveyResults: t.field({
    type: ResultsRef,
    description: 'Respondents, mean score and pass share per village of the caller’s jurisdiction.',
    args: { surveyId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.surveys.results(who(ctx), String(a.surveyId)),
  }),
}));

builder.mutationFields((t) => ({
  createLiteracySurvey: t.field({
    type: SurveyRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: CreateSurveyInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.surveys.create(who(ctx), dropNulls(input)),
  }),
  recordSurveyResponse: t.field({
    type: ResponseRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordResponseInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.surveys.recordResponse(who(ctx), dropNulls(input)),
  }),
}));
