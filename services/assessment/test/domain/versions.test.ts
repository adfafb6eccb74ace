import { DomainError } from '@firegov/contracts';
import { amend, currentVersion, firstVersion, isLate, withdraw } from '../../src/domain/versions.ts';
import type { AssessmentState } from '../../src/domain/versions.ts';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const H3 = '3'.repeat(64);
const AT = new Date('2024-03-02T01:00:00Z');
const LATER = new Date('2024-03-05T01:00:00Z');

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function submitted(): AssessmentState {
  return firstVersion({ bodyHash: H1, at: AT, receiptHash: 'r1' });
}

describe('firstVersion', () => {
  test('is active version 1 of kind submitted', () => {
    expect(submitted()).toEqual({
      status: 'active',
      version: 1,
      versions: [{ version: 1, bodyHash: H1, submittedAt: '2024-03-02T01:00:00.000Z', kind: 'submitted', receiptHash: 'r1' }],
    });
  });
});

describe('amend', () => {
  test('adds version n+1 and keeps the earlier ones untouched', () => {
    const state = submitted();
    const v2 = amend(state, { bodyHash: H2, reason: '  补充检测数据  ', at: LATER, receiptHash: 'r2' });
    const v3 = amend(v2, { bodyHash: H3, reason: '更正评分', at: LATER, receiptHash: 'r3' });
    expect(v3.version).toBe(3);
    expect(v3.versions.map((v) => [v.version, v.kind, v.bodyHash, v.receiptHash])).toEqual([
      [1, 'submitted', H1, 'r1'],
      [2, 'amended', H2, 'r2'],
      [3, 'amended', H3, 'r3'],
    ]);
    expect(v2.versions[1]).toMatchObject({ reason: '补充检测数据', submittedAt: '2024-03-05T01:00:00.000Z' });
    // Pure: the input states are not changed.
    expect(state.versions).toHaveLength(1);
    expect(v2.versions).toHaveLength(2);
    expect(currentVersion(v3).bodyHash).toBe(H3);
  });

  test('refuses "nothing changed" at $ when the content equals the current version', () => {
    const v2 = amend(submitted(), { bodyHash: H2, reason: '补充检测数据', at: LATER, receiptHash: 'r2' });
    const error = caught(() => amend(v2, { bodyHash: H2, reason: '再次提交', at: LATER, receiptHash: 'r3' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('nothing changed');
    expect(error.details).toEqual([{ path: '$', reason: expect.stringContaining('equals version 2') as unknown }]);
    // Going back to an earlier content is a real change.
    expect(amend(v2, { bodyHash: H1, reason: '恢复原评估', at: LATER, receiptHash: 'r3' }).version).toBe(3);
  });

  test('refuses a withdrawn assessment with INVALID_TRANSITION', () => {
    const gone = withdraw(submitted(), '重复提交', LATER);
    const error = caught(() => amend(gone, { bodyHash: H2, reason: '补充检测数据', at: LATER, receiptHash: 'r2' }));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details[0]?.path).toBe('$.status');
  });

  test('needs a reason of at least 4 characters', () => {
    const error = caught(() => amend(submitted(), { bodyHash: H2, reason: ' 改 ', at: LATER, receiptHash: 'r2' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: '$.reason', reason: 'must be 4-500 characters, got 1' }]);
  });
});

describe('withdraw', () => {
  test('records reason and time, keeps the versions', () => {
    const gone = withdraw(submitted(), '评估对象错误', LATER);
    expect(gone).toMatchObject({ status: 'withdrawn', withdrawnReason: '评估对象错误', withdrawnAt: '2024-03-05T01:00:00.000Z' });
    expect(gone.versions).toHaveLength(1);
  });

  test('refuses twice', () => {
    const gone = withdraw(submitted(), '评估对象错误', LATER);
    const error = caught(() => withdraw(gone, '再次撤回', LATER));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toBe('cannot withdraw a record that is withdrawn');
  });
});

describe('isLate', () => {
  test('15 Beijing calendar days are on time, the 16th is late', () => {
    // 2024-03-16 23:59:59 in Beijing.
    expect(isLate('2024-03-01', new Date('2024-03-16T15:59:59Z'))).toBe(false);
    // 2024-03-17 00:00:00 in Beijing, though still 03-16 in UTC.
    expect(isLate('2024-03-01', new Date('2024-03-16T16:00:00Z'))).toBe(true);
  });

  test('same day and across a leap day', () => {
    expect(isLate('2024-03-01', new Date('2024-03-01T02:00:00Z'))).toBe(false);
    expect(isLate('2024-02-20', new Date('2024-03-06T12:00:00Z'), 15)).toBe(false); // 03-06 20:00 Beijing: 15 days
    expect(isLate('2024-02-20', new Date('2024-03-06T16:00:00Z'), 15)).toBe(true); // 03-07 00:00 Beijing: 16 days
  });

  test('grace days can be changed, including none', () => {
    expect(isLate('2024-03-01', new Date('2024-03-02T04:00:00Z'), 0)).toBe(true);
    expect(isLate('2024-03-01', new Date('2024-03-01T04:00:00Z'), 0)).toBe(false);
    expect(isLate('2024-03-01', new Date('2024-03-20T04:00:00Z'), 30)).toBe(false);
  });

  test('refuses malformed arguments, naming each', () => {
    const error = caught(() => isLate('2024-02-30', new Date('x'), -1));
    expect(error.details.map((d) => d.path)).toEqual(['$.assessedOn', '$.graceDays', '$.submittedAt']);
  });
});
