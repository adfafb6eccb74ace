import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@firegov/kit';
import type { Reading } from '../domain/readings.ts';
import {
  Command,
  decodeFrame,
  isUserDefinedCommand,
  MAX_ADU_BYTES,
  replyTo,
  type ControlUnit,
  type DecodedFrame,
} from './codec.ts';
import { Gbt26875DecodeError } from './errors.ts';
import { createFramer, type FramerEvent } from './framer.ts';
import { isUitdLevel, mapFrame, systemAddressesOf, type PointLayout } from './mapping.ts';
import { CHINA_OFFSET_MINUTES, timeLabelFromDate } from './time-label.ts';

// The monitoring centre's end of GB/T 26875.3 over TCP: UITDs dial in and keep the socket open [I].
// Every good send-data frame (cmd 2) is decoded, mapped to readings, handed to `accept` (which
// resolves once they are durably on Kafka) and only then confirmed (cmd 3), so a UITD keeps and
// retransmits anything the platform has not stored. Frames of one connection are handled in order:
// a fire and its clearing must not swap.

type MaybePromise<T> = T | Promise<T>;

export interface Gbt26875ListenerOptions {
  port: number;
  /** Interface to listen on (127.0.0.1 unless given; UITDs connect from outside, so deployments set 0.0.0.0). */
  host?: string;
  logger: Logger;
  /** The controller device at this system address behind this UITD (address: 12 hex digits, wire order). */
  resolveDevice: (uitdAddress: string, systemAddress: number) => MaybePromise<string | undefined>;
  /** Every controller behind a UITD: they get a heartbeat from UITD-level frames. Without it, those are confirmed only. */
  devicesBehind?: (uitdAddress: string) => MaybePromise<readonly string[]>;
  /** Resolves once the readings are durable (on Kafka); a rejection means: do not confirm. */
  accept: (readings: Reading[], ctx: { uitdAddress: string }) => Promise<void>;
  now?: () => Date;
  /** A connection silent this long is closed; UITDs send a heartbeat every 20-30 s [V]. */
  idleTimeoutMs?: number;
  pointLayout?: PointLayout;
  /** Offset of device time labels from UTC [U: UTC+8]. */
  offsetMinutes?: number;
  /** ADU length limit: 1024 in the standard [S]. */
  maxAduBytes?: number;
  /** An unknown type flag is no listed check error: confirm and log it [U], unless told to deny. */
  unknownTypes?: 'confirm' | 'deny';
  maxConnections?: number;
  /** Frames waiting for their turn on one connection before the socket stops being read. */
  maxQueuedFrames?: number;
  /** How long close() waits for a connection's frame in progress before destroying it. */
  closeGraceMs?: number;
}

export interface Gbt26875Listener {
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

/** Confirmed frames remembered per connection, so a retransmission (same serial) is confirmed without a second accept. */
const DEDUP_WINDOW_MS = 60_000;
const DEDUP_MAX = 256;

/** Keeps the window bounded: expired keys go first, then the oldest (a Map iterates in insertion order). */
function remember(confirmed: Map<string, number>, key: string, t: number): void {
  for (const [k, until] of confirmed) if (until <= t) confirmed.delete(k);
  for (const k of confirmed.keys()) {
    if (confirmed.size < DEDUP_MAX) break;
    confirmed.delete(k);
  }
  confirmed.set(key, t + DEDUP_WINDOW_MS);
}

interface Connection {
  shutdown(): Promise<void>;
}

export async function startGbt26875Listener(opts: Gbt26875ListenerOptions): Promise<Gbt26875Listener> {
  const now = opts.now ?? (() => new Date());
  const offset = opts.offsetMinutes ?? CHINA_OFFSET_MINUTES;
  const idleMs = opts.idleTimeoutMs ?? 180_000;
  const maxQueued = opts.maxQueuedFrames ?? 64;
  const graceMs = opts.closeGraceMs ?? 5_000;
  const maxAduBytes = opts.maxAduBytes ?? MAX_ADU_BYTES;
  const live = new Set<Connection>();
  let closing = false;

  const serve = (socket: Socket): void => {
    const connLog = opts.logger.child({ gbt26875: true, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    let log = connLog;
    let uitdSeen: string | undefined;
    const framer = createFramer({ maxAduBytes });
    const queue: FramerEvent[] = [];
    const confirmed = new Map<string, number>();
    let busy: Promise<void> | undefined;
    let stopping = false;

    socket.setNoDelay(true);
    socket.setTimeout(idleMs);
    const destroyLater = (): void => {
      setTimeout(() => socket.destroy(), graceMs).unref();
    };
    socket.on('timeout', () => {
      log.info({ idleMs }, 'GB/T 26875 connection idle: closing');
      socket.end();
      destroyLater();
    });
    socket.on('error', (err) => log.debug({ err }, 'GB/T 26875 socket error'));

    const reply = (header: ControlUnit, command: typeof Command.confirm | typeof Command.deny): void => {
      if (socket.writable) socket.write(replyTo(header, command, timeLabelFromDate(now(), offset)));
    };
    const deny = (err: Gbt26875DecodeError): void => {
      log.warn({ code: err.code, serial: err.header?.serial, reason: err.message }, 'GB/T 26875 frame refused');
      if (err.header) reply(err.header, Command.deny);
    };

    const sendData = async (frame: DecodedFrame): Promise<void> => {
      const uitdAddress = frame.source.hex;
      if (frame.adu?.kind === 'unknown') {
        if (opts.unknownTypes === 'deny')
          return deny(new Gbt26875DecodeError('UNKNOWN_TYPE', `unknown type flag ${frame.adu.typeFlag}`, frame));
        log.info(
          { typeFlag: frame.adu.typeFlag, raw: frame.adu.raw.toString('hex') },
          'GB/T 26875 unknown type flag: kept raw, confirmed',
        );
      }
      const key = `${uitdAddress}|${frame.serial}|${frame.command}|${frame.checksum}`;
      const t = now().getTime();
      if ((confirmed.get(key) ?? 0) > t) {
        log.debug({ serial: frame.serial }, 'GB/T 26875 retransmission: confirmed again');
        return reply(frame, Command.confirm);
      }
      try {
        const resolved = new Map<number, string | undefined>();
        for (const sys of systemAddressesOf(frame)) resolved.set(sys, await opts.resolveDevice(uitdAddress, sys));
        const behind = opts.devicesBehind && isUitdLevel(frame) ? await opts.devicesBehind(uitdAddress) : [];
        const result = mapFrame({
          frame,
          resolveDevice: (_u, sys) => resolved.get(sys),
          devicesBehind: behind,
          receivedAt: now(),
          offsetMinutes: offset,
          ...(opts.pointLayout ? { pointLayout: opts.pointLayout } : {}),
        });
        const unbound = result.skipped.filter((s) => s.reason !== 'NOT_MAPPED');
        if (unbound.length > 0)
          log.warn({ uitdAddress, uitdId: frame.source.value, skipped: unbound }, 'GB/T 26875 objects without a device');
        if (result.clockFallbacks > 0) log.warn({ count: result.clockFallbacks }, 'GB/T 26875 time labels name no real date');
        if (result.readings.length > 0) await opts.accept(result.readings, { uitdAddress });
      } catch (err) {
        // No answer: the UITD retransmits after its own timeout (≤ 10 s, about 3 times [S]), which
        // spaces the retries while the store recovers. Deny is the standard's answer to a bad frame.
        log.error({ err, serial: frame.serial }, 'GB/T 26875 readings not accepted: frame left unconfirmed');
        return;
      }
      remember(confirmed, key, t);
      reply(frame, Command.confirm);
    };

    const handleFrame = async (bytes: Buffer): Promise<void> => {
      let frame: DecodedFrame;
      try {
        frame = decodeFrame(bytes, { maxAduBytes });
      } catch (err) {
        if (err instanceof Gbt26875DecodeError) return deny(err);
        throw err;
      }
      if (uitdSeen !== frame.source.hex) {
        uitdSeen = frame.source.hex;
        log = connLog.child({ uitdAddress: uitdSeen, uitdId: frame.source.value });
      }
      if (frame.command === Command.sendData) return sendData(frame);
      // Confirm/deny answer commands this centre never sends; a response answers a request it never
      // makes; control and request go the other way; user-defined commands have no known meaning.
      const what = isUserDefinedCommand(frame.command) ? 'user-defined command' : 'command not expected from a UITD';
      log.info({ command: frame.command, serial: frame.serial }, `GB/T 26875 ${what}: ignored`);
    };

    const handle = async (ev: FramerEvent): Promise<void> => {
      if (ev.kind === 'skipped') log.warn({ bytes: ev.bytes }, 'GB/T 26875 bytes outside any frame skipped');
      else if (ev.kind === 'rejected') deny(ev.error);
      else await handleFrame(ev.bytes);
    };

    let running = false;
    const kick = (): void => {
      if (running || stopping || queue.length === 0) return;
      running = true;
      busy = (async () => {
        try {
          while (queue.length > 0 && !stopping) {
            await handle(queue.shift()!).catch((err: unknown) => log.error({ err }, 'GB/T 26875 frame handling failed'));
            if (socket.isPaused() && queue.length <= maxQueued / 2 && !stopping) socket.resume();
          }
        } finally {
          running = false;
        }
      })();
    };

    socket.on('data', (chunk) => {
      queue.push(...framer.push(chunk));
      // Backpressure: a UITD that floods faster than accept resolves is simply not read for a while.
      if (queue.length >= maxQueued) socket.pause();
      kick();
    });

    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const conn: Connection = {
      async shutdown() {
        // Finish the frame in progress (its confirm goes out), drop the rest unconfirmed: the UITD
        // sends them again to whichever instance it reaches next.
        stopping = true;
        socket.pause();
        await busy;
        socket.end();
        destroyLater();
        await closed;
      },
    };
    live.add(conn);
    void closed.then(() => live.delete(conn));
    if (closing) void conn.shutdown();
  };

  const server: Server = createServer(serve);
  if (opts.maxConnections) server.maxConnections = opts.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ port }, 'GB/T 26875 listener started');

  return {
    port,
    get connections() {
      return live.size;
    },
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...live].map((c) => c.shutdown()));
      await stopped;
    },
  };
}
