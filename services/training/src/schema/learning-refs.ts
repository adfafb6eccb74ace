import { AppError } from '@firegov/kit';
import { enumValues } from '@firegov/service';
import { LearningTopic } from '../domain/courses.ts';
import { QuestionType } from '../domain/question-banks.ts';
import { builder, pageRef } from './refs.ts';

// Types learning's schema files share: its enums, pages, and absent-as-null reads.

export const LearningTopicRef = builder.enumType('LearningTopic', {
  description: '培训主题',
  values: enumValues(LearningTopic.values, LearningTopic.labels),
});

export const QuestionTypeRef = builder.enumType('QuestionType', {
  description: '题型',
  values: enumValues(QuestionType.values, QuestionType.labels),
});

export { pageRef };

/** A single read: NOT_FOUND (absent or out of scope) is null; every other refusal is an error. */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
