import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { collectionOf, conflict, fromDomain, newId, notFound } from '@firegov/kit';
import type { Page } from '@firegov/service';
import type { LearningTopic } from '../domain/courses.ts';
import { contentVisible } from '../domain/jurisdiction.ts';
import {
  addQuestionsInput,
  appendedQuestions,
  newQuestionBank,
  questionBankInput,
  type QuestionBank,
} from '../domain/question-banks.ts';
import { assertAuthor, contentFilter, pageIn, type LearningDeps } from './learning-access.ts';

/**
 * The only writer of question banks (题库). A bank holds the answer key, so only content authors
 * (county and township staff) read it; proctors see questions only on an attempt's paper.
 */
export function questionBankService(deps: LearningDeps) {
  const banks = collectionOf(deps.models.questionBanks);

  async function visibleBank(who: Identity, id: string): Promise<QuestionBank> {
    assertAuthor(who, 'or read question banks');
    const doc = await banks.findOne({ _id: id });
    if (!doc || !contentVisible(who.jurisdiction, doc)) throw notFound('question bank');
    return doc;
  }

  return {
    byId: visibleBank,

    async create(who: Identity, raw: unknown): Promise<QuestionBank> {
      assertAuthor(who, 'question banks');
      const input = fromDomain(() => parseInput(questionBankInput, raw));
      const doc = newQuestionBank(input, {
        id: newId('qb'),
        now: deps.now(),
        actor: who.subject,
        jurisdictionCode: who.jurisdiction,
      });
      await banks.insertOne(doc);
      return doc;
    },

    /** Appends questions; exams already drawn keep their papers. */
    async addQuestions(who: Identity, raw: unknown): Promise<QuestionBank> {
      assertAuthor(who, 'question banks');
      const input = fromDomain(() => parseInput(addQuestionsInput, raw));
      const bank = await visibleBank(who, input.bankId);
      if (!bank.scope.includes(who.jurisdiction)) throw notFound('question bank');
      const added = fromDomain(() => appendedQuestions(bank, input.questions));
      const updatedAt = deps.now().toISOString();
      const res = await banks.updateOne(
        { _id: bank._id, version: bank.version },
        { $push: { questions: { $each: added } }, $set: { version: bank.version + 1, updatedAt } },
      );
      if (res.matchedCount === 0) throw conflict('the question bank changed meanwhile; try again');
      return { ...bank, questions: [...bank.questions, ...added], version: bank.version + 1, updatedAt };
    },

    list(
      who: Identity,
      topic: LearningTopic | undefined,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<QuestionBank>> {
      assertAuthor(who, 'or read question banks');
      const filter = topic ? { $and: [contentFilter(who), { topic }] } : contentFilter(who);
      return pageIn(banks, filter, first, after);
    },
  };
}

export type QuestionBankService = ReturnType<typeof questionBankService>;
