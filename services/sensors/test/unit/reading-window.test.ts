import { inWindow, receivedTimeOutsideWindow } from '../../src/domain/readings.ts';

const window = { maxAgeMs: 72 * 3_600_000, maxSkewMs: 300_000 };
const now = new Date('2026-11-30T04:00:00.000Z');

test('the window: up to 72 h old and 300 s ahead, both ends included', () => {
  expect(inWindow('2026-11-27T04:00:00.000Z', now, window)).toBe(true);
  expect(inWindow('2026-11-27T03:59:59.999Z', now, window)).toBe(false);
  expect(inWindow('2026-11-30T04:05:00.000Z', now, window)).toBe(true);
  expect(inWindow('2026-11-30T04:05:00.001Z', now, window)).toBe(false);
});

test('a transmission device’s readings outside the window take the time of receipt; the others keep theirs', () => {
  const readings = [
    { deviceId: 'a', at: '2026-11-30T03:59:00.000Z', values: { fire: true } },
    // An unset controller clock (2000-01-01) and one a year ahead.
    { deviceId: 'b', at: '2000-01-01T00:00:00.000Z', values: { fire: true } },
    { deviceId: 'c', at: '2027-11-30T04:00:00.000Z', values: { fault: true } },
  ];
  const timed = receivedTimeOutsideWindow(readings, now, window);
  expect(timed.adjusted).toBe(2);
  expect(timed.readings.map((r) => [r.deviceId, r.at, r.values])).toEqual([
    ['a', '2026-11-30T03:59:00.000Z', { fire: true }],
    ['b', now.toISOString(), { fire: true }],
    ['c', now.toISOString(), { fault: true }],
  ]);
});
