import {
  ALWAYS_ON_ARRAYS,
  ALWAYS_ON_OBJECTS,
  DomainError,
  invalidInput,
  invalidTransition,
  jsonPath,
  notPermitted,
  parseInput,
} from '@firegov/contracts';
import { z } from 'zod';

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('DomainError', () => {
  test('is an Error with a code and details', () => {
    const error = new DomainError('FORBIDDEN', 'no', [{ path: '$.unit', reason: 'not yours' }]);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'FORBIDDEN', message: 'no' });
    expect(error.details).toEqual([{ path: '$.unit', reason: 'not yours' }]);
    expect(new DomainError('VALIDATION_FAILED', 'x').details).toEqual([]);
  });

  test('helpers carry their codes and paths', () => {
    expect(invalidTransition('amend', 'withdrawn', ['active'])).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'cannot amend a record that is withdrawn',
      details: [{ path: '$.status', reason: 'is "withdrawn"; amend needs "active"' }],
    });
    expect(notPermitted('unit is not under contract', '$.unit')).toMatchObject({
      code: 'FORBIDDEN',
      details: [{ path: '$.unit', reason: 'unit is not under contract' }],
    });
    expect(notPermitted('not yours').details[0]?.path).toBe('$');
    expect(invalidInput('bad', [{ path: '$.a', reason: 'r' }]).code).toBe('VALIDATION_FAILED');
  });
});

describe('jsonPath and parseInput', () => {
  test('jsonPath writes array indexes in brackets', () => {
    expect(jsonPath(['findings', 2, 'severity'])).toBe('$.findings[2].severity');
    expect(jsonPath([])).toBe('$');
  });

  test('parseInput returns the parsed data', () => {
    expect(parseInput(z.object({ a: z.string().trim() }), { a: ' x ' })).toEqual({ a: 'x' });
  });

  test('parseInput names every bad field, not just the first', () => {
    const schema = z.object({ a: z.string(), b: z.array(z.object({ c: z.number() })) });
    const error = caught(() => parseInput(schema, { a: 1, b: [{ c: 1 }, { c: 'x' }] }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('input is invalid: 2 problem(s)');
    expect(error.details.map((d) => d.path)).toEqual(['$.a', '$.b[1].c']);
  });
});

describe('ALWAYS_ON_OBJECTS / ALWAYS_ON_ARRAYS', () => {
  const rule = (value: object, ctx: z.RefinementCtx): void => {
    if ((value as { from?: unknown }).from === 'late') ctx.addIssue({ code: 'custom', path: ['from'], message: 'cross-field' });
  };

  test('an object refinement runs even when another field failed', () => {
    const without = z.object({ from: z.string(), n: z.number() }).superRefine(rule);
    const withOption = z.object({ from: z.string(), n: z.number() }).superRefine(rule, ALWAYS_ON_OBJECTS);
    const input = { from: 'late', n: 'x' };
    expect(caught(() => parseInput(without, input)).details.map((d) => d.path)).toEqual(['$.n']);
    expect(caught(() => parseInput(withOption, input)).details.map((d) => d.path)).toEqual(['$.n', '$.from']);
  });

  test('ALWAYS_ON_OBJECTS does not run on a non-object', () => {
    expect(ALWAYS_ON_OBJECTS.when({ value: null })).toBe(false);
    expect(ALWAYS_ON_OBJECTS.when({ value: [] })).toBe(false);
    expect(ALWAYS_ON_OBJECTS.when({ value: {} })).toBe(true);
  });

  test('an array refinement runs even when an entry failed', () => {
    const count = (items: unknown[], ctx: z.RefinementCtx): void => {
      if (items.length > 1) ctx.addIssue({ code: 'custom', message: 'too many' });
    };
    const without = z.array(z.number()).superRefine(count);
    const withOption = z.array(z.number()).superRefine(count, ALWAYS_ON_ARRAYS);
    expect(caught(() => parseInput(without, [1, 'x'])).details.map((d) => d.reason)).toHaveLength(1);
    expect(caught(() => parseInput(withOption, [1, 'x'])).details.map((d) => `${d.path} ${d.reason}`)).toEqual([
      expect.stringMatching(/^\$\[1\] /),
      '$ too many',
    ]);
    expect(ALWAYS_ON_ARRAYS.when({ value: {} })).toBe(false);
  });
});
