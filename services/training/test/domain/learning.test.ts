import { divisionScope, parseInput } from '@firegov/contracts';
import { addMonths, currentAt, type Certificate } from '../../src/domain/certificates.ts';
import { drawQuestionIds } from '../../src/domain/exams.ts';
import { contentVisible } from '../../src/domain/jurisdiction.ts';
import { questionBankInput, type Question } from '../../src/domain/question-banks.ts';

// Pure rules of learning: the draw, validity months, the current certificate, content visibility.

const bank: Question[] = Array.from({ length: 30 }, (_, i) => ({
  id: `q${i + 1}`,
  type: 'single',
  stem: `题${i}`,
  options: [
    { key: 'A', text: '甲', correct: true },
    { key: 'B', text: '乙', correct: false },
  ],
}));

test('a seed always draws the same paper; different seeds draw different ones; no question twice', () => {
  const a = drawQuestionIds(bank, 10, 'seed-1');
  expect(drawQuestionIds(bank, 10, 'seed-1')).toEqual(a);
  expect(new Set(a).size).toBe(10);
  const others = ['seed-2', 'seed-3', 'seed-4'].map((s) => drawQuestionIds(bank, 10, s).join());
  expect(others.some((o) => o !== a.join())).toBe(true);
  expect(drawQuestionIds(bank, 50, 'x')).toHaveLength(30);
});

test('validity months are calendar months, clamped to the end of a shorter month', () => {
  expect(addMonths(new Date('2026-01-31T08:00:00.000Z'), 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
  expect(addMonths(new Date('2024-02-29T00:00:00.000Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  expect(addMonths(new Date('2026-03-15T00:00:00.000Z'), 12).toISOString()).toBe('2027-03-15T00:00:00.000Z');
});

test('the latest certificate issued by a date counts, and only while it is valid', () => {
  const cert = (id: string, issuedAt: string, validUntil: string): Certificate => ({
    _id: id,
    personId: 'p1',
    courseId: 'c1',
    courseTitle: '课',
    topic: 'fire_law',
    examId: 'e',
    attemptId: 'a',
    scorePercent: 90,
    issuedAt,
    validUntil,
    supersedes: [],
    unitIds: [],
    roles: [],
    issuedBy: 's',
    scope: [],
  });
  const old = cert('c_old', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  const renewed = cert('c_new', '2025-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
  expect(currentAt([old, renewed], new Date('2025-06-01T00:00:00.000Z')).map((c) => c._id)).toEqual(['c_old']);
  expect(currentAt([old, renewed], new Date('2025-12-15T00:00:00.000Z')).map((c) => c._id)).toEqual(['c_new']);
  expect(currentAt([old, renewed], new Date('2027-01-01T00:00:00.000Z'))).toEqual([]);
});

test('content is seen along its jurisdiction chain', () => {
  expect(divisionScope('500230213201')).toEqual(['500230000000', '500230213000', '500230213201']);
  const township = { jurisdictionCode: '500230213000', scope: divisionScope('500230213000') };
  expect(contentVisible('500230000000', township)).toBe(true);
  expect(contentVisible('500230213201', township)).toBe(true);
  expect(contentVisible('500230214000', township)).toBe(false);
});

test('a repeated stem is named by its path', () => {
  const q = {
    type: 'true_false',
    stem: '同一题',
    options: [
      { text: '对', correct: true },
      { text: '错', correct: false },
    ],
  };
  let details: unknown;
  try {
    parseInput(questionBankInput, { title: '库', topic: 'fire_law', questions: [q, q] });
  } catch (err) {
    details = (err as { details?: unknown }).details;
  }
  expect(details).toEqual([{ path: '$.questions[1].stem', reason: 'repeats question 0' }]);
});
