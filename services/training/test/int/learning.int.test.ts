import { trainingCertificateTopic, trainingCourseTopic } from '@firegov/contracts';
import { countyAdmin, gridA1, startHarness, townshipA, townshipB, type Harness } from '../harness.ts';

// Courses, question banks, exams and certificates through the GraphQL endpoint, against the real stack.

let h: Harness;

beforeAll(async () => {
  h = await startHarness('training-learning', [trainingCourseTopic.name, trainingCertificateTopic.name]);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const ERR = `... on MutationError { code details { path reason } }`;
const CREATE_COURSE = `mutation($input: CourseInput!) { createCourse(input: $input) { __typename
  ... on MutationCreateCourseSuccess { data { id version title topic durationMinutes jurisdictionCode lessons { id title materials { url sha256 } } } } ${ERR} } }`;
const CREATE_BANK = `mutation($input: QuestionBankInput!) { createQuestionBank(input: $input) { __typename
  ... on MutationCreateQuestionBankSuccess { data { id questionCount questions { id type options { key correct } } } } ${ERR} } }`;
const DEFINE_EXAM = `mutation($input: DefineExamInput!) { defineExam(input: $input) { __typename
  ... on MutationDefineExamSuccess { data { id questionCount certificateValidityMonths } } ${ERR} } }`;
const START = `mutation($input: StartExamAttemptInput!) { startExamAttempt(input: $input) { __typename
  ... on MutationStartExamAttemptSuccess { data { id status deadline proctor questions { id type options { key } correct } } } ${ERR} } }`;
const ANSWER = `mutation($input: AnswerExamQuestionInput!) { answerExamQuestion(input: $input) { __typename
  ... on MutationAnswerExamQuestionSuccess { data { choice deadline } } ${ERR} } }`;
const SUBMIT = `mutation($id: ID!) { submitExamAttempt(attemptId: $id) { __typename
  ... on MutationSubmitExamAttemptSuccess { data { id status submittedAt timedOut correctCount scorePercent passed certificateId questions { id chosen correct } } } ${ERR} } }`;
const ATTEMPT = `query($id: ID!) { examAttempt(id: $id) { id status submittedAt timedOut scorePercent passed answeredCount questions { id correct } } }`;

interface Paper {
  id: string;
  deadline: string;
  questions: Array<{ id: string; type: string; options: Array<{ key: string }>; correct: string[] | null }>;
}
type Result<T> = { __typename: string; data: T; code?: string; details?: Array<{ path: string; reason: string }> };

const lesson = (title: string, minutes: number) => ({
  title,
  durationMinutes: minutes,
  materials: [{ title: `${title}讲义`, url: 'https://files.example.cn/fire/law.pdf', sha256: 'a'.repeat(64) }],
});

/** 20 questions of all three types, each stem numbered so they differ. */
function questions(n = 20) {
  return Array.from({ length: n }, (_, i) => {
    if (i % 3 === 0) {
      return {
        type: 'single',
        stem: `第${i + 1}题：发现初起火灾应首先怎样做？`,
        options: [
          { text: '立即报警并就近取用灭火器扑救', correct: true },
          { text: '先收拾贵重物品', correct: false },
          { text: '乘电梯离开', correct: false },
        ],
      };
    }
    if (i % 3 === 1) {
      return {
        type: 'multiple',
        stem: `第${i + 1}题：下列哪些属于消防设施？`,
        options: [
          { text: '室内消火栓', correct: true },
          { text: '火灾自动报警系统', correct: true },
          { text: '办公桌', correct: false },
        ],
      };
    }
    return {
      type: 'true_false',
      stem: `第${i + 1}题：电动自行车可以在楼道内充电。`,
      options: [
        { text: '正确', correct: false },
        { text: '错误', correct: true },
      ],
    };
  });
}

let countyCourseId: string;
let townshipCourseId: string;
let bankId: string;
let examId: string;
let key: Map<string, string[]>;

async function createCourse(identity = townshipA, title = '消防法规基础') {
  const out = await h.gql(
    CREATE_COURSE,
    { input: { title, topic: 'fire_law', lessons: [lesson('消防法', 45), lesson('61号令', 30)] } },
    identity,
  );
  return out.createCourse as Result<{ id: string; durationMinutes: number; jurisdictionCode: string; version: number }>;
}

async function start(personId: string, identity = gridA1) {
  const out = await h.gql(START, { input: { examId, personId, unitIds: ['u_demo_1'], roles: ['manager'] } }, identity);
  return out.startExamAttempt as Result<Paper>;
}

async function answerAll(paper: Paper, identity = gridA1, wrong = 0) {
  for (const [i, q] of paper.questions.entries()) {
    const right = key.get(q.id) as string[];
    const choice =
      i < wrong ? (q.type === 'multiple' ? [right[0] as string] : [q.options.find((o) => !right.includes(o.key))!.key]) : right;
    const out = await h.gql(ANSWER, { input: { attemptId: paper.id, questionId: q.id, choice } }, identity);
    expect((out.answerExamQuestion as Result<unknown>).__typename).toBe('MutationAnswerExamQuestionSuccess');
  }
}

describe('courses', () => {
  test('staff of a township write a course; it is announced, and read in that township and by the county only', async () => {
    const created = await createCourse();
    expect(created.__typename).toBe('MutationCreateCourseSuccess');
    expect(created.data).toMatchObject({ durationMinutes: 75, jurisdictionCode: townshipA.jurisdiction, version: 1 });
    townshipCourseId = created.data.id;
    const [msg] = await h.events.waitFor(
      (m) => m.envelope?.type === 'training.course.created' && m.envelope.subject === townshipCourseId,
    );
    expect(msg!.key).toBe(townshipCourseId);

    const county = await createCourse(countyAdmin, '初起火灾扑救');
    countyCourseId = county.data.id;

    const read = (identity = townshipA) =>
      h.gql('query($id: ID!) { course(id: $id) { id } }', { id: townshipCourseId }, identity);
    expect((await read(countyAdmin)).course).toEqual({ id: townshipCourseId });
    expect((await read(gridA1)).course).toEqual({ id: townshipCourseId });
    expect((await read(townshipB)).course).toBeNull();

    // The county's course is seen county-wide; township B sees only it.
    const listB = await h.gql('{ courses(first: 10) { totalCount nodes { id } } }', {}, townshipB);
    expect(listB.courses).toEqual({ totalCount: 1, nodes: [{ id: countyCourseId }] });
    const listA = await h.gql('{ courses(first: 1) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }', {}, gridA1);
    expect(listA.courses).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
  });

  test('a grid manager may read but not write courses', async () => {
    const out = await createCourse(gridA1);
    expect(out).toMatchObject({ __typename: 'MutationError', code: 'FORBIDDEN' });
  });

  test('a bad course names each field and stores nothing', async () => {
    const out = await h.gql(
      CREATE_COURSE,
      {
        input: {
          title: '',
          topic: 'cooking',
          lessons: [{ title: '第一课', durationMinutes: 0, materials: [{ title: '讲义', url: 'ftp://x', sha256: 'zz' }] }],
        },
      },
      townshipA,
    );
    const err = out.createCourse as Result<unknown>;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details!.map((d) => d.path).sort()).toEqual([
      '$.lessons[0].durationMinutes',
      '$.lessons[0].materials[0].sha256',
      '$.lessons[0].materials[0].url',
      '$.title',
      '$.topic',
    ]);
    const list = await h.gql('{ courses(first: 10) { totalCount } }', {}, townshipA);
    expect(list.courses).toEqual({ totalCount: 2 });
  });

  test('an update needs the version read; a stale one is CONFLICT', async () => {
    const UPDATE = `mutation($input: UpdateCourseInput!) { updateCourse(input: $input) { __typename
      ... on MutationUpdateCourseSuccess { data { version title } } ${ERR} } }`;
    const course = { title: '消防法规（修订）', topic: 'fire_law', lessons: [lesson('消防法', 40)] };
    const ok = await h.gql(UPDATE, { input: { id: townshipCourseId, expectedVersion: 1, course } }, townshipA);
    expect((ok.updateCourse as Result<unknown>).data).toEqual({ version: 2, title: '消防法规（修订）' });
    const stale = await h.gql(UPDATE, { input: { id: townshipCourseId, expectedVersion: 1, course } }, townshipA);
    expect(stale.updateCourse).toMatchObject({ code: 'CONFLICT', details: [{ path: '$.expectedVersion' }] });
    await h.events.waitFor((m) => m.envelope?.type === 'training.course.updated' && m.envelope.subject === townshipCourseId);
  });
});

describe('question banks', () => {
  test('each question type is checked, and the error names the options of the bad question', async () => {
    const bad = [
      {
        type: 'single',
        stem: '单选两个对',
        options: [
          { text: '甲', correct: true },
          { text: '乙', correct: true },
        ],
      },
      {
        type: 'multiple',
        stem: '多选一个对',
        options: [
          { text: '甲', correct: true },
          { text: '乙', correct: false },
        ],
      },
      {
        type: 'true_false',
        stem: '判断三个选项',
        options: [
          { text: '对', correct: true },
          { text: '错', correct: false },
          { text: '不知道', correct: false },
        ],
      },
      { type: 'essay', stem: '', options: [{ text: '甲', correct: true }] },
    ];
    const out = await h.gql(CREATE_BANK, { input: { title: '坏题库', topic: 'fire_law', questions: bad } }, townshipA);
    const err = out.createQuestionBank as Result<unknown>;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual(
      expect.arrayContaining([
        { path: '$.questions[0].options', reason: 'a single-choice question needs exactly one correct option, got 2' },
        { path: '$.questions[1].options', reason: 'a multiple-choice question needs at least two correct options, got 1' },
        {
          path: '$.questions[2].options',
          reason: 'a true/false question needs exactly two options with one correct, got 3 with 1 correct',
        },
        expect.objectContaining({ path: '$.questions[3].type' }),
        { path: '$.questions[3].stem', reason: 'must not be empty' },
        { path: '$.questions[3].options', reason: 'must have at least 2 options' },
      ]),
    );
    const banks = await h.gql('{ questionBanks(first: 5) { totalCount } }', {}, townshipA);
    expect(banks.questionBanks).toEqual({ totalCount: 0 });
  });

  test('a bank of twenty questions is stored with its key; proctors may not read it', async () => {
    const out = await h.gql(
      CREATE_BANK,
      { input: { title: '消防常识题库', topic: 'fire_law', questions: questions() } },
      townshipA,
    );
    const bank = (
      out.createQuestionBank as Result<{
        id: string;
        questionCount: number;
        questions: Array<{ id: string; options: Array<{ key: string; correct: boolean }> }>;
      }>
    ).data;
    expect(bank.questionCount).toBe(20);
    bankId = bank.id;
    key = new Map(bank.questions.map((q) => [q.id, q.options.filter((o) => o.correct).map((o) => o.key)]));
    await expect(h.gql('query($id: ID!) { questionBank(id: $id) { id } }', { id: bankId }, gridA1)).rejects.toThrow(
      /FORBIDDEN|may not/,
    );
  });
});

describe('exams, attempts and certificates', () => {
  test('an exam cannot ask for more questions than its bank has', async () => {
    const out = await h.gql(
      DEFINE_EXAM,
      {
        input: {
          title: '超量考试',
          bankId,
          courseId: 'cou_missing',
          questionCount: 21,
          timeLimitMinutes: 30,
          passMarkPercent: 60,
        },
      },
      townshipA,
    );
    expect(out.defineExam).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((out.defineExam as Result<unknown>).details!.map((d) => d.path).sort()).toEqual(['$.courseId', '$.questionCount']);
  });

  test('start → answer → submit: the key stays hidden until grading, a pass issues a certificate announced on Kafka', async () => {
    const out = await h.gql(
      DEFINE_EXAM,
      {
        input: {
          title: '消防法规年度考试',
          bankId,
          courseId: townshipCourseId,
          questionCount: 10,
          timeLimitMinutes: 30,
          passMarkPercent: 60,
        },
      },
      townshipA,
    );
    const exam = (out.defineExam as Result<{ id: string; certificateValidityMonths: number }>).data;
    expect(exam.certificateValidityMonths).toBe(12);
    examId = exam.id;

    const started = await start('p_learn_1');
    expect(started.__typename).toBe('MutationStartExamAttemptSuccess');
    const paper = started.data;
    expect(paper.questions).toHaveLength(10);
    expect(new Set(paper.questions.map((q) => q.id)).size).toBe(10);
    expect(paper.questions.every((q) => q.correct === null)).toBe(true);
    expect(paper.deadline).toBe('2026-03-01T01:30:00.000Z');
    expect(started.data).toMatchObject({ status: 'in_progress', proctor: gridA1.subject });

    // One attempt at a time: a second start is refused and names the open attempt.
    const again = await start('p_learn_1', townshipA);
    expect(again).toMatchObject({ __typename: 'MutationError', code: 'CONFLICT', details: [{ path: '$.personId' }] });
    expect(again.details![0]!.reason).toContain(paper.id);
    const open = await h.gql(
      'query($e: ID!, $p: ID!) { openExamAttempt(examId: $e, personId: $p) { id } }',
      { e: examId, p: 'p_learn_1' },
      gridA1,
    );
    expect(open.openExamAttempt).toEqual({ id: paper.id });

    // A choice that is not an option, or two options on a single-choice question, is refused by field.
    const single = paper.questions.find((q) => q.type === 'single')!;
    const bad = await h.gql(ANSWER, { input: { attemptId: paper.id, questionId: single.id, choice: ['A', 'D'] } }, gridA1);
    expect(bad.answerExamQuestion).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((bad.answerExamQuestion as Result<unknown>).details!.every((d) => d.path === '$.choice')).toBe(true);

    await answerAll(paper, gridA1, 2);
    h.clock.advanceHours(0.25);
    const sub = await h.gql(SUBMIT, { id: paper.id }, gridA1);
    const graded = (
      sub.submitExamAttempt as Result<{
        status: string;
        submittedAt: string;
        timedOut: boolean;
        correctCount: number;
        scorePercent: number;
        passed: boolean;
        certificateId: string;
        questions: Array<{ id: string; correct: string[]; chosen: string[] }>;
      }>
    ).data;
    expect(graded).toMatchObject({
      status: 'graded',
      timedOut: false,
      correctCount: 8,
      scorePercent: 80,
      passed: true,
      submittedAt: '2026-03-01T01:15:00.000Z',
    });
    expect(graded.questions.every((q) => q.correct !== null && q.chosen !== null)).toBe(true);

    const [msg] = await h.events.waitFor(
      (m) => m.envelope?.type === 'training.certificate.issued' && m.envelope.subject === graded.certificateId,
    );
    expect(msg!.key).toBe('p_learn_1');
    expect(msg!.envelope!.data).toMatchObject({
      personId: 'p_learn_1',
      courseId: townshipCourseId,
      scorePercent: 80,
      issuedAt: '2026-03-01T01:15:00.000Z',
      validUntil: '2027-03-01T01:15:00.000Z',
      supersedes: [],
      unitIds: ['u_demo_1'],
      roles: ['manager'],
    });

    // Submitting again changes nothing; the person may start afresh.
    const twice = await h.gql(SUBMIT, { id: paper.id }, gridA1);
    expect((twice.submitExamAttempt as Result<{ scorePercent: number }>).data.scorePercent).toBe(80);
    const after = await h.gql(ANSWER, { input: { attemptId: paper.id, questionId: single.id, choice: ['A'] } }, gridA1);
    expect(after.answerExamQuestion).toMatchObject({ code: 'CONFLICT' });
    const certs = await h.gql('query($p: ID!) { certificates(personId: $p) { totalCount } }', { p: 'p_learn_1' }, townshipA);
    expect(certs.certificates).toEqual({ totalCount: 1 });
  });

  test('papers are drawn at random per attempt', async () => {
    const papers = await Promise.all(['p_rand_1', 'p_rand_2', 'p_rand_3', 'p_rand_4'].map((p) => start(p)));
    const orders = papers.map((p) => p.data.questions.map((q) => q.id).join(','));
    expect(new Set(orders).size).toBeGreaterThan(1);
    for (const p of papers) expect(p.data.questions.every((q) => key.has(q.id))).toBe(true);
    // The drawn paper is fixed: reading it back gives the same questions.
    const again = await h.gql(ATTEMPT, { id: papers[0]!.data.id }, gridA1);
    expect((again.examAttempt as { questions: Array<{ id: string }> }).questions.map((q) => q.id).join(',')).toBe(orders[0]);
    for (const p of papers) await h.gql(SUBMIT, { id: p.data.id }, gridA1);
  });

  test('after the time limit answers are refused and the attempt is graded as submitted at the deadline', async () => {
    const paper = (await start('p_late')).data;
    const first = paper.questions[0]!;
    // A second answer to the same question replaces the first.
    const wrong = first.options.find((o) => !key.get(first.id)!.includes(o.key))!.key;
    await h.gql(ANSWER, { input: { attemptId: paper.id, questionId: first.id, choice: [wrong] } }, gridA1);
    await h.gql(ANSWER, { input: { attemptId: paper.id, questionId: first.id, choice: key.get(first.id) } }, gridA1);
    h.clock.advanceHours(0.5);
    const late = await h.gql(
      ANSWER,
      { input: { attemptId: paper.id, questionId: paper.questions[1]!.id, choice: key.get(paper.questions[1]!.id) } },
      gridA1,
    );
    expect(late.answerExamQuestion).toMatchObject({
      code: 'CONFLICT',
      details: [{ path: '$.attemptId', reason: `its time limit ended at ${paper.deadline}` }],
    });
    const read = await h.gql(ATTEMPT, { id: paper.id }, gridA1);
    expect(read.examAttempt).toMatchObject({
      status: 'graded',
      timedOut: true,
      submittedAt: paper.deadline,
      scorePercent: 10,
      passed: false,
      answeredCount: 1,
    });
  });

  test('answers racing a submit either count or are refused: none lands after grading', async () => {
    const paper = (await start('p_race')).data;
    const answering = paper.questions.map((q) =>
      h.gql(ANSWER, { input: { attemptId: paper.id, questionId: q.id, choice: key.get(q.id) } }, gridA1),
    );
    const submitted = h.gql(SUBMIT, { id: paper.id }, gridA1);
    const results = (await Promise.all(answering)).map((r) => r.answerExamQuestion as Result<unknown>);
    await submitted;
    const accepted = results.filter((r) => r.__typename === 'MutationAnswerExamQuestionSuccess').length;
    expect(results.every((r) => r.__typename === 'MutationAnswerExamQuestionSuccess' || r.code === 'CONFLICT')).toBe(true);
    const read = (await h.gql(ATTEMPT, { id: paper.id }, gridA1)).examAttempt as { answeredCount: number; scorePercent: number };
    expect(read.answeredCount).toBe(accepted);
    expect(read.scorePercent).toBe(accepted * 10);
  });

  test('answers sent all at once to one attempt each land once, and all count', async () => {
    const paper = (await start('p_burst')).data;
    const results = await Promise.all(
      paper.questions.map((q) =>
        h.gql(ANSWER, { input: { attemptId: paper.id, questionId: q.id, choice: key.get(q.id) } }, gridA1),
      ),
    );
    expect(results.map((r) => (r.answerExamQuestion as Result<unknown>).__typename)).toEqual(
      paper.questions.map(() => 'MutationAnswerExamQuestionSuccess'),
    );
    const graded = (await h.gql(SUBMIT, { id: paper.id }, gridA1)).submitExamAttempt as {
      data: { correctCount: number; scorePercent: number };
    };
    expect(graded.data).toMatchObject({ correctCount: paper.questions.length, scorePercent: 100 });
  });

  test('an attempt left past its deadline does not block the next start (graded lazily)', async () => {
    const first = (await start('p_left')).data;
    h.clock.advanceHours(1);
    const second = await start('p_left');
    expect(second.__typename).toBe('MutationStartExamAttemptSuccess');
    const old = await h.gql(ATTEMPT, { id: first.id }, gridA1);
    expect(old.examAttempt).toMatchObject({ status: 'graded', timedOut: true, submittedAt: first.deadline, passed: false });
    await h.gql(SUBMIT, { id: second.data.id }, gridA1);
  });

  test('recertification: a pass eleven months later supersedes the first certificate', async () => {
    const before = await h.services.certificates.validFor(['p_learn_1'], [townshipCourseId], h.clock.now());
    expect(before).toHaveLength(1);
    const firstId = before[0]!._id;

    h.clock.set('2027-02-01T02:00:00.000Z');
    const expiringOf = async (personId: string) =>
      (
        (await h.gql('{ expiringCertificates(withinDays: 30) { nodes { id personId } } }', {}, countyAdmin))
          .expiringCertificates as {
          nodes: Array<{ id: string; personId: string }>;
        }
      ).nodes.filter((c) => c.personId === personId);
    expect(await expiringOf('p_learn_1')).toEqual([{ id: firstId, personId: 'p_learn_1' }]);

    const paper = (await start('p_learn_1', townshipA)).data;
    await answerAll(paper, townshipA);
    const sub = (await h.gql(SUBMIT, { id: paper.id }, townshipA)).submitExamAttempt as Result<{
      certificateId: string;
      scorePercent: number;
    }>;
    expect(sub.data.scorePercent).toBe(100);
    const [msg] = await h.events.waitFor((m) => m.envelope?.subject === sub.data.certificateId);
    expect(msg!.envelope!.data).toMatchObject({ supersedes: [firstId], validUntil: '2028-02-01T02:00:00.000Z' });

    const now = await h.services.certificates.validFor(['p_learn_1'], [townshipCourseId], h.clock.now());
    expect(now.map((c) => c._id)).toEqual([sub.data.certificateId]);
    // Before the renewal, the first one counted.
    const then = await h.services.certificates.validFor(['p_learn_1'], undefined, new Date('2026-06-01T00:00:00.000Z'));
    expect(then.map((c) => c._id)).toEqual([firstId]);
    const list = await h.gql(
      'query($p: ID!) { certificates(personId: $p) { nodes { id supersededBy } } }',
      { p: 'p_learn_1' },
      countyAdmin,
    );
    expect(list.certificates).toEqual({
      nodes: [
        { id: firstId, supersededBy: sub.data.certificateId },
        { id: sub.data.certificateId, supersededBy: null },
      ],
    });
    expect(await expiringOf('p_learn_1')).toEqual([]);
  });

  test('scoping: another township neither sees nor runs attempts, exams or certificates of township A', async () => {
    const attempts = await h.gql(
      'query($e: ID!) { examAttempts(examId: $e, first: 50) { totalCount } }',
      { e: examId },
      townshipB,
    );
    expect(attempts.examAttempts).toEqual({ totalCount: 0 });
    const exam = await h.gql('query($id: ID!) { exam(id: $id) { id } }', { id: examId }, townshipB);
    expect(exam.exam).toBeNull();
    const started = await start('p_b_1', townshipB);
    expect(started).toMatchObject({ code: 'NOT_FOUND' });
    const certs = await h.gql('query($p: ID!) { certificates(personId: $p) { totalCount } }', { p: 'p_learn_1' }, townshipB);
    expect(certs.certificates).toEqual({ totalCount: 0 });
    const mine = await h.gql('query($e: ID!) { examAttempts(examId: $e, first: 50) { totalCount } }', { e: examId }, townshipA);
    expect((mine.examAttempts as { totalCount: number }).totalCount).toBeGreaterThan(5);
  });
});
