import { Gbt26875DecodeError } from './errors.ts';
import { decodeAdu, encodeAdu, type Adu } from './objects.ts';
import type { Address, ControlUnit } from './control-unit.ts';
import { readTimeLabel, writeTimeLabel, type TimeLabel } from './time-label.ts';

export type { Address, ControlUnit };

// Frames of GB/T 26875.3-2011 (fact sheet §1, [S][I]): '@@' + control unit 控制单元 (25 bytes) +
// ADU 应用数据单元 (L bytes) + checksum (1) + '##'; total 30 + L. Integers little-endian. There is no
// escaping: a frame is delimited by its length field, never by searching for '##'.

export const START_BYTE = 0x40;
export const END_BYTE = 0x23;
/** Start chars plus the control unit: enough to read serial, addresses, L and the command. */
export const HEADER_BYTES = 27;
export const MIN_FRAME_BYTES = 30;
/** The standard's ADU limit [S]; Hikvision/Dahua documents say 512 [V]. */
export const MAX_ADU_BYTES = 1024;
export const ADDRESS_BYTES = 6;

/** 命令字节 (fact sheet §2, [S]). 0 and 7-127 are reserved; 128-255 user-defined. */
export const Command = {
  /** 控制命令, centre → UITD. */
  control: 1,
  /** 发送数据, UITD → centre, answered with confirm or deny. */
  sendData: 2,
  /** 确认 */
  confirm: 3,
  /** 请求, centre → UITD. */
  request: 4,
  /** 应答, UITD → centre. */
  response: 5,
  /** 否认 */
  deny: 6,
} as const;

export const isUserDefinedCommand = (command: number): boolean => command >= 128 && command <= 255;
const isKnownCommand = (command: number): boolean => (command >= 1 && command <= 6) || isUserDefinedCommand(command);

export function addressFromBytes(bytes: Uint8Array): Address {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, ADDRESS_BYTES);
  return { hex: b.toString('hex'), value: b.readUIntLE(0, ADDRESS_BYTES) };
}

/** The address of a device that sends its numeric id as a LE integer (889 → `790300000000`). */
export function addressOfId(id: number): Address {
  const b = Buffer.alloc(ADDRESS_BYTES);
  b.writeUIntLE(id, 0, ADDRESS_BYTES);
  return addressFromBytes(b);
}

export function addressOfHex(hex: string): Address {
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new RangeError(`an address is 12 hex digits (6 bytes, wire order), got "${hex}"`);
  return addressFromBytes(Buffer.from(hex, 'hex'));
}

/** 控制单元: everything before the ADU. */

export interface DecodedFrame extends ControlUnit {
  /** Null when L = 0 (confirm, deny, and the empty send-data some UITDs use as a heartbeat [V]). */
  adu: Adu | null;
  checksum: number;
}

/** Sum of bytes 2 … 26+L (control unit and ADU), low 8 bits [S]. */
export function checksumOf(frame: Uint8Array, aduLength: number): number {
  let sum = 0;
  for (let i = 2; i < HEADER_BYTES + aduLength; i++) sum += frame[i]!;
  return sum & 0xff;
}

/** The control unit of a buffer that holds at least HEADER_BYTES; start chars are not checked here. */
export function readControlUnit(buf: Uint8Array): ControlUnit {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  return {
    serial: b.readUInt16LE(2),
    version: b[4]!,
    userVersion: b[5]!,
    time: readTimeLabel(b, 6),
    source: addressFromBytes(b.subarray(12, 18)),
    destination: addressFromBytes(b.subarray(18, 24)),
    aduLength: b.readUInt16LE(24),
    command: b[26]!,
  };
}

export interface DecodeOptions {
  maxAduBytes?: number;
  unknownTypes?: 'keep' | 'reject';
}

/** Decodes one whole frame (exactly 30 + L bytes); throws Gbt26875DecodeError. */
export function decodeFrame(buf: Uint8Array, opts: DecodeOptions = {}): DecodedFrame {
  if (buf.length < MIN_FRAME_BYTES)
    throw new Gbt26875DecodeError('TRUNCATED_FRAME', `${buf.length} byte(s) cannot hold a frame (at least ${MIN_FRAME_BYTES})`);
  if (buf[0] !== START_BYTE || buf[1] !== START_BYTE)
    throw new Gbt26875DecodeError('BAD_START', 'the frame does not start with @@');
  const header = readControlUnit(buf);
  const L = header.aduLength;
  const max = opts.maxAduBytes ?? MAX_ADU_BYTES;
  if (L > max) throw new Gbt26875DecodeError('BAD_LENGTH', `ADU length ${L} is over the limit of ${max}`, header);
  if (buf.length !== MIN_FRAME_BYTES + L)
    throw new Gbt26875DecodeError(
      'BAD_LENGTH',
      `ADU length ${L} makes a ${MIN_FRAME_BYTES + L}-byte frame, got ${buf.length}`,
      header,
    );
  if (buf[28 + L] !== END_BYTE || buf[29 + L] !== END_BYTE)
    throw new Gbt26875DecodeError('BAD_END', `no ## at offset ${28 + L}`, header);
  const checksum = buf[27 + L]!;
  const expected = checksumOf(buf, L);
  if (checksum !== expected)
    throw new Gbt26875DecodeError('BAD_CHECKSUM', `checksum 0x${hex2(checksum)}, computed 0x${hex2(expected)}`, header);
  if (!isKnownCommand(header.command))
    throw new Gbt26875DecodeError('UNKNOWN_COMMAND', `command byte ${header.command} is reserved`, header);
  let adu: Adu | null = null;
  try {
    if (L > 0) adu = decodeAdu(buf.subarray(HEADER_BYTES, HEADER_BYTES + L), { unknownTypes: opts.unknownTypes ?? 'keep' });
  } catch (err) {
    if (err instanceof Gbt26875DecodeError) throw new Gbt26875DecodeError(err.code, err.message, header);
    throw err;
  }
  return { ...header, adu, checksum };
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();

export interface FrameInput {
  serial: number;
  version?: number;
  userVersion?: number;
  time: TimeLabel;
  /** 12 hex digits, wire order. */
  source: string;
  destination: string;
  command: number;
  adu?: Adu | null;
}

export function encodeFrame(f: FrameInput): Buffer {
  const adu = f.adu ? encodeAdu(f.adu) : Buffer.alloc(0);
  if (adu.length > MAX_ADU_BYTES) throw new RangeError(`the ADU takes ${adu.length} bytes; at most ${MAX_ADU_BYTES} fit`);
  const frame = Buffer.alloc(MIN_FRAME_BYTES + adu.length);
  frame[0] = frame[1] = START_BYTE;
  frame.writeUInt16LE(f.serial, 2);
  frame[4] = f.version ?? 1;
  frame[5] = f.userVersion ?? 0;
  writeTimeLabel(frame, 6, f.time);
  Buffer.from(addressOfHex(f.source).hex, 'hex').copy(frame, 12);
  Buffer.from(addressOfHex(f.destination).hex, 'hex').copy(frame, 18);
  frame.writeUInt16LE(adu.length, 24);
  frame[26] = f.command;
  adu.copy(frame, HEADER_BYTES);
  frame[27 + adu.length] = checksumOf(frame, adu.length);
  frame[28 + adu.length] = frame[29 + adu.length] = END_BYTE;
  return frame;
}

/**
 * The centre's confirm or deny of a frame: same serial, addresses swapped, empty ADU, the
 * answering side's own send time [S], version bytes echoed [I].
 */
export function replyTo(header: ControlUnit, command: typeof Command.confirm | typeof Command.deny, time: TimeLabel): Buffer {
  return encodeFrame({
    serial: header.serial,
    version: header.version,
    userVersion: header.userVersion,
    time,
    source: header.destination.hex,
    destination: header.source.hex,
    command,
    adu: null,
  });
}
