import iconv from 'iconv-lite';
import type { CodeLabel } from './codes.ts';
import { Gbt26875DecodeError } from './errors.ts';
import { readTimeLabel, TIME_LABEL_BYTES, writeTimeLabel, type TimeLabel } from './time-label.ts';

// Information objects 信息对象 of the application data unit 应用数据单元 (fact sheet §3, [S]):
// type flag (1) + object count (1) + count × (body + 6-byte time label for the types that carry one).
// One layout table drives both decoding and encoding, so the two cannot drift apart.

interface Timed {
  /** When it happened, device-local time. Absent when the device left the label out (tolerated [I]). */
  time?: TimeLabel;
}
interface OfSystem {
  /** 系统类型, see SYSTEM_TYPES. */
  systemType: number;
  /** 系统地址 0-255, set by the facility. */
  systemAddress: number;
}
interface OfComponent extends OfSystem {
  /** 部件类型, see COMPONENT_TYPES. */
  componentType: number;
  /** 部件地址: 4 bytes, low byte first; the standard does not split it (see mapping.ts). */
  componentAddress: number;
}

// Upstream 上行: UITD → centre (cmd 2 send data, or cmd 5 answering a query).
export interface SystemState extends OfSystem, Timed {
  type: 1;
  /** 系统状态 bit field, see SYSTEM_STATE_BITS. */
  state: number;
}
export interface ComponentState extends OfComponent, Timed {
  type: 2;
  /** 部件状态 bit field, see COMPONENT_STATE_BITS. */
  state: number;
  /** 部件说明, GB 18030 with NUL and space padding stripped. */
  description: string;
}
export interface AnalogValue extends OfComponent, Timed {
  type: 3;
  /** 模拟量类型, see ANALOG_TYPES. */
  analogType: number;
  /** The transmitted signed int16; analogValue() scales it. */
  rawValue: number;
}
export interface FacilityOperation extends OfSystem, Timed {
  type: 4;
  /** 操作标志, see FACILITY_OPERATION_BITS. */
  operations: number;
  /** 操作员编号 */
  operator: number;
}
export interface FacilitySoftwareVersion extends OfSystem {
  type: 5;
  major: number;
  minor: number;
}
export interface FacilityConfiguration extends OfSystem {
  type: 6;
  configuration: string;
}
export interface ComponentConfiguration extends OfComponent {
  type: 7;
  description: string;
}
export interface FacilityClock extends OfSystem {
  type: 8;
  clock: TimeLabel;
}
export interface UitdState extends Timed {
  type: 21;
  /** 用户信息传输装置运行状态, see UITD_STATE_BITS. */
  state: number;
}
export interface UitdOperation extends Timed {
  type: 24;
  /** 操作标志, see UITD_OPERATION_BITS. */
  operations: number;
  operator: number;
}
export interface UitdSoftwareVersion {
  type: 25;
  major: number;
  minor: number;
}
export interface UitdConfiguration {
  type: 26;
  configuration: string;
}
export interface UitdClock {
  type: 28;
  clock: TimeLabel;
}

// Downstream 下行: centre → UITD (cmd 1 control, cmd 4 request).
export interface FacilityQuery extends OfSystem {
  type: 61 | 65 | 66 | 68;
}
export interface ComponentQuery extends OfSystem {
  type: 62 | 63 | 67;
  componentAddress: number;
}
export interface FacilityRecordQuery extends OfSystem {
  type: 64;
  count: number;
  start: TimeLabel;
}
export interface UitdQuery {
  type: 81 | 85 | 86 | 88 | 89;
  reserved: number;
}
export interface UitdRecordQuery {
  type: 84;
  count: number;
  start: TimeLabel;
}
/** 同步用户信息传输装置时钟: the centre's time. */
export interface ClockSync {
  type: 90;
  clock: TimeLabel;
}
/** 查岗命令: the operator must answer (type 24, bit 5) within this many minutes. */
export interface CheckPost {
  type: 91;
  timeoutMinutes: number;
}

export type InformationObject =
  | SystemState
  | ComponentState
  | AnalogValue
  | FacilityOperation
  | FacilitySoftwareVersion
  | FacilityConfiguration
  | ComponentConfiguration
  | FacilityClock
  | UitdState
  | UitdOperation
  | UitdSoftwareVersion
  | UitdConfiguration
  | UitdClock
  | FacilityQuery
  | ComponentQuery
  | FacilityRecordQuery
  | UitdQuery
  | UitdRecordQuery
  | ClockSync
  | CheckPost;

/** The ADU: objects of one known type, or a type this decoder does not know, kept raw. */
export type Adu =
  | { kind: 'objects'; typeFlag: number; objects: InformationObject[] }
  | { kind: 'unknown'; typeFlag: number; count: number; raw: Buffer };

type FieldKind = 'u8' | 'u16' | 'i16' | 'u32' | 'time' | 'text31' | 'text';
type Field = readonly [name: string, kind: FieldKind];

interface Layout extends CodeLabel {
  fields: readonly Field[];
  /** Followed by a 6-byte time label (the `time` property). */
  timed: boolean;
}

const FIXED_SIZES: Readonly<Record<Exclude<FieldKind, 'text'>, number>> = { u8: 1, u16: 2, i16: 2, u32: 4, time: 6, text31: 31 };
export const DESCRIPTION_BYTES = 31;

const SYS: readonly Field[] = [
  ['systemType', 'u8'],
  ['systemAddress', 'u8'],
];
const COMP: readonly Field[] = [...SYS, ['componentType', 'u8'], ['componentAddress', 'u32']];
const SYS_QUERY: readonly Field[] = SYS;
const COMP_QUERY: readonly Field[] = [...SYS, ['componentAddress', 'u32']];
const UITD_QUERY: readonly Field[] = [['reserved', 'u8']];
const layout = (zh: string, en: string, fields: readonly Field[], timed = false): Layout => ({ zh, en, fields, timed });

export const LAYOUTS: Readonly<Record<number, Layout>> = {
  1: layout('建筑消防设施系统状态', 'facility system state', [...SYS, ['state', 'u16']], true),
  2: layout('建筑消防设施部件运行状态', 'component state', [...COMP, ['state', 'u16'], ['description', 'text31']], true),
  3: layout('建筑消防设施部件模拟量值', 'component analog value', [...COMP, ['analogType', 'u8'], ['rawValue', 'i16']], true),
  4: layout('建筑消防设施操作信息', 'facility operation', [...SYS, ['operations', 'u8'], ['operator', 'u8']], true),
  5: layout('建筑消防设施软件版本', 'facility software version', [...SYS, ['major', 'u8'], ['minor', 'u8']]),
  6: layout('建筑消防设施系统配置情况', 'facility system configuration', [...SYS, ['configuration', 'text']]),
  7: layout('建筑消防设施部件配置情况', 'facility component configuration', [...COMP, ['description', 'text31']]),
  8: layout('建筑消防设施系统时间', 'facility system time', [...SYS, ['clock', 'time']]),
  21: layout('用户信息传输装置运行状态', 'UITD state', [['state', 'u8']], true),
  24: layout(
    '用户信息传输装置操作信息',
    'UITD operation',
    [
      ['operations', 'u8'],
      ['operator', 'u8'],
    ],
    true,
  ),
  25: layout('用户信息传输装置软件版本', 'UITD software version', [
    ['major', 'u8'],
    ['minor', 'u8'],
  ]),
  26: layout('用户信息传输装置配置情况', 'UITD configuration', [['configuration', 'text']]),
  28: layout('用户信息传输装置系统时间', 'UITD system time', [['clock', 'time']]),
  61: layout('读建筑消防设施系统状态', 'read facility system state', SYS_QUERY),
  62: layout('读建筑消防设施部件运行状态', 'read component state', COMP_QUERY),
  63: layout('读建筑消防设施部件模拟量值', 'read component analog values', COMP_QUERY),
  64: layout('读建筑消防设施操作信息记录', 'read facility operation records', [...SYS, ['count', 'u8'], ['start', 'time']]),
  65: layout('读建筑消防设施软件版本', 'read facility software version', SYS_QUERY),
  66: layout('读建筑消防设施系统配置情况', 'read facility system configuration', SYS_QUERY),
  67: layout('读建筑消防设施部件配置情况', 'read facility component configuration', COMP_QUERY),
  68: layout('读建筑消防设施系统时间', 'read facility system time', SYS_QUERY),
  81: layout('读用户信息传输装置运行状态', 'read UITD state', UITD_QUERY),
  84: layout('读用户信息传输装置操作信息记录', 'read UITD operation records', [
    ['count', 'u8'],
    ['start', 'time'],
  ]),
  85: layout('读用户信息传输装置软件版本', 'read UITD software version', UITD_QUERY),
  86: layout('读用户信息传输装置配置情况', 'read UITD configuration', UITD_QUERY),
  88: layout('读用户信息传输装置系统时间', 'read UITD system time', UITD_QUERY),
  89: layout('初始化用户信息传输装置', 'initialise UITD', UITD_QUERY),
  90: layout('同步用户信息传输装置时钟', 'synchronise UITD clock', [['clock', 'time']]),
  91: layout('查岗命令', 'check-post', [['timeoutMinutes', 'u8']]),
};

/** Bytes of one object without its time label, for types without variable-length text. */
const fixedSize = (l: Layout): number | undefined =>
  l.fields.every(([, k]) => k !== 'text')
    ? l.fields.reduce((n, [, k]) => n + FIXED_SIZES[k as keyof typeof FIXED_SIZES], 0)
    : undefined;

function decodeText(bytes: Uint8Array): string {
  // Padding is NUL or space [I]; some devices fill the field with junk after a NUL (Hikvision capture).
  return iconv.decode(Buffer.from(bytes), 'gb18030').replace(/\0/g, '').trim();
}

export function encodeText(text: string, maxBytes: number): Buffer {
  const bytes = iconv.encode(text, 'gb18030');
  if (bytes.length > maxBytes) throw new RangeError(`"${text}" takes ${bytes.length} bytes in GB 18030; at most ${maxBytes} fit`);
  return bytes;
}

/** Decodes the ADU; throws TRUNCATED_OBJECT / BAD_OBJECT_COUNT, or UNKNOWN_TYPE when `unknownTypes` is 'reject'. */
export function decodeAdu(bytes: Uint8Array, opts: { unknownTypes?: 'keep' | 'reject' } = {}): Adu {
  if (bytes.length < 2)
    throw new Gbt26875DecodeError('TRUNCATED_OBJECT', `an ADU of ${bytes.length} byte(s) has no type flag and count`);
  const typeFlag = bytes[0]!;
  const count = bytes[1]!;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + 2, bytes.length - 2);
  const l = LAYOUTS[typeFlag];
  if (!l) {
    if (opts.unknownTypes === 'reject') throw new Gbt26875DecodeError('UNKNOWN_TYPE', `unknown type flag ${typeFlag}`);
    return { kind: 'unknown', typeFlag, count, raw: Buffer.from(body) };
  }
  const bare = fixedSize(l);
  // Timed types may come without their time labels (dgiot accepts both sizes [I]): the total length
  // tells which. Anything else that does not add up is refused.
  const timed = l.timed && !(bare !== undefined && body.length === count * bare);
  if (bare !== undefined) {
    const expected = count * (timed ? bare + TIME_LABEL_BYTES : bare);
    if (body.length < expected)
      throw new Gbt26875DecodeError(
        'TRUNCATED_OBJECT',
        `${count} object(s) of type ${typeFlag} need ${expected} bytes, got ${body.length}`,
      );
  }
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length)
      throw new Gbt26875DecodeError('TRUNCATED_OBJECT', `type ${typeFlag}: the ADU ends inside object data`);
  };
  const read = (kind: FieldKind): unknown => {
    if (kind === 'text') {
      need(1);
      const len = body[at]!;
      need(1 + len);
      at += 1 + len;
      return decodeText(body.subarray(at - len, at));
    }
    need(FIXED_SIZES[kind]);
    const start = at;
    at += FIXED_SIZES[kind];
    if (kind === 'u8') return body[start];
    if (kind === 'u16') return body.readUInt16LE(start);
    if (kind === 'i16') return body.readInt16LE(start);
    if (kind === 'u32') return body.readUInt32LE(start);
    if (kind === 'time') return readTimeLabel(body, start);
    return decodeText(body.subarray(start, at));
  };
  const objects: InformationObject[] = [];
  for (let i = 0; i < count; i++) {
    const o: Record<string, unknown> = { type: typeFlag };
    for (const [name, kind] of l.fields) o[name] = read(kind);
    if (timed) o.time = read('time');
    objects.push(o as unknown as InformationObject);
  }
  if (at !== body.length)
    throw new Gbt26875DecodeError(
      'BAD_OBJECT_COUNT',
      `type ${typeFlag}: ${body.length - at} byte(s) left after ${count} object(s)`,
    );
  return { kind: 'objects', typeFlag, objects };
}

const textOf = (value: unknown, name: string): string => {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new RangeError(`${name} must be a string`);
  return value;
};

function encodeField(kind: FieldKind, value: unknown, name: string): Buffer {
  if (kind === 'time') {
    const b = Buffer.alloc(TIME_LABEL_BYTES);
    writeTimeLabel(b, 0, value as TimeLabel);
    return b;
  }
  if (kind === 'text31') {
    const b = Buffer.alloc(DESCRIPTION_BYTES);
    encodeText(textOf(value, name), DESCRIPTION_BYTES).copy(b);
    return b;
  }
  if (kind === 'text') {
    const text = encodeText(textOf(value, name), 255);
    return Buffer.concat([Buffer.from([text.length]), text]);
  }
  const b = Buffer.alloc(FIXED_SIZES[kind]);
  const n = Number(value);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be an integer, got ${String(value)}`);
  if (kind === 'u8') b.writeUInt8(n);
  else if (kind === 'u16') b.writeUInt16LE(n);
  else if (kind === 'i16') b.writeInt16LE(n);
  else b.writeUInt32LE(n);
  return b;
}

/** Encodes an ADU. Objects of a timed type are written with their labels, or all without (for tolerance tests). */
export function encodeAdu(adu: Adu): Buffer {
  if (adu.kind === 'unknown') return Buffer.concat([Buffer.from([adu.typeFlag, adu.count]), adu.raw]);
  const l = LAYOUTS[adu.typeFlag];
  if (!l) throw new RangeError(`no layout for type flag ${adu.typeFlag}; send it as kind 'unknown'`);
  if (adu.objects.length > 255) throw new RangeError('an ADU holds at most 255 objects');
  const parts: Buffer[] = [Buffer.from([adu.typeFlag, adu.objects.length])];
  const withTime = adu.objects.filter((o) => 'time' in o && o.time !== undefined).length;
  if (l.timed && withTime !== 0 && withTime !== adu.objects.length)
    throw new RangeError('give every object a time label, or none');
  for (const o of adu.objects) {
    if (o.type !== adu.typeFlag) throw new RangeError(`an ADU of type ${adu.typeFlag} cannot hold an object of type ${o.type}`);
    const values = o as unknown as Record<string, unknown>;
    for (const [name, kind] of l.fields) parts.push(encodeField(kind, values[name], name));
    if (l.timed && withTime > 0) parts.push(encodeField('time', values.time, 'time'));
  }
  return Buffer.concat(parts);
}
