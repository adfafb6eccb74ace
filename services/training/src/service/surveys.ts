import type { Identity } from '@firegov/auth';
import { divisionScope, parseInput } from '@firegov/contracts';
import { collectionOf, fromDomain, newId, validationFailed } from '@firegov/kit';
import {
  createSurveyInput,
  recordResponseInput,
  scoreAnswers,
  surveyResults,
  type Survey,
  type SurveyResponse,
} from '../domain/surveys.ts';
import { assertCanRead, assertCanWrite, visibleOr404 } from './outreach-access.ts';
import type { OutreachDeps } from './outreach-deps.ts';

/** 消防安全素质调查: surveys and their responses (the only writer of both). */
export function surveyService(deps: OutreachDeps) {
  const surveys = collectionOf(deps.models.surveys);
  const responses = collectionOf(deps.models.surveyResponses);

  async function byId(who: Identity, id: string): Promise<Survey> {
    assertCanRead(who);
    return visibleOr404(who, await surveys.findOne({ _id: id }), 'survey');
  }

  return {
    async create(who: Identity, raw: unknown): Promise<Survey> {
      const input = fromDomain(() => parseInput(createSurveyInput, raw));
      const scope = divisionScope(input.jurisdictionCode);
      assertCanWrite(who, scope);
      const doc: Survey = { _id: newId('sur'), ...input, scope, createdAt: deps.now().toISOString(), createdBy: who.subject };
      await surveys.insertOne(doc);
      return doc;
    },

    byId,

    /** One sampled respondent's answers, scored against the questionnaire. */
    async recordResponse(who: Identity, raw: unknown): Promise<SurveyResponse> {
      const input = fromDomain(() => parseInput(recordResponseInput, raw));
      const survey = await surveys.findOne({ _id: input.surveyId });
      if (!survey) throw validationFailed([{ path: '$.surveyId', reason: 'is not a survey' }]);
      const scope = divisionScope(input.villageCode);
      if (!scope.includes(survey.jurisdictionCode))
        throw validationFailed([{ path: '$.villageCode', reason: "is outside the survey's jurisdiction" }]);
      assertCanWrite(who, scope);
      const scored = fromDomain(() => scoreAnswers(survey, input.answers));
      const doc: SurveyResponse = {
        _id: newId('rsp'),
        surveyId: survey._id,
        year: survey.year,
        villageCode: input.villageCode,
        scope,
        ...(input.channel ? { channel: input.channel } : {}),
        ...(input.ageBand ? { ageBand: input.ageBand } : {}),
        ...scored,
        createdAt: deps.now().toISOString(),
        createdBy: who.subject,
      };
      await responses.insertOne(doc);
      return doc;
    },

    /** Respondents, mean score and pass share per village in the caller's jurisdiction. */
    async results(who: Identity, surveyId: string) {
      const survey = await byId(who, surveyId);
      const docs = await responses
        .find({ surveyId, scope: who.jurisdiction }, { projection: { villageCode: 1, score: 1, passed: 1 } })
        .toArray();
      const villages = surveyResults(docs);
      const all = surveyResults(docs.map((d) => ({ ...d, villageCode: who.jurisdiction })))[0];
      return {
        surveyId,
        year: survey.year,
        passScore: survey.passScore,
        villages,
        overall: all ?? { villageCode: who.jurisdiction, respondents: 0, meanScore: 0, passShare: 0 },
      };
    },
  };
}

export type SurveyService = ReturnType<typeof surveyService>;
