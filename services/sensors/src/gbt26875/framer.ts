import { checksumOf, END_BYTE, HEADER_BYTES, MAX_ADU_BYTES, MIN_FRAME_BYTES, readControlUnit, START_BYTE } from './codec.ts';
import { Gbt26875DecodeError } from './errors.ts';

// Cuts a TCP byte stream into frames (fact sheet §5). A data event may hold half a frame, several
// frames, or garbage; '@@' and '##' also occur inside frames (times like xx:35:35, addresses, GB 18030
// text), so frames are cut by their length field. Steps, from the fact sheet's recipe [U] built on
// [S]/[I]: find '@@' → wait for the header → read L → if over the limit drop one byte and rescan →
// wait for 30 + L bytes → check '##' and the checksum → on failure drop the start and rescan.
//
// Two refinements. A failed candidate drops one byte, not the recipe's two: in '@@@' the frame
// starts at the second '@'. And a complete valid frame starting inside a candidate's span proves the
// candidate false (an '@@' in garbage): it is skipped as garbage, not denied, and while it waits for
// bytes it does not hold back the good frame behind it (a UITD waiting for its confirm sends nothing
// more, so the link would stall until the idle timeout).

export type FramerEvent =
  /** A frame whose start, length, end chars and checksum are right; decodeFrame reads the rest. */
  | { kind: 'frame'; bytes: Buffer }
  /** A candidate with a readable header that failed a check: someone to deny (error.header). */
  | { kind: 'rejected'; error: Gbt26875DecodeError; bytes: Buffer }
  /** Bytes dropped while looking for the next '@@'. */
  | { kind: 'skipped'; bytes: number };

export interface Framer {
  push(chunk: Uint8Array): FramerEvent[];
  /** Bytes held for an incomplete frame: at most one frame (30 + max ADU bytes), by construction. */
  readonly buffered: number;
}

type Check =
  { ok: true; length: number } | { ok: false; code: 'BAD_LENGTH' | 'BAD_END' | 'BAD_CHECKSUM'; length: number } | 'incomplete';

/** Checks the candidate at `at` (which starts with '@@'). */
function checkAt(buf: Buffer, at: number, maxAdu: number): Check {
  if (buf.length - at < HEADER_BYTES) return 'incomplete';
  const L = buf.readUInt16LE(at + 24);
  if (L > maxAdu) return { ok: false, code: 'BAD_LENGTH', length: HEADER_BYTES };
  const length = MIN_FRAME_BYTES + L;
  if (buf.length - at < length) return 'incomplete';
  if (buf[at + 28 + L] !== END_BYTE || buf[at + 29 + L] !== END_BYTE) return { ok: false, code: 'BAD_END', length };
  const frame = buf.subarray(at, at + length);
  return checksumOf(frame, L) === frame[27 + L] ? { ok: true, length } : { ok: false, code: 'BAD_CHECKSUM', length };
}

const REASONS = {
  BAD_LENGTH: 'ADU length over the limit',
  BAD_END: 'no ## where the length puts it',
  BAD_CHECKSUM: 'checksum mismatch',
};

export function createFramer(opts: { maxAduBytes?: number } = {}): Framer {
  const maxAdu = opts.maxAduBytes ?? MAX_ADU_BYTES;
  let pending: Buffer = Buffer.alloc(0);
  /** Bytes at the head of `pending` that belong to a frame already refused. */
  let quietCarry = 0;

  /** The first '@@' in [from, until) that starts a complete valid frame, if any. */
  const nextValidStart = (buf: Buffer, from: number, until: number): number | undefined => {
    for (let q = buf.indexOf('@@', from); q >= 0 && q < until; q = buf.indexOf('@@', q + 1)) {
      const c = checkAt(buf, q, maxAdu);
      if (c !== 'incomplete' && c.ok) return q;
    }
    return undefined;
  };

  const push = (chunk: Uint8Array): FramerEvent[] => {
    const buf = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    const events: FramerEvent[] = [];
    let skipped = 0;
    const skip = (n: number): void => {
      skipped += n;
    };
    const flushSkipped = (): void => {
      if (skipped > 0) events.push({ kind: 'skipped', bytes: skipped });
      skipped = 0;
    };
    let pos = 0;
    let quietUntil = quietCarry;
    for (;;) {
      const at = buf.indexOf('@@', pos);
      if (at < 0) {
        // Keep a trailing '@': it may be the first half of the next start chars.
        const keep = buf.length > pos && buf[buf.length - 1] === START_BYTE ? 1 : 0;
        skip(buf.length - keep - pos);
        pos = buf.length - keep;
        break;
      }
      skip(at - pos);
      pos = at;
      const c = checkAt(buf, at, maxAdu);
      if (c !== 'incomplete' && c.ok) {
        flushSkipped();
        events.push({ kind: 'frame', bytes: Buffer.from(buf.subarray(at, at + c.length)) });
        pos = at + c.length;
        continue;
      }
      // A good frame starting inside the candidate's span proves the candidate false.
      const span = c === 'incomplete' ? buf.length : at + c.length;
      const next = nextValidStart(buf, at + 1, span);
      if (next !== undefined) {
        skip(next - at);
        pos = next;
        continue;
      }
      if (c === 'incomplete') break;
      pos = at + 1;
      if (at < quietUntil) {
        // '@@' inside a frame just refused: part of that frame, not a second one to deny.
        skip(1);
        continue;
      }
      quietUntil = at + c.length;
      flushSkipped();
      const bytes = Buffer.from(buf.subarray(at, at + c.length));
      events.push({ kind: 'rejected', error: new Gbt26875DecodeError(c.code, REASONS[c.code], readControlUnit(bytes)), bytes });
      // Rescan from the next byte, not past the declared length: the candidate may be garbage with
      // a good frame inside it, and in '@@@' the frame starts one byte later.
    }
    flushSkipped();
    pending = Buffer.from(buf.subarray(pos));
    quietCarry = Math.max(0, quietUntil - pos);
    return events;
  };

  return {
    push,
    get buffered() {
      return pending.length;
    },
  };
}
