import { createHash } from 'node:crypto';
import { DomainError } from '@firegov/contracts';
import { sampleDraw, shouldSample } from '../../src/domain/sampling.ts';

const SALT = 'county-secret-2024';
const IDS = Array.from({ length: 10_000 }, (_, i) => `as_${i.toString(36).padStart(6, '0')}`);

describe('sampleDraw', () => {
  test('is the first 8 hex digits of sha256(salt + id) over 2^32', () => {
    const hex = createHash('sha256').update(`${SALT}as_1`).digest('hex').slice(0, 8);
    expect(sampleDraw('as_1', SALT)).toBe(Number.parseInt(hex, 16) / 2 ** 32);
    expect(sampleDraw('as_1', SALT)).toBeGreaterThanOrEqual(0);
    expect(sampleDraw('as_1', SALT)).toBeLessThan(1);
  });
});

describe('shouldSample', () => {
  test('draws about the requested share over 10,000 ids (within ±2 points of 10%)', () => {
    const share = IDS.filter((id) => shouldSample(id, 0.1, SALT)).length / IDS.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  test('is deterministic: the same id, share and salt draw the same every time', () => {
    const first = IDS.map((id) => shouldSample(id, 0.1, SALT));
    const second = IDS.map((id) => shouldSample(id, 0.1, SALT));
    expect(second).toEqual(first);
  });

  test('depends on the secret salt', () => {
    const a = IDS.map((id) => shouldSample(id, 0.5, SALT));
    const b = IDS.map((id) => shouldSample(id, 0.5, 'another-salt'));
    const differing = a.filter((drawn, i) => drawn !== b[i]).length;
    // Independent draws at 50% disagree about half the time.
    expect(differing).toBeGreaterThan(4_000);
    expect(differing).toBeLessThan(6_000);
  });

  test('a larger share keeps every id a smaller one drew', () => {
    const small = IDS.filter((id) => shouldSample(id, 0.05, SALT));
    expect(small.every((id) => shouldSample(id, 0.2, SALT))).toBe(true);
  });

  test('the boundary is exclusive: an id whose draw equals the share is not sampled', () => {
    const draw = sampleDraw('as_1', SALT);
    expect(shouldSample('as_1', draw, SALT)).toBe(false);
    expect(shouldSample('as_1', draw + 2 ** -40, SALT)).toBe(true);
  });

  test('share 0 draws nothing, share 1 everything', () => {
    expect(IDS.some((id) => shouldSample(id, 0, SALT))).toBe(false);
    expect(IDS.every((id) => shouldSample(id, 1, SALT))).toBe(true);
  });

  test('refuses a share outside [0, 1] and an empty salt', () => {
    for (const share of [-0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => shouldSample('as_1', share, SALT)).toThrow(DomainError);
    }
    let error: unknown;
    try {
      shouldSample('as_1', 2, '');
    } catch (e) {
      error = e;
    }
    expect((error as DomainError).details.map((d) => d.path)).toEqual(['$.share', '$.salt']);
  });
});
