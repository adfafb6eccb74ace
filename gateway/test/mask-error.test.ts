import { AppError, createLogger } from '@firegov/kit';
import { GraphQLError } from 'graphql';
import { createErrorMasker } from '../src/mask-error.ts';

const mask = createErrorMasker(createLogger({ service: 'test', level: 'silent' }));
const asJson = (e: Error) => (e as GraphQLError).toJSON();

test('an unexpected error becomes "internal error" with code INTERNAL, keeping its path', () => {
  const wrapped = new GraphQLError('ECONNREFUSED mongodb://admin:hunter2@db', {
    path: ['units'],
    originalError: new Error('boom'),
  });
  expect(asJson(mask(wrapped, 'Unexpected error.'))).toEqual({
    message: 'internal error',
    path: ['units'],
    extensions: { code: 'INTERNAL' },
  });
  expect(asJson(mask(new TypeError('x is undefined'), 'Unexpected error.'))).toEqual({
    message: 'internal error',
    extensions: { code: 'INTERNAL' },
  });
});

test('a platform AppError keeps its code, message and details', () => {
  const err = new GraphQLError('wrapped', {
    path: ['unit'],
    originalError: new AppError('FORBIDDEN', 'unit is outside your jurisdiction', {
      details: [{ path: '$.id', reason: 'scope' }],
    }),
  });
  expect(asJson(mask(err, ''))).toEqual({
    message: 'unit is outside your jurisdiction',
    path: ['unit'],
    extensions: { code: 'FORBIDDEN', details: [{ path: '$.id', reason: 'scope' }] },
  });
});

test('an AppError of the 5xx kind is masked like any internal fault', () => {
  expect(asJson(mask(new AppError('UNAVAILABLE', 'kafka at 10.0.0.7 down'), '')).message).toBe('internal error');
});

test('deliberate GraphQL errors pass unchanged', () => {
  const deliberate = new GraphQLError('Query depth limit of 10 exceeded, found 11.', { extensions: { code: 'QUERY_TOO_DEEP' } });
  expect(mask(deliberate, '')).toBe(deliberate);
});

test('a variable the schema cannot take keeps its message but not the "Did you mean" hint', () => {
  const inner = new GraphQLError(
    'Value "restaurnt" does not exist in "UnitCategory" enum. Did you mean the enum value "restaurant"?',
  );
  const err = new GraphQLError(`Variable "$f" got invalid value "restaurnt" at "f.category"; ${inner.message}`, {
    originalError: inner,
    extensions: { code: 'BAD_USER_INPUT' },
  });
  expect(asJson(mask(err, ''))).toEqual({
    message:
      'Variable "$f" got invalid value "restaurnt" at "f.category"; Value "restaurnt" does not exist in "UnitCategory" enum.',
    extensions: { code: 'BAD_USER_INPUT' },
  });
});
