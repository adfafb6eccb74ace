import { idSchema, invalidInput, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { listOf, strictObject, villageCodeField } from './outreach-fields.ts';

// 消防安全素质调查: there is no national questionnaire or standard score [U]. Precedents score 0–100
// (2014 national survey; Beijing 2022 weights sub-indices [C2]), so a survey here carries its own
// scored options, optional per-question weights and its pass mark: all data of the survey.

const optionField = strictObject({
  id: z.string({ error: typeError('an option id') }).regex(/^[A-Za-z0-9_-]{1,16}$/, 'must be 1-16 letters, digits, "_" or "-"'),
  text: textField(1, 200),
  /** Points for choosing it: the correct answer has the question's full points, others less or 0. */
  points: z
    .number({ error: typeError('a number') })
    .min(0, 'must not be negative')
    .max(100, 'must be at most 100'),
});

const questionField = strictObject({
  id: z.string({ error: typeError('a question id') }).regex(/^[A-Za-z0-9_-]{1,16}$/, 'must be 1-16 letters, digits, "_" or "-"'),
  text: textField(1, 500),
  /** Sub-index the question counts towards (防范意识, 自救逃生 …), for reports. */
  category: textField(1, 30).optional(),
  options: listOf(optionField, 10)
    .min(2, 'must offer at least two options')
    .refine((opts) => new Set(opts.map((o) => o.id)).size === opts.length, 'has two options with the same id')
    .refine((opts) => opts.some((o) => o.points > 0), 'must have an option worth points'),
});

export const createSurveyInput = strictObject({
  year: z
    .number({ error: typeError('a year') })
    .int('must be a whole year')
    .min(2000, 'must be 2000 or later')
    .max(2100, 'must be 2100 or earlier'),
  title: textField(1, 100),
  /** The county or township running it; the survey is visible there and below. */
  jurisdictionCode: z.string({ error: typeError('a division code') }).regex(/^\d{12}$/, 'must be a 12-digit division code'),
  questions: listOf(questionField, 200)
    .min(1, 'must have at least one question')
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'has two questions with the same id'),
  /** Score (0–100) at or above which a respondent passes; a policy of the survey [U]. */
  passScore: z
    .number({ error: typeError('a number') })
    .min(0, 'must be 0-100')
    .max(100, 'must be 0-100')
    .default(60),
});
export type CreateSurveyInput = z.output<typeof createSurveyInput>;

export interface Survey {
  _id: string;
  year: number;
  title: string;
  jurisdictionCode: string;
  scope: string[];
  questions: CreateSurveyInput['questions'];
  passScore: number;
  createdAt: string;
  createdBy: string;
}

export const recordResponseInput = strictObject({
  surveyId: idSchema,
  villageCode: villageCodeField,
  /** How the respondent was sampled (door-to-door, phone, online): free text, reported as is. */
  channel: textField(1, 30).optional(),
  ageBand: textField(1, 20).optional(),
  answers: listOf(
    strictObject({
      questionId: z.string({ error: typeError('a question id') }),
      optionId: z.string({ error: typeError('an option id') }),
    }),
    200,
  ).min(1, 'must answer at least one question'),
});
export type RecordResponseInput = z.output<typeof recordResponseInput>;

export interface SurveyResponse {
  _id: string;
  surveyId: string;
  year: number;
  villageCode: string;
  scope: string[];
  channel?: string;
  ageBand?: string;
  answers: Array<{ questionId: string; optionId: string; points: number }>;
  /** 0–100: points over the questionnaire's full points (an unanswered question scores 0). */
  score: number;
  passed: boolean;
  createdAt: string;
  createdBy: string;
}

/** Scores the answers against the questionnaire; refuses unknown questions or options, naming them. */
export function scoreAnswers(survey: Pick<Survey, 'questions' | 'passScore'>, answers: RecordResponseInput['answers']) {
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const details: Array<{ path: string; reason: string }> = [];
  const scored = answers.map((a, i) => {
    const q = byId.get(a.questionId);
    if (!q) details.push({ path: `$.answers[${i}].questionId`, reason: `is not a question of this survey` });
    else if (seen.has(a.questionId)) details.push({ path: `$.answers[${i}].questionId`, reason: 'is answered twice' });
    seen.add(a.questionId);
    const option = q?.options.find((o) => o.id === a.optionId);
    if (q && !option) details.push({ path: `$.answers[${i}].optionId`, reason: `is not an option of question ${q.id}` });
    return { questionId: a.questionId, optionId: a.optionId, points: option?.points ?? 0 };
  });
  if (details.length) throw invalidInput('the answers do not fit the questionnaire', details);
  const full = survey.questions.reduce((n, q) => n + Math.max(...q.options.map((o) => o.points)), 0);
  const got = scored.reduce((n, a) => n + a.points, 0);
  const score = Math.round((got / full) * 1000) / 10;
  return { answers: scored, score, passed: score >= survey.passScore };
}

export interface SurveyResultRow {
  villageCode: string;
  respondents: number;
  meanScore: number;
  passShare: number;
}

/** Respondents, mean score and share passing per village. */
export function surveyResults(
  responses: ReadonlyArray<Pick<SurveyResponse, 'villageCode' | 'score' | 'passed'>>,
): SurveyResultRow[] {
  const acc = new Map<string, { n: number; sum: number; passed: number }>();
  for (const r of responses) {
    const a = acc.get(r.villageCode) ?? { n: 0, sum: 0, passed: 0 };
    a.n += 1;
    a.sum += r.score;
    a.passed += r.passed ? 1 : 0;
    acc.set(r.villageCode, a);
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([villageCode, a]) => ({
      villageCode,
      respondents: a.n,
      meanScore: Math.round((a.sum / a.n) * 10) / 10,
      passShare: Math.round((a.passed / a.n) * 1000) / 1000,
    }));
}
