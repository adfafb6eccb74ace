import { z } from 'zod';
import { jsonPath, parseInput } from '@firegov/contracts';
import { AppError, detailsFromZod, fromDomain, toAppError } from '../src/index.ts';

const assessment = z.object({
  unitId: z.string().min(1),
  findings: z.array(z.object({ severity: z.enum(['general', 'major']), description: z.string().min(5) })),
});

test('zod issues become details with JSON paths, one per bad field', () => {
  const result = assessment.safeParse({
    unitId: '',
    findings: [
      { severity: 'major', description: 'ok ok' },
      { severity: 'huge', description: 'x' },
    ],
  });
  expect(result.success).toBe(false);
  const details = detailsFromZod(result.error!);
  expect(details.map((d) => d.path)).toEqual(['$.unitId', '$.findings[1].severity', '$.findings[1].description']);
  for (const d of details) expect(d.reason.length).toBeGreaterThan(0);
});

test('a refused input (contracts parseInput, through fromDomain) is VALIDATION_FAILED with status 400 and the same shape for every client', () => {
  let err: unknown;
  try {
    fromDomain(() => parseInput(assessment, { findings: 'none' }));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  const body = (err as AppError).toJSON();
  expect((err as AppError).status).toBe(400);
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.details.map((d) => d.path).sort()).toEqual(['$.findings', '$.unitId']);
});

test('unknown errors become INTERNAL without leaking their message', () => {
  const err = toAppError(new Error('connection string mongodb://user:secret@host'));
  expect(err.code).toBe('INTERNAL');
  expect(err.status).toBe(500);
  expect(JSON.stringify(err.toJSON())).not.toContain('secret');
});

test('jsonPath formats nested paths', () => {
  expect(jsonPath(['a', 0, 'b'])).toBe('$.a[0].b');
  expect(jsonPath([], '$')).toBe('$');
});

test('only unavailable and rate-limited errors are retryable by default', () => {
  expect(new AppError('UNAVAILABLE', 'x').retryable).toBe(true);
  expect(new AppError('RATE_LIMITED', 'x').retryable).toBe(true);
  expect(new AppError('CONFLICT', 'x').retryable).toBe(false);
});
