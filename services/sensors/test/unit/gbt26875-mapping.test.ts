import { checkReading, type Reading } from '../../src/domain/readings.ts';
import { decodeFrame, encodeFrame, type DecodedFrame } from '../../src/gbt26875/codec.ts';
import {
  isUitdLevel,
  LOOP_IN_HIGH_WORD,
  LOOP_IN_LOW_WORD,
  mapFrame,
  systemAddressesOf,
  type MappingInput,
} from '../../src/gbt26875/mapping.ts';
import type { InformationObject } from '../../src/gbt26875/objects.ts';
import type { TimeLabel } from '../../src/gbt26875/time-label.ts';
import { CENTRE_HEX, E1, E2, E3, E4, UITD_HEX } from './gbt26875-fixtures.ts';

const receivedAt = new Date('2024-03-15T06:23:09.000Z');
const devices: Record<string, string> = { [`${UITD_HEX}/1`]: 'dev_fac_1', [`${UITD_HEX}/2`]: 'dev_fac_2' };
const base: Omit<MappingInput, 'frame'> = {
  resolveDevice: (uitd, sys) => devices[`${uitd}/${sys}`],
  devicesBehind: ['dev_fac_1', 'dev_fac_2'],
  receivedAt,
};
const map = (frame: DecodedFrame, extra: Partial<MappingInput> = {}) => mapFrame({ ...base, frame, ...extra });
const t = (hour: number, minute: number, second: number): TimeLabel => ({ year: 2024, month: 3, day: 15, hour, minute, second });
const frameOf = (typeFlag: number, objects: InformationObject[] | null): DecodedFrame =>
  decodeFrame(
    encodeFrame({
      serial: 1,
      time: t(14, 23, 8),
      source: UITD_HEX,
      destination: CENTRE_HEX,
      command: 2,
      adu: objects ? { kind: 'objects', typeFlag, objects } : null,
    }),
  );

/** Every reading must pass the ingest check of a fire_alarm_controller, as the service will run it. */
function expectValid(readings: Reading[]): void {
  readings.forEach((r, i) => {
    const device = { id: r.deviceId, kind: 'fire_alarm_controller' as const, gatewayId: 'gw', status: 'active' as const };
    const checked = checkReading(r, i, {
      device,
      gatewayId: 'gw',
      now: new Date('2024-03-15T07:00:00Z'),
      window: { maxAgeMs: 86_400_000, maxSkewMs: 60_000 },
    });
    expect(checked).toEqual({ reading: r });
  });
}

test('E1: fire at the detector’s point, event time from UTC+8 to UTC', () => {
  const { readings, skipped } = map(decodeFrame(E1));
  expect(readings).toEqual([
    {
      deviceId: 'dev_fac_1',
      at: '2024-03-15T06:23:05.000Z',
      point: '25-3',
      values: { fire: true, fault: false, shielded: false, supervisory: false },
    },
  ]);
  expect(skipped).toEqual([]);
  expectValid(readings);
  // The other split of the component address (the fact sheet's reading of E1): loop 3, point 25.
  expect(map(decodeFrame(E1), { pointLayout: LOOP_IN_HIGH_WORD }).readings[0]!.point).toBe('3-25');
});

test('E2: fault; E3: main power fault of the system is a fault of point 0-0', () => {
  expect(map(decodeFrame(E2)).readings).toEqual([
    {
      deviceId: 'dev_fac_1',
      at: '2024-03-15T06:30:00.000Z',
      point: '26-3',
      values: { fire: false, fault: true, shielded: false, supervisory: false },
    },
  ]);
  const e3 = map(decodeFrame(E3)).readings;
  expect(e3).toEqual([
    {
      deviceId: 'dev_fac_1',
      at: '2024-03-15T06:35:35.000Z',
      point: '0-0',
      values: { fire: false, fault: true, shielded: false, supervisory: false },
    },
  ]);
  expectValid(e3);
});

test('E4 (UITD state) and an empty send-data are heartbeats for every controller behind the UITD', () => {
  const heartbeats = [
    { deviceId: 'dev_fac_1', at: receivedAt.toISOString(), values: {} },
    { deviceId: 'dev_fac_2', at: receivedAt.toISOString(), values: {} },
  ];
  expect(map(decodeFrame(E4)).readings).toEqual(heartbeats);
  const empty = frameOf(0, null);
  expect(map(empty).readings).toEqual(heartbeats);
  expectValid(heartbeats);
  expect(isUitdLevel(empty)).toBe(true);
  expect(isUitdLevel(decodeFrame(E1))).toBe(false);
  expect(map(empty, { devicesBehind: [] }).readings).toEqual([]);
});

test('shield, supervisory and power faults; bit 0 (normal/test) does not matter', () => {
  const f = frameOf(2, [
    {
      type: 2,
      systemType: 1,
      systemAddress: 2,
      componentType: 23,
      componentAddress: LOOP_IN_LOW_WORD.join(1, 7),
      state: 0b1000,
      description: '',
      time: t(8, 0, 0),
    },
    {
      type: 2,
      systemType: 1,
      systemAddress: 2,
      componentType: 96,
      componentAddress: LOOP_IN_LOW_WORD.join(1, 8),
      state: 0b1_0001_0000,
      description: '',
      time: t(8, 0, 0),
    },
    {
      type: 2,
      systemType: 1,
      systemAddress: 2,
      componentType: 42,
      componentAddress: LOOP_IN_LOW_WORD.join(2, 1),
      state: 0b0010,
      description: '',
      time: t(8, 0, 0),
    },
  ]);
  const { readings } = map(f);
  expect(readings.map((r) => [r.point, r.values])).toEqual([
    ['1-7', { fire: false, fault: false, shielded: true, supervisory: false }],
    ['1-8', { fire: false, fault: true, shielded: false, supervisory: true }],
    ['2-1', { fire: true, fault: false, shielded: false, supervisory: false }],
  ]);
  expect(readings.every((r) => r.deviceId === 'dev_fac_2')).toBe(true);
  expect(systemAddressesOf(f)).toEqual([2]);
});

test('unbound systems, out-of-range points and types without a measurement are skipped; their device still gets a heartbeat', () => {
  const f = frameOf(2, [
    {
      type: 2,
      systemType: 1,
      systemAddress: 9,
      componentType: 42,
      componentAddress: 1,
      state: 2,
      description: '',
      time: t(8, 0, 0),
    },
    {
      type: 2,
      systemType: 1,
      systemAddress: 1,
      componentType: 42,
      componentAddress: LOOP_IN_LOW_WORD.join(1000, 1),
      state: 2,
      description: '',
      time: t(8, 0, 0),
    },
  ]);
  const { readings, skipped } = map(f);
  expect(skipped).toEqual([
    { type: 2, reason: 'UNBOUND_SYSTEM', systemAddress: 9 },
    { type: 2, reason: 'POINT_OUT_OF_RANGE', systemAddress: 1, componentAddress: LOOP_IN_LOW_WORD.join(1000, 1) },
  ]);
  expect(readings).toEqual([{ deviceId: 'dev_fac_1', at: receivedAt.toISOString(), values: {} }]);

  const analog = frameOf(3, [
    {
      type: 3,
      systemType: 11,
      systemAddress: 2,
      componentType: 99,
      componentAddress: 1,
      analogType: 4,
      rawValue: 6,
      time: t(8, 0, 0),
    },
  ]);
  expect(map(analog)).toEqual({
    readings: [{ deviceId: 'dev_fac_2', at: receivedAt.toISOString(), values: {} }],
    skipped: [{ type: 3, reason: 'NOT_MAPPED', systemAddress: 2 }],
    clockFallbacks: 0,
  });
});

test('a time label naming no real date falls back to the frame time; the same point and second merge into one reading', () => {
  const f = frameOf(2, [
    {
      type: 2,
      systemType: 1,
      systemAddress: 1,
      componentType: 42,
      componentAddress: 5,
      state: 0b0010,
      description: '',
      time: { ...t(8, 0, 0), month: 13 },
    },
    {
      type: 2,
      systemType: 1,
      systemAddress: 1,
      componentType: 42,
      componentAddress: 5,
      state: 0b1000,
      description: '',
      time: t(14, 23, 8),
    },
  ]);
  const { readings, clockFallbacks } = map(f);
  expect(clockFallbacks).toBe(1);
  expect(readings).toEqual([
    {
      deviceId: 'dev_fac_1',
      at: '2024-03-15T06:23:08.000Z',
      point: '5-0',
      values: { fire: false, fault: false, shielded: true, supervisory: false },
    },
  ]);
  // Objects without a time label take the frame's.
  const untimed = frameOf(1, [{ type: 1, systemType: 1, systemAddress: 1, state: 0b10 }]);
  expect(map(untimed).readings[0]).toMatchObject({ at: '2024-03-15T06:23:08.000Z', point: '0-0', values: { fire: true } });
});

test('the point layouts join and split each other', () => {
  for (const layout of [LOOP_IN_LOW_WORD, LOOP_IN_HIGH_WORD]) {
    expect(layout.split(layout.join(12, 345))).toEqual({ loop: 12, point: 345 });
    expect(layout.split(layout.join(65535, 65535))).toEqual({ loop: 65535, point: 65535 });
  }
  expect(LOOP_IN_LOW_WORD.join(10, 2)).toBe(0x0002000a);
});
