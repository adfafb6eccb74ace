import { connect, type Socket } from 'node:net';
import { addressOfHex, addressOfId, Command, decodeFrame, encodeFrame, type Address, type DecodedFrame } from './codec.ts';
import {
  COMPONENT_STATE_BITS,
  SYSTEM_STATE_BITS,
  UITD_STATE_BITS,
  valueOfFlags,
  type ComponentStateFlags,
  type SystemStateFlags,
  type UitdStateFlags,
} from './codes.ts';
import { createFramer } from './framer.ts';
import { LOOP_IN_LOW_WORD, type PointLayout } from './mapping.ts';
import type { Adu, InformationObject } from './objects.ts';
import { CHINA_OFFSET_MINUTES, timeLabelFromDate, type TimeLabel } from './time-label.ts';

// A user information transmission device 用户信息传输装置 in software, for tests and the demo: it dials
// a listener, sends frames as a UITD does (send data, cmd 2) and waits for each answer. It can also
// send bytes as they are (split, corrupted, garbage) to exercise the listener's framing.

export interface UitdOptions {
  host: string;
  port: number;
  /** The UITD's address: a numeric id (sent as a 48-bit LE integer) or 12 hex digits in wire order. */
  address: number | string;
  /** The centre's address as this UITD knows it (12 hex digits); 0 by default. */
  centre?: string;
  /** How long to wait for a confirm or deny; the standard's default retransmission timeout is ≤ 10 s [S]. */
  replyTimeoutMs?: number;
  now?: () => Date;
  offsetMinutes?: number;
  /** How component addresses are built from loop and point (must match the listener's). */
  pointLayout?: PointLayout;
}

export interface Reply {
  /** True for confirm (3), false for deny (6). */
  confirmed: boolean;
  frame: DecodedFrame;
}

interface Located {
  systemType?: number;
  /** 系统地址, 1 unless given. */
  systemAddress?: number;
  at?: Date;
}

export interface ComponentChange extends Located, Partial<ComponentStateFlags> {
  /** 部件类型; 42 (point photoelectric smoke detector) unless given. */
  componentType?: number;
  loop: number;
  point: number;
  description?: string;
}

export interface AnalogChange extends Located {
  componentType?: number;
  loop: number;
  point: number;
  analogType: number;
  /** The transmitted int16 (value × 1/resolution), e.g. 235 for 23.5 °C. */
  rawValue: number;
}

export interface RawOptions {
  splitAt?: number[];
  timeoutMs?: number;
  serial?: number;
}

export interface UitdClient {
  readonly address: Address;
  /** The next serial number this UITD will use. */
  readonly nextSerial: number;
  sendSystemState(s: Located & Partial<SystemStateFlags>): Promise<Reply | null>;
  sendComponentState(changes: ComponentChange | ComponentChange[]): Promise<Reply | null>;
  sendAnalog(a: AnalogChange): Promise<Reply | null>;
  sendUitdState(flags: Partial<UitdStateFlags> & { at?: Date }): Promise<Reply | null>;
  /** Send data with an empty ADU: the heartbeat most UITDs use [V]. */
  sendHeartbeat(): Promise<Reply | null>;
  /** Send data with any ADU (null: empty). */
  send(adu: Adu | null): Promise<Reply | null>;
  /** A send-data frame with the next serial, not sent: to split or corrupt it before sendRaw. */
  frame(adu: Adu | null): Buffer;
  /**
   * Writes bytes as they are and waits for the answer to `serial` (by default the serial they carry
   * if they start with '@@'), or null after the timeout. `splitAt` writes them in pieces cut at those
   * offsets, a moment apart.
   */
  sendRaw(bytes: Uint8Array, opts?: RawOptions): Promise<Reply | null>;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function connectUitd(opts: UitdOptions): Promise<UitdClient> {
  const address = typeof opts.address === 'number' ? addressOfId(opts.address) : addressOfHex(opts.address);
  const centre = opts.centre ?? '000000000000';
  const now = opts.now ?? (() => new Date());
  const offset = opts.offsetMinutes ?? CHINA_OFFSET_MINUTES;
  const layout = opts.pointLayout ?? LOOP_IN_LOW_WORD;
  const replyTimeoutMs = opts.replyTimeoutMs ?? 5_000;
  const label = (d?: Date): TimeLabel => timeLabelFromDate(d ?? now(), offset);

  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: opts.host, port: opts.port }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  socket.setNoDelay(true);

  // Answers by serial; a serial may be waited on twice (a retransmission).
  const waiting = new Map<number, Array<(r: Reply) => void>>();
  const framer = createFramer();
  socket.on('data', (chunk) => {
    for (const ev of framer.push(chunk)) {
      if (ev.kind !== 'frame') continue;
      const frame = decodeFrame(ev.bytes);
      if (frame.command !== Command.confirm && frame.command !== Command.deny) continue;
      const next = waiting.get(frame.serial)?.shift();
      next?.({ confirmed: frame.command === Command.confirm, frame });
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const awaitReply = (serial: number, timeoutMs: number): Promise<Reply | null> =>
    new Promise((resolve) => {
      const list = waiting.get(serial) ?? [];
      waiting.set(serial, list);
      const done = (r: Reply | null): void => {
        clearTimeout(timer);
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        resolve(r);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      list.push(done);
    });

  let serial = 0;
  const frame = (adu: Adu | null): Buffer => {
    // The initiating side owns the counter: 0 at connection, +1 per new packet, wrapping after 0xFFFF [S][V].
    serial = (serial + 1) & 0xffff;
    return encodeFrame({ serial, time: label(), source: address.hex, destination: centre, command: Command.sendData, adu });
  };

  const sendRaw = async (bytes: Uint8Array, o: RawOptions = {}): Promise<Reply | null> => {
    const buf = Buffer.from(bytes);
    const serialOf = o.serial ?? (buf.length >= 4 && buf[0] === 0x40 && buf[1] === 0x40 ? buf.readUInt16LE(2) : undefined);
    const timeoutMs = o.timeoutMs ?? replyTimeoutMs;
    const reply = serialOf === undefined ? pause(timeoutMs).then(() => null) : awaitReply(serialOf, timeoutMs);
    const cuts = [0, ...(o.splitAt ?? []).filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b), buf.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      if (i > 0) await pause(5);
      socket.write(buf.subarray(cuts[i], cuts[i + 1]));
    }
    return reply;
  };

  const send = (adu: Adu | null): Promise<Reply | null> => sendRaw(frame(adu));
  const objects = (typeFlag: number, list: InformationObject[]): Adu => ({ kind: 'objects', typeFlag, objects: list });
  const located = (l: Located): { systemType: number; systemAddress: number } => ({
    systemType: l.systemType ?? 1,
    systemAddress: l.systemAddress ?? 1,
  });
  const normal = (flags: { normal?: boolean }): { normal: boolean } => ({ normal: flags.normal ?? true });

  return {
    address,
    get nextSerial() {
      return (serial + 1) & 0xffff;
    },
    sendSystemState: (s) =>
      send(
        objects(1, [
          { type: 1, ...located(s), state: valueOfFlags(SYSTEM_STATE_BITS, { ...s, ...normal(s) }), time: label(s.at) },
        ]),
      ),
    sendComponentState: (changes) =>
      send(
        objects(
          2,
          [changes].flat().map((c) => ({
            type: 2,
            ...located(c),
            componentType: c.componentType ?? 42,
            componentAddress: layout.join(c.loop, c.point),
            state: valueOfFlags(COMPONENT_STATE_BITS, { ...c, ...normal(c) }),
            description: c.description ?? '',
            time: label(c.at),
          })),
        ),
      ),
    sendAnalog: (a) =>
      send(
        objects(3, [
          {
            type: 3,
            ...located(a),
            componentType: a.componentType ?? 0,
            componentAddress: layout.join(a.loop, a.point),
            analogType: a.analogType,
            rawValue: a.rawValue,
            time: label(a.at),
          },
        ]),
      ),
    sendUitdState: (flags) =>
      send(
        objects(21, [{ type: 21, state: valueOfFlags(UITD_STATE_BITS, { ...flags, ...normal(flags) }), time: label(flags.at) }]),
      ),
    sendHeartbeat: () => send(null),
    send,
    frame,
    sendRaw,
    closed,
    close: async () => {
      socket.end();
      await closed;
    },
  };
}
