import type { GraphqlOperation, Kept, Scenario, ScenarioRequest } from './types.ts';

// A county exam day (年度培训考试): proctors run examinees' attempts through the gateway, each examinee
// starting an attempt, answering its paper and submitting it for grading (a certificate on a pass).
//
// Rate: a county tests its 1,000-odd key persons (消防安全责任人, 管理人) in township sessions; at the
// opening of a session examinees start about 2 a second. Each journey here is one examinee: start,
// QUESTIONS answers and submit, back to back (people think between questions, so the requests a
// session really spreads over minutes arrive here at once: 24 requests/s from 2 examinees/s), for
// 60 s (120 examinees), 20 proctors. Thresholds: issue 12's exam-day goal, p95 < 200 ms per request,
// p99 < 500 ms, < 1 % failed (a mutation answering MutationError counts as failed).
//
// Examinees are new people of this run (p_load_<run>_<n>); their attempts and certificates stay.

/** Questions answered per examinee: the demo exams' length (exams with fewer are not picked). */
export const QUESTIONS = 10;

/** The option examinee n chooses for question q of the paper: some right, some wrong. */
export const choiceOf = (kept: Kept, n: number, q: number): string[] => {
  const keys = (kept[`q${q}.options`] ?? 'A').split(',');
  return [keys[(n + q) % keys.length]!];
};

const op = (operationName: string, query: string, variables: GraphqlOperation['variables']): GraphqlOperation => ({
  operationName,
  query,
  variables,
});

const start: ScenarioRequest = {
  name: 'start an attempt',
  graphql: op(
    'StartExam',
    'mutation StartExam($i: StartExamAttemptInput!) { startExamAttempt(input: $i) { __typename ... on MutationStartExamAttemptSuccess { data { id questions { id options { key } } } } } }',
    (pick, n) => ({ i: { examId: pick('examId'), personId: `p_load_${pick('run')}_${n}` } }),
  ),
  keep: (answer) => {
    const paper = (answer as { data: { startExamAttempt: { data: PaperData } } }).data.startExamAttempt.data;
    return Object.fromEntries([
      ['attemptId', paper.id],
      ...paper.questions.flatMap((q, i) => [
        [`q${i}`, q.id],
        [`q${i}.options`, q.options.map((o) => o.key).join(',')],
      ]),
    ]) as Record<string, string>;
  },
};
interface PaperData {
  id: string;
  questions: Array<{ id: string; options: Array<{ key: string }> }>;
}

const answer = (q: number): ScenarioRequest => ({
  name: 'answer a question',
  graphql: op(
    'AnswerQuestion',
    'mutation AnswerQuestion($i: AnswerExamQuestionInput!) { answerExamQuestion(input: $i) { __typename ... on MutationAnswerExamQuestionSuccess { data { deadline } } } }',
    (_pick, n, kept) => ({ i: { attemptId: kept.attemptId, questionId: kept[`q${q}`], choice: choiceOf(kept, n, q) } }),
  ),
});

const submit: ScenarioRequest = {
  name: 'submit for grading',
  graphql: op(
    'SubmitExam',
    'mutation SubmitExam($id: ID!) { submitExamAttempt(attemptId: $id) { __typename ... on MutationSubmitExamAttemptSuccess { data { scorePercent passed } } } }',
    (_pick, _n, kept) => ({ id: kept.attemptId }),
  ),
};

export const examDay: Scenario = {
  name: 'exam_day',
  description: `examinees start an exam, answer ${QUESTIONS} questions and submit, proctored through the gateway`,
  auth: { kind: 'user', role: 'township_officer', jurisdiction: '500230213000', users: 20 },
  setup: {
    graphql: {
      operationName: 'Exams',
      query: 'query Exams { exams(first: 100) { nodes { id questionCount } } }',
    },
    extract: (data) => ({
      examId: (data as { exams: { nodes: Array<{ id: string; questionCount: number }> } }).exams.nodes
        .filter((e) => e.questionCount >= QUESTIONS)
        .map((e) => e.id),
    }),
  },
  journey: true,
  requests: [start, ...Array.from({ length: QUESTIONS }, (_, q) => answer(q)), submit],
  load: { ratePerSecond: 2, durationS: 60, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 200, p99Ms: 500 },
};
