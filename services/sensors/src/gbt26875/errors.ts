import type { ControlUnit } from './control-unit.ts';

// Why a frame was refused, with stable codes. The standard lists five check errors 校验错误 after which
// the receiver drops the data and answers deny 否认 (fact sheet §2, [S]): checksum error, unknown
// command byte, ADU length over the limit, wrong start chars, wrong end chars. The other codes are
// this decoder's own; answering them with deny is our choice [U], noted per code.

export type Gbt26875ErrorCode =
  /** Fewer than the 30 bytes of the smallest frame. Only from decodeFrame on a cut buffer. */
  | 'TRUNCATED_FRAME'
  /** [S] listed: start chars are not `@@`. A stream never yields one: the framer resynchronises instead. */
  | 'BAD_START'
  /** [S] listed: no `##` where the length field puts the end. */
  | 'BAD_END'
  /** [S] listed: the sum of bytes 2 … 26+L (low 8 bits) differs from the checksum byte. */
  | 'BAD_CHECKSUM'
  /** [S] listed: ADU length over the limit (1024); also a buffer whose size is not 30 + L. */
  | 'BAD_LENGTH'
  /** [S] listed: a reserved command byte (0, 7-127). User-defined commands (128-255) are not refused. */
  | 'UNKNOWN_COMMAND'
  /** Not a listed check error: the fact sheet says confirm and keep the raw ADU [U]; raised only when asked to. */
  | 'UNKNOWN_TYPE'
  /** Not listed: the ADU ends inside an information object (or before its type and count). Deny [U]. */
  | 'TRUNCATED_OBJECT'
  /** Not listed: bytes left over after the announced objects. Deny [U]. */
  | 'BAD_OBJECT_COUNT';

/** Codes the standard itself lists as check errors answered with deny. */
export const LISTED_CHECK_ERRORS: ReadonlySet<Gbt26875ErrorCode> = new Set([
  'BAD_START',
  'BAD_END',
  'BAD_CHECKSUM',
  'BAD_LENGTH',
  'UNKNOWN_COMMAND',
]);

export class Gbt26875DecodeError extends Error {
  readonly code: Gbt26875ErrorCode;
  /** The control unit, when its 27 bytes could be read: then there is someone to deny. */
  readonly header: ControlUnit | undefined;

  constructor(code: Gbt26875ErrorCode, message: string, header?: ControlUnit) {
    super(message);
    this.name = 'Gbt26875DecodeError';
    this.code = code;
    this.header = header;
  }
}
