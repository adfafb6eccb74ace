import { ALWAYS_ON_ARRAYS, defineEnum, divisionScope, DomainError, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { LearningTopic } from './courses.ts';

// 题库: questions of one topic that exams draw from. Pure rules, no I/O.

/** 题型 */
export const QuestionType = defineEnum({
  single: { zh: '单选题', en: 'Single choice' },
  multiple: { zh: '多选题', en: 'Multiple choice' },
  true_false: { zh: '判断题', en: 'True or false' },
});
export type QuestionType = (typeof QuestionType.values)[number];

/** Option keys in order: the first option is A. */
export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

const optionSchema = z.strictObject(
  { text: textField(1, 300), correct: z.boolean({ error: typeError('a boolean') }) },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

/** How many options must be correct, per type; the message names what the type needs. */
function checkOptions(q: { type?: unknown; options?: unknown }, ctx: z.RefinementCtx): void {
  if (!Array.isArray(q.options)) return;
  const options = q.options as Array<{ correct?: unknown }>;
  const correct = options.filter((o) => typeof o === 'object' && o !== null && o.correct === true).length;
  const problem =
    q.type === 'single' && correct !== 1
      ? `a single-choice question needs exactly one correct option, got ${correct}`
      : q.type === 'multiple' && correct < 2
        ? `a multiple-choice question needs at least two correct options, got ${correct}`
        : q.type === 'true_false' && (options.length !== 2 || correct !== 1)
          ? `a true/false question needs exactly two options with one correct, got ${options.length} with ${correct} correct`
          : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['options'], message: problem });
}

export const questionInput = z
  .strictObject(
    {
      type: QuestionType.schema,
      stem: textField(1, 1000),
      options: z
        .array(optionSchema, { error: typeError('an array') })
        .min(2, 'must have at least 2 options')
        .max(OPTION_KEYS.length, `must have at most ${OPTION_KEYS.length} options`),
      explanation: textField(1, 1000).optional(),
    },
    { error: typeError('an object', { namesUnknownKeys: true }) },
  )
  .superRefine(checkOptions);
export type QuestionInput = z.output<typeof questionInput>;

const questionsField = z
  .array(questionInput, { error: typeError('an array') })
  .min(1, 'must have at least one question')
  .max(500, 'must have at most 500 questions per request')
  .superRefine((qs, ctx) => {
    if (!ALWAYS_ON_ARRAYS.when({ value: qs })) return;
    const seen = new Map<string, number>();
    qs.forEach((q, i) => {
      const stem = typeof q?.stem === 'string' ? q.stem.trim() : undefined;
      if (stem === undefined) return;
      const first = seen.get(stem);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'stem'], message: `repeats question ${first}` });
      else seen.set(stem, i);
    });
  });

export const questionBankInput = z.strictObject(
  { title: textField(1, 100), topic: LearningTopic.schema, questions: questionsField },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type QuestionBankInput = z.output<typeof questionBankInput>;

export const addQuestionsInput = z.strictObject(
  { bankId: idSchema, questions: questionsField },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export interface Option {
  key: string;
  text: string;
  correct: boolean;
}

export interface Question {
  /** Stable within its bank (`q1`, `q2` …): attempts keep the id with the question they drew. */
  id: string;
  type: QuestionType;
  stem: string;
  options: Option[];
  explanation?: string;
}

export interface QuestionBank {
  _id: string;
  version: number;
  title: string;
  topic: LearningTopic;
  questions: Question[];
  jurisdictionCode: string;
  scope: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

function toQuestions(inputs: readonly QuestionInput[], firstNumber: number): Question[] {
  return inputs.map((q, i) => ({
    id: `q${firstNumber + i}`,
    type: q.type,
    stem: q.stem,
    options: q.options.map((o, k) => ({ key: OPTION_KEYS[k] ?? String(k), text: o.text, correct: o.correct })),
    ...(q.explanation !== undefined ? { explanation: q.explanation } : {}),
  }));
}

export function newQuestionBank(
  input: QuestionBankInput,
  meta: { id: string; now: Date; actor: string; jurisdictionCode: string },
): QuestionBank {
  const at = meta.now.toISOString();
  return {
    _id: meta.id,
    version: 1,
    title: input.title,
    topic: input.topic,
    questions: toQuestions(input.questions, 1),
    jurisdictionCode: meta.jurisdictionCode,
    scope: divisionScope(meta.jurisdictionCode),
    createdAt: at,
    createdBy: meta.actor,
    updatedAt: at,
  };
}

/** New questions numbered after the bank's existing ones; a stem already in the bank is refused. */
export function appendedQuestions(bank: QuestionBank, inputs: readonly QuestionInput[]): Question[] {
  const stems = new Set(bank.questions.map((q) => q.stem));
  const details = inputs.flatMap((q, i) =>
    stems.has(q.stem) ? [{ path: `$.questions[${i}].stem`, reason: 'is already in the bank' }] : [],
  );
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', 'some questions are already in the bank', details);
  return toQuestions(inputs, bank.questions.length + 1);
}
