import { DEFAULT_DEMO_UNITS, MAX_DEMO_UNITS, parseDemoUnits } from '../src/demo-units.ts';
import { lastProgress } from '../src/platform.ts';
import { formatDuration } from '../src/progress.ts';

test('npm start takes the demo size from --units, then DEMO_UNITS, else the default', () => {
  expect(parseDemoUnits([], undefined)).toBe(DEFAULT_DEMO_UNITS);
  expect(parseDemoUnits([], '50000')).toBe(50_000);
  expect(parseDemoUnits(['--units', '50000'], '10')).toBe(50_000);
  expect(parseDemoUnits(['--units=50_000'], undefined)).toBe(50_000);
  expect(parseDemoUnits(['--units', '200,000'], undefined)).toBe(MAX_DEMO_UNITS);
});

test('a demo size that is not a whole number in range is refused, naming where it came from', () => {
  expect(() => parseDemoUnits(['--units', '0'], undefined)).toThrow('--units must be a whole number from 1 to 200000, not "0"');
  expect(() => parseDemoUnits(['--units', '1.5'], undefined)).toThrow(/--units must be a whole number/);
  expect(() => parseDemoUnits(['--units', '200001'], undefined)).toThrow(/--units must be a whole number/);
  expect(() => parseDemoUnits([], '-3')).toThrow(/DEMO_UNITS must be a whole number/);
  expect(() => parseDemoUnits(['--units'], undefined)).toThrow('--units needs a number');
  expect(() => parseDemoUnits(['--unit', '5'], undefined)).toThrow('unknown option --unit');
});

test('durations read as a person would say them', () => {
  expect(formatDuration(870)).toBe('0.9s');
  expect(formatDuration(42_000)).toBe('42s');
  expect(formatDuration(135_000)).toBe('2m15s');
  expect(formatDuration(7_200_000)).toBe('2h00m');
});

test('demo loading progress is read from the loaders’ last log line with a count', () => {
  const log = [
    '{"level":30,"done":500,"total":50000,"msg":"demo units registered"}',
    '{"level":30,"done":1738,"total":50000,"msg":"demo: registry units learned from Kafka"}',
    '{"level":40,"msg":"something else"}',
  ].join('\n');
  expect(lastProgress(log)).toBe('1,738 of 50,000 registry units learned from Kafka');
  expect(lastProgress('{"msg":"no count"}')).toBeUndefined();
});
