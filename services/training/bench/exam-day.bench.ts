// County exam day (issue 12): N examinees (default 1,000) take a 50-question exam at once through
// the service's GraphQL endpoint — start (paper drawn and stored), 50 answers, submit (graded, a
// certificate with its event for each pass) — from a bounded number of concurrent proctor clients.
// Baseline in the same run: bare inserts of the same answer documents into the store, same concurrency.
import { performance } from 'node:perf_hooks';
import type { Identity } from '@firegov/auth';
import { createKafka, createPublisher, startOutboxRelay } from '@firegov/events';
import { connectMongo, connectRedis, createLogger, ensureModelIndexes, listen } from '@firegov/kit';
import { startTestIssuer } from '@firegov/testing';
import { createTrainingApp } from '../src/app.ts';
import { outboxCollections, trainingModels } from '../src/store/models.ts';

export interface ExamDayBenchOptions {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  examinees: number;
  concurrency: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const admin: Identity = { subject: 'bench-admin', role: 'county_admin', jurisdiction: '500230000000' };
const proctor: Identity = { subject: 'bench-proctor', role: 'township_officer', jurisdiction: '500230213000' };
const QUESTIONS = 50;

function bankQuestions(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const type = (['single', 'multiple', 'true_false'] as const)[i % 3];
    if (type === 'true_false') {
      return {
        type,
        stem: `第${i + 1}题：消防车通道可以临时停放车辆。`,
        options: [
          { text: '正确', correct: false },
          { text: '错误', correct: true },
        ],
      };
    }
    return {
      type,
      stem: `第${i + 1}题：${type === 'single' ? '下列哪项是报火警电话' : '下列哪些属于初起火灾扑救的要点'}？`,
      options: [
        { text: '119', correct: true },
        { text: type === 'single' ? '110' : '切断电源', correct: type === 'multiple' },
        { text: '120', correct: false },
        { text: '114', correct: false },
      ],
    };
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Runs `count` jobs on `concurrency` workers. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await job(i);
    }),
  );
}

export async function runExamDayBench(o: ExamDayBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const record = (line: string) => {
    out.push(line);
    progress(`result: ${line}`);
  };
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const stamp = Date.now().toString(36);
  const conn = await connectMongo(o.mongoUrl, `bench_training_${stamp}`);
  const models = trainingModels(conn);
  await ensureModelIndexes(models);
  const redis = await connectRedis(o.redisUrl);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'bench-training' });
  const publisher = await createPublisher({ kafka, source: 'training', topicPrefix: `bench.${stamp}.` });
  const relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 60_000 });
  // The proctor's token comes from a test issuer of this run, verified over its JWKS like the identity service's.
  const issuer = await startTestIssuer();
  try {
    const { app, services, closeReadiness } = createTrainingApp({
      conn,
      models,
      redis,
      kafka,
      relay,
      publisher,
      logger,
      auth: issuer.verification(),
    });
    const server = await listen(app, 0);
    const course = await services.courses.create(admin, {
      title: '消防安全责任人、管理人年度培训',
      topic: 'safety_management',
      lessons: [{ title: '消防安全职责', durationMinutes: 45 }],
    });
    const bank = await services.questionBanks.create(admin, {
      title: '压测题库',
      topic: 'safety_management',
      questions: bankQuestions(90),
    });
    const exam = await services.exams.define(admin, {
      title: '县级统一考试',
      bankId: bank._id,
      courseId: course._id,
      questionCount: QUESTIONS,
      timeLimitMinutes: 120,
      passMarkPercent: 60,
    });
    const key = new Map(bank.questions.map((q) => [q.id, q.options.filter((x) => x.correct).map((x) => x.key)]));
    const token = await issuer.signToken(proctor);

    const times: Record<'start' | 'answer' | 'submit', number[]> = { start: [], answer: [], submit: [] };
    let errors = 0;
    const call = async <T>(kind: keyof typeof times, query: string, variables: Record<string, unknown>): Promise<T> => {
      const t = performance.now();
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, { __typename: string; data?: T }> };
      times[kind].push(performance.now() - t);
      const result = Object.values(body.data ?? {})[0];
      if (!res.ok || !result || result.__typename === 'MutationError' || !result.data) {
        errors += 1;
        throw new Error(`${kind} failed: ${JSON.stringify(body).slice(0, 300)}`);
      }
      return result.data;
    };
    const START = `mutation($i: StartExamAttemptInput!) { startExamAttempt(input: $i) { __typename
      ... on MutationStartExamAttemptSuccess { data { id questions { id options { key } } } } } }`;
    const ANSWER = `mutation($i: AnswerExamQuestionInput!) { answerExamQuestion(input: $i) { __typename
      ... on MutationAnswerExamQuestionSuccess { data { deadline } } } }`;
    const SUBMIT = `mutation($id: ID!) { submitExamAttempt(attemptId: $id) { __typename
      ... on MutationSubmitExamAttemptSuccess { data { scorePercent passed } } } }`;

    let passed = 0;
    const examinee = async (personId: string, n: number) => {
      const paper = await call<{ id: string; questions: Array<{ id: string; options: Array<{ key: string }> }> }>(
        'start',
        START,
        {
          i: { examId: exam._id, personId },
        },
      );
      for (const [qi, q] of paper.questions.entries()) {
        // About three answers in four are right, so some examinees fail.
        const right = key.get(q.id) ?? ['A'];
        const wrong = (n * 7 + qi * 13) % 4 === 0;
        const choice = wrong ? [q.options.find((x) => !right.includes(x.key))?.key ?? 'A'] : right;
        await call('answer', ANSWER, { i: { attemptId: paper.id, questionId: q.id, choice } });
      }
      const graded = await call<{ passed: boolean }>('submit', SUBMIT, { id: paper.id });
      if (graded.passed) passed += 1;
    };

    progress('warming up (20 examinees)');
    await pool(20, 10, (i) => examinee(`p_warm_${i}`, i));
    for (const k of Object.keys(times) as Array<keyof typeof times>) times[k] = [];
    passed = 0;
    await relay.flush();

    const concurrency = Math.min(o.concurrency, o.examinees);
    progress(`${o.examinees} examinees × ${QUESTIONS} questions, ${concurrency} at a time`);
    const t0 = performance.now();
    await pool(o.examinees, concurrency, (i) => examinee(`p_bench_${i}`, i));
    const wallS = (performance.now() - t0) / 1000;
    await relay.flush();
    const publishedS = (performance.now() - t0) / 1000;
    const all = [...times.start, ...times.answer, ...times.submit].sort((a, b) => a - b);
    for (const k of Object.keys(times) as Array<keyof typeof times>) times[k].sort((a, b) => a - b);
    const answers = times.answer.length;
    const answersPerS = answers / wallS;
    const certificates = await models.certificates.countDocuments({ examId: exam._id, personId: /^p_bench_/ });
    const pending = await models.certificates.countDocuments({ outboxPending: true });
    record(
      `exam day: ${o.examinees} examinees × ${QUESTIONS} answers through GraphQL, ${concurrency} concurrent proctor clients: ` +
        `${answersPerS.toFixed(0)} answers/s, ${(all.length / wallS).toFixed(0)} req/s in ${wallS.toFixed(1)} s; ` +
        `p95 per request ${ms(pct(all, 95))} (start ${ms(pct(times.start, 95))}, answer ${ms(pct(times.answer, 95))}, submit ${ms(pct(times.submit, 95))}), ` +
        `p50 ${ms(pct(all, 50))}; errors ${errors}; passed ${passed}, certificates ${certificates}, events unpublished ${pending} ` +
        `(all published ${publishedS.toFixed(1)} s after the start); goal p95 < 200 ms`,
    );

    // Baseline: the same answer documents inserted straight into the store, same count and concurrency.
    const bare = conn.db!.collection<{ _id: string; attemptId: string; questionId: string; choice: string[]; at: string }>(
      'bare_answers',
    );
    const bareTimes: number[] = [];
    const b0 = performance.now();
    await pool(answers, concurrency, async (i) => {
      const t = performance.now();
      await bare.insertOne({
        _id: `b${i}`,
        attemptId: `att_bench_${Math.floor(i / QUESTIONS)}`,
        questionId: `q${i % QUESTIONS}`,
        choice: ['A'],
        at: new Date().toISOString(),
      });
      bareTimes.push(performance.now() - t);
    });
    const bareS = (performance.now() - b0) / 1000;
    bareTimes.sort((a, b) => a - b);
    const bareRate = answers / bareS;
    record(
      `baseline: bare insertOne of the ${answers} answer documents, ${concurrency} writers: ${bareRate.toFixed(0)}/s, p95 ${ms(pct(bareTimes, 95))}; ` +
        `answers through the service / bare inserts = ${(answersPerS / bareRate).toFixed(2)}`,
    );
    await server.close();
    await closeReadiness();
  } finally {
    await relay.stop();
    await publisher.disconnect();
    redis.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await issuer.close();
  }
  return out;
}
