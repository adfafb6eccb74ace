import {
  addressOfHex,
  addressOfId,
  checksumOf,
  Command,
  decodeFrame,
  encodeFrame,
  replyTo,
  type DecodedFrame,
} from '../../src/gbt26875/codec.ts';
import {
  analogValue,
  COMPONENT_STATE_BITS,
  flagsOf,
  SYSTEM_STATE_BITS,
  UITD_OPERATION_BITS,
  UITD_STATE_BITS,
  valueOfFlags,
} from '../../src/gbt26875/codes.ts';
import { Gbt26875DecodeError, LISTED_CHECK_ERRORS, type Gbt26875ErrorCode } from '../../src/gbt26875/errors.ts';
import { decodeAdu, encodeAdu, LAYOUTS, type Adu, type InformationObject } from '../../src/gbt26875/objects.ts';
import { timeLabelFromDate, timeLabelToDate, type TimeLabel } from '../../src/gbt26875/time-label.ts';
import { CENTRE_HEX, E1, E2, E3, E4, E5, E5_DENY, hex, UITD_HEX } from './gbt26875-fixtures.ts';

const at = (hour: number, minute: number, second: number): TimeLabel => ({ year: 2024, month: 3, day: 15, hour, minute, second });

/** Re-encodes a decoded frame: every worked frame must come back byte for byte. */
const reencode = (f: DecodedFrame): Buffer => encodeFrame({ ...f, source: f.source.hex, destination: f.destination.hex });

function codeOf(fn: () => unknown): { code: Gbt26875ErrorCode; serial: number | undefined } {
  try {
    fn();
  } catch (err) {
    if (err instanceof Gbt26875DecodeError) return { code: err.code, serial: err.header?.serial };
    throw err;
  }
  throw new Error('expected a Gbt26875DecodeError');
}

describe('worked frames of the fact sheet', () => {
  test('E1: fire alarm of a point photoelectric smoke detector', () => {
    const f = decodeFrame(E1);
    expect(f).toMatchObject({
      serial: 300,
      version: 1,
      userVersion: 0,
      time: at(14, 23, 6),
      source: { hex: UITD_HEX, value: 0x123456 },
      destination: { hex: CENTRE_HEX, value: 1 },
      aduLength: 48,
      command: Command.sendData,
      checksum: 0x8c,
    });
    expect(f.adu).toEqual({
      kind: 'objects',
      typeFlag: 2,
      objects: [
        {
          type: 2,
          systemType: 1,
          systemAddress: 1,
          componentType: 42,
          componentAddress: 0x00030019,
          state: 0x0003,
          description: '三层走廊',
          time: at(14, 23, 5),
        },
      ],
    });
    expect(flagsOf(COMPONENT_STATE_BITS, 0x0003)).toMatchObject({ normal: true, fire: true, fault: false });
    expect(reencode(f).equals(E1)).toBe(true);
  });

  test('E2: fault of a point heat detector', () => {
    const f = decodeFrame(E2);
    expect(f.serial).toBe(301);
    expect(f.adu).toMatchObject({
      typeFlag: 2,
      objects: [{ componentType: 31, componentAddress: 0x0003001a, state: 0x0005, description: '二层机房', time: at(14, 30, 0) }],
    });
    expect(f.checksum).toBe(0x65);
    expect(reencode(f).equals(E2)).toBe(true);
  });

  test('E3: system state with 23 23 inside the ADU', () => {
    const f = decodeFrame(E3);
    expect(f).toMatchObject({ serial: 302, time: at(14, 35, 36), aduLength: 12, checksum: 0xde });
    expect(f.adu).toEqual({
      kind: 'objects',
      typeFlag: 1,
      objects: [{ type: 1, systemType: 1, systemAddress: 1, state: 0x0101, time: at(14, 35, 35) }],
    });
    expect(flagsOf(SYSTEM_STATE_BITS, 0x0101)).toMatchObject({ normal: true, mainPowerFault: true, fire: false });
    expect(reencode(f).equals(E3)).toBe(true);
  });

  test('E4: UITD running state', () => {
    const f = decodeFrame(E4);
    expect(f).toMatchObject({ serial: 303, aduLength: 9, checksum: 0xc1 });
    expect(f.adu).toEqual({ kind: 'objects', typeFlag: 21, objects: [{ type: 21, state: 0x11, time: at(14, 40, 0) }] });
    expect(flagsOf(UITD_STATE_BITS, 0x11)).toMatchObject({ normal: true, backupPowerFault: true, mainPowerFault: false });
    expect(reencode(f).equals(E4)).toBe(true);
  });

  test("E5: the centre's confirm and deny of E1", () => {
    const e1 = decodeFrame(E1);
    expect(replyTo(e1, Command.confirm, at(14, 23, 7)).equals(E5)).toBe(true);
    expect(replyTo(e1, Command.deny, at(14, 23, 7)).equals(E5_DENY)).toBe(true);
    expect(decodeFrame(E5)).toMatchObject({ serial: 300, command: 3, aduLength: 0, adu: null, source: { hex: CENTRE_HEX } });
  });

  test('the checksum is the low byte of the sum of bytes 2 … 26+L', () => {
    expect(checksumOf(E1, 48)).toBe(0x8c);
    expect(checksumOf(E5, 0)).toBe(0x24);
  });
});

describe('check errors', () => {
  const withByte = (frame: Buffer, offset: number, value: number): Buffer => {
    const b = Buffer.from(frame);
    b[offset] = value;
    return b;
  };

  test('the five check errors the standard lists carry the header, so the frame can be denied', () => {
    expect(codeOf(() => decodeFrame(withByte(E1, 40, 0xff)))).toEqual({ code: 'BAD_CHECKSUM', serial: 300 });
    expect(codeOf(() => decodeFrame(withByte(E1, E1.length - 1, 0x24)))).toEqual({ code: 'BAD_END', serial: 300 });
    expect(codeOf(() => decodeFrame(withByte(E1, 0, 0x41)))).toEqual({ code: 'BAD_START', serial: undefined });
    // ADU length over the limit (0x0401 = 1025), and a length that does not match the buffer.
    expect(codeOf(() => decodeFrame(withByte(E1, 25, 0x04)))).toEqual({ code: 'BAD_LENGTH', serial: 300 });
    expect(codeOf(() => decodeFrame(E1.subarray(0, E1.length - 1)))).toEqual({ code: 'BAD_LENGTH', serial: 300 });
    const reserved = (command: number) =>
      encodeFrame({ serial: 9, time: at(1, 2, 3), source: UITD_HEX, destination: CENTRE_HEX, command });
    expect(codeOf(() => decodeFrame(reserved(0)))).toEqual({ code: 'UNKNOWN_COMMAND', serial: 9 });
    expect(codeOf(() => decodeFrame(reserved(7)))).toEqual({ code: 'UNKNOWN_COMMAND', serial: 9 });
    expect([...LISTED_CHECK_ERRORS].sort()).toEqual(['BAD_CHECKSUM', 'BAD_END', 'BAD_LENGTH', 'BAD_START', 'UNKNOWN_COMMAND']);
  });

  test('user-defined commands and a limit of 512 (Hikvision/Dahua) are options of the reader, not errors', () => {
    const f = encodeFrame({ serial: 1, time: at(1, 2, 3), source: UITD_HEX, destination: CENTRE_HEX, command: 0x81 });
    expect(decodeFrame(f).command).toBe(0x81);
    expect(codeOf(() => decodeFrame(E1, { maxAduBytes: 40 }))).toEqual({ code: 'BAD_LENGTH', serial: 300 });
    expect(codeOf(() => decodeFrame(E5.subarray(0, 29)))).toEqual({ code: 'TRUNCATED_FRAME', serial: undefined });
  });

  test('ADU problems: an object cut short, bytes left over; unknown types are kept raw unless rejected', () => {
    const frameWith = (adu: Buffer): Buffer => {
      const f = encodeFrame({ serial: 5, time: at(1, 2, 3), source: UITD_HEX, destination: CENTRE_HEX, command: 2 });
      const body = Buffer.concat([f.subarray(0, 27), adu, Buffer.from([0, 0x23, 0x23])]);
      body.writeUInt16LE(adu.length, 24);
      body[27 + adu.length] = checksumOf(body, adu.length);
      return body;
    };
    expect(codeOf(() => decodeFrame(frameWith(hex('02'))))).toEqual({ code: 'TRUNCATED_OBJECT', serial: 5 });
    // Type 1 says two objects of 10 bytes, has 15.
    expect(codeOf(() => decodeFrame(frameWith(hex('01 02 01 01 01 00 05 04 03 0F 03 18 01 01 01 00 05'))))).toEqual({
      code: 'TRUNCATED_OBJECT',
      serial: 5,
    });
    expect(codeOf(() => decodeFrame(frameWith(hex('15 01 11 00 28 0E 0F 03 18 FF'))))).toEqual({
      code: 'BAD_OBJECT_COUNT',
      serial: 5,
    });
    // A configuration text (type 26) whose length byte runs past the ADU.
    expect(codeOf(() => decodeFrame(frameWith(hex('1A 01 05 41 42'))))).toEqual({ code: 'TRUNCATED_OBJECT', serial: 5 });
    const vendor = frameWith(hex('C8 01 AA BB CC'));
    expect(decodeFrame(vendor).adu).toEqual({ kind: 'unknown', typeFlag: 0xc8, count: 1, raw: hex('AA BB CC') });
    expect(codeOf(() => decodeFrame(vendor, { unknownTypes: 'reject' }))).toEqual({ code: 'UNKNOWN_TYPE', serial: 5 });
  });
});

describe('information objects', () => {
  const t = at(9, 8, 7);
  const examples: Record<number, InformationObject> = {
    1: { type: 1, systemType: 1, systemAddress: 2, state: 0x0f03, time: t },
    2: {
      type: 2,
      systemType: 1,
      systemAddress: 2,
      componentType: 31,
      componentAddress: 0x01020304,
      state: 0x0105,
      description: '五层',
      time: t,
    },
    3: {
      type: 3,
      systemType: 11,
      systemAddress: 3,
      componentType: 99,
      componentAddress: 7,
      analogType: 3,
      rawValue: -125,
      time: t,
    },
    4: { type: 4, systemType: 1, systemAddress: 1, operations: 0b0010_0001, operator: 12, time: t },
    5: { type: 5, systemType: 1, systemAddress: 1, major: 2, minor: 14 },
    6: { type: 6, systemType: 1, systemAddress: 1, configuration: '2回路 共512点' },
    7: { type: 7, systemType: 1, systemAddress: 1, componentType: 42, componentAddress: 0x20001, description: '大厅' },
    8: { type: 8, systemType: 1, systemAddress: 1, clock: t },
    21: { type: 21, state: 0x21, time: t },
    24: { type: 24, operations: valueOfFlags(UITD_OPERATION_BITS, { checkPostAnswer: true }), operator: 3, time: t },
    25: { type: 25, major: 1, minor: 4 },
    26: { type: 26, configuration: 'UITD-01' },
    28: { type: 28, clock: t },
    61: { type: 61, systemType: 1, systemAddress: 1 },
    62: { type: 62, systemType: 1, systemAddress: 1, componentAddress: 0x30019 },
    63: { type: 63, systemType: 1, systemAddress: 1, componentAddress: 0x30019 },
    64: { type: 64, systemType: 1, systemAddress: 1, count: 10, start: t },
    65: { type: 65, systemType: 1, systemAddress: 1 },
    66: { type: 66, systemType: 1, systemAddress: 1 },
    67: { type: 67, systemType: 1, systemAddress: 1, componentAddress: 1 },
    68: { type: 68, systemType: 1, systemAddress: 1 },
    81: { type: 81, reserved: 0 },
    84: { type: 84, count: 5, start: t },
    85: { type: 85, reserved: 0 },
    86: { type: 86, reserved: 0 },
    88: { type: 88, reserved: 0 },
    89: { type: 89, reserved: 0 },
    90: { type: 90, clock: t },
    91: { type: 91, timeoutMinutes: 10 },
  };

  test('every type of the layout table comes back as it was encoded, with the sizes of the standard', () => {
    expect(Object.keys(examples)).toEqual(Object.keys(LAYOUTS));
    const sizes: Record<number, number> = {
      1: 10,
      2: 46,
      3: 16,
      4: 10,
      5: 4,
      7: 38,
      8: 8,
      21: 7,
      24: 8,
      25: 2,
      28: 6,
      62: 6,
      64: 9,
      84: 7,
      90: 6,
      91: 1,
    };
    for (const o of Object.values(examples)) {
      const adu: Adu = { kind: 'objects', typeFlag: o.type, objects: [o, o] };
      const bytes = encodeAdu(adu);
      if (sizes[o.type] !== undefined)
        expect({ type: o.type, size: (bytes.length - 2) / 2 }).toEqual({ type: o.type, size: sizes[o.type] });
      expect(decodeAdu(bytes)).toEqual(adu);
    }
  });

  test('objects sent without their time label are read too (dgiot tolerance)', () => {
    const bytes = hex('02 01 01 01 2A 19 00 03 00 03 00' + '00'.repeat(31));
    const adu = decodeAdu(bytes);
    expect(adu).toMatchObject({ kind: 'objects', objects: [{ type: 2, state: 3, description: '' }] });
    expect(adu.kind === 'objects' && 'time' in adu.objects[0]!).toBe(false);
  });

  test('descriptions: space padding and junk after NUL are dropped; too long a text is refused when encoding', () => {
    const padded = Buffer.concat([
      hex('02 01 01 01 2A 19 00 03 00 03 00'),
      Buffer.from('Hall A'.padEnd(31, ' ')),
      hex('05 17 0E 0F 03 18'),
    ]);
    expect(decodeAdu(padded)).toMatchObject({ objects: [{ description: 'Hall A' }] });
    const long: InformationObject = { ...examples[2]!, description: '一二三四五六七八九十一二三四五六' } as InformationObject;
    expect(() => encodeAdu({ kind: 'objects', typeFlag: 2, objects: [long] })).toThrow(RangeError);
  });
});

describe('addresses, time labels, code tables', () => {
  test('an address is kept as wire hex and as its LE integer', () => {
    expect(addressOfId(889)).toEqual({ hex: '790300000000', value: 889 });
    expect(addressOfId(88888).hex).toBe('385b01000000');
    // A Hikvision/Dahua SN in big-endian nibbles: the hex is the SN digits.
    expect(addressOfHex('123456789012').hex).toBe('123456789012');
    expect(() => addressOfHex('12345')).toThrow(RangeError);
  });

  test('time labels are UTC+8 unless told otherwise; impossible dates give undefined', () => {
    expect(timeLabelToDate(at(14, 23, 5))?.toISOString()).toBe('2024-03-15T06:23:05.000Z');
    expect(timeLabelToDate(at(14, 23, 5), 0)?.toISOString()).toBe('2024-03-15T14:23:05.000Z');
    expect(timeLabelFromDate(new Date('2024-03-14T23:59:59Z'))).toEqual({
      year: 2024,
      month: 3,
      day: 15,
      hour: 7,
      minute: 59,
      second: 59,
    });
    expect(timeLabelToDate({ ...at(1, 1, 1), month: 0 })).toBeUndefined();
    expect(timeLabelToDate({ ...at(1, 1, 1), month: 2, day: 31 })).toBeUndefined();
    expect(timeLabelToDate({ ...at(1, 1, 1), hour: 24 })).toBeUndefined();
  });

  test('bit fields and analog values', () => {
    const state = valueOfFlags(SYSTEM_STATE_BITS, { fire: true, busFault: true, reset: true });
    expect(state).toBe(0b10_0100_0000_0010);
    expect(flagsOf(SYSTEM_STATE_BITS, state)).toMatchObject({
      fire: true,
      busFault: true,
      reset: true,
      fault: false,
      normal: false,
    });
    expect(analogValue(3, -125)).toEqual({ value: -12.5, unit: '°C', inRange: true });
    expect(analogValue(2, 1234)).toEqual({ value: 12.34, unit: 'm', inRange: true });
    expect(analogValue(12, 25)).toEqual({ value: 25, unit: 'm/s', inRange: false });
    expect(analogValue(200, 1)).toBeUndefined();
  });
});
