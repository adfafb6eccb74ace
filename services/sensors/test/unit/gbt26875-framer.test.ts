import { checksumOf, decodeFrame, encodeFrame } from '../../src/gbt26875/codec.ts';
import { createFramer, type FramerEvent } from '../../src/gbt26875/framer.ts';
import { CENTRE_HEX, E1, E2, E3, E4, E5, hex, UITD_HEX } from './gbt26875-fixtures.ts';

const frames = (events: FramerEvent[]): Buffer[] => events.flatMap((e) => (e.kind === 'frame' ? [e.bytes] : []));
const serials = (events: FramerEvent[]): number[] => frames(events).map((b) => decodeFrame(b).serial);
const pushAll = (chunks: Uint8Array[]): FramerEvent[] => {
  const framer = createFramer();
  return chunks.flatMap((c) => framer.push(c));
};

const stream = Buffer.concat([E1, E2, E3, E4, E5]);

test('several frames in one chunk, and the same stream one byte at a time', () => {
  expect(serials(pushAll([stream]))).toEqual([300, 301, 302, 303, 300]);
  const bytes = [...stream].map((b) => Buffer.from([b]));
  const events = pushAll(bytes);
  expect(serials(events)).toEqual([300, 301, 302, 303, 300]);
  expect(events.every((e) => e.kind === 'frame')).toBe(true);
});

test('a stream split in two at every byte offset yields the same frames, each byte for byte', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const got = frames(pushAll([stream.subarray(0, cut), stream.subarray(cut)]));
    expect({ cut, frames: got.map((b) => b.toString('hex')) }).toEqual({
      cut,
      frames: [E1, E2, E3, E4, E5].map((b) => b.toString('hex')),
    });
  }
});

test('## inside the header and the ADU (E3, and a time label of xx:35:35) does not end a frame', () => {
  expect(frames(pushAll([E3]))).toEqual([E3]);
  const f = encodeFrame({
    serial: 0x2323,
    time: { year: 2035, month: 3, day: 15, hour: 14, minute: 35, second: 35 },
    source: '232323404040',
    destination: '404023230000',
    command: 2,
  });
  expect(f.toString('hex')).toContain('23232323');
  expect(frames(pushAll([f.subarray(0, 20), f.subarray(20)]))).toEqual([f]);
});

test('garbage between frames is skipped, even when it holds @@ and ##, and no good frame is lost', () => {
  const garbage = [hex('00 ff 23 23 41'), Buffer.from('@@ hello ## @@'), hex('40')];
  const s = Buffer.concat([garbage[0]!, E1, garbage[1]!, E2, garbage[2]!, E3, Buffer.from('##@'), E4]);
  for (let cut = 0; cut <= s.length; cut += 7) {
    const events = pushAll([s.subarray(0, cut), s.subarray(cut)]);
    expect({ cut, serials: serials(events) }).toEqual({ cut, serials: [300, 301, 302, 303] });
  }
  const events = pushAll([s]);
  expect(events.filter((e) => e.kind === 'skipped').length).toBeGreaterThan(0);
});

test('a frame failing its checksum or end chars is rejected with its header; the next frame is kept', () => {
  const bad = Buffer.from(E1);
  bad[40] = bad[40]! ^ 0xff;
  const events = pushAll([Buffer.concat([bad, E2])]);
  expect(events[0]).toMatchObject({ kind: 'rejected', error: { code: 'BAD_CHECKSUM', header: { serial: 300 } } });
  expect(serials(events)).toEqual([301]);

  const noEnd = Buffer.from(E3);
  noEnd[noEnd.length - 1] = 0;
  const events2 = pushAll([Buffer.concat([noEnd, E4])]);
  expect(events2[0]).toMatchObject({ kind: 'rejected', error: { code: 'BAD_END', header: { serial: 302 } } });
  expect(serials(events2)).toEqual([303]);
});

test('an ADU length over the limit is rejected at once, and the frames after it are found', () => {
  const long = Buffer.from(E2);
  long.writeUInt16LE(1025, 24);
  const events = pushAll([Buffer.concat([long, E4])]);
  expect(events[0]).toMatchObject({ kind: 'rejected', error: { code: 'BAD_LENGTH', header: { serial: 301, aduLength: 1025 } } });
  expect(serials(events)).toEqual([303]);
  // A tighter limit (Hikvision/Dahua: 512) applies the same way.
  const events512 = createFramer({ maxAduBytes: 40 }).push(Buffer.concat([E1, E4]));
  expect(events512[0]).toMatchObject({ kind: 'rejected', error: { code: 'BAD_LENGTH' } });
  expect(serials(events512)).toEqual([303]);
});

test('a stray @@ whose length field promises more bytes does not hold back the good frame behind it', () => {
  // '@@' + 22 bytes + L = 1000: a candidate that would wait for 1030 bytes.
  const stray = Buffer.concat([Buffer.from('@@'), Buffer.alloc(22, 0x11), hex('E8 03'), hex('02')]);
  const framer = createFramer();
  const events = framer.push(Buffer.concat([stray, E1]));
  expect(serials(events)).toEqual([300]);
  expect(framer.buffered).toBe(0);
});

test('the buffer holds at most one incomplete frame', () => {
  const framer = createFramer();
  framer.push(E1.subarray(0, 50));
  expect(framer.buffered).toBe(50);
  framer.push(Buffer.alloc(5000, 0x55));
  expect(framer.buffered).toBeLessThanOrEqual(1054);
  // Garbage without start chars is not kept at all, except a trailing '@'.
  const g = createFramer();
  expect(g.push(Buffer.concat([Buffer.alloc(4000, 0x23), Buffer.from('@')]))).toEqual([{ kind: 'skipped', bytes: 4000 }]);
  expect(g.buffered).toBe(1);
  expect(serials(g.push(E1.subarray(1)))).toEqual([300]);
});

test('the checksum recipe agrees with encodeFrame for an empty send-data (heartbeat)', () => {
  const hb = encodeFrame({
    serial: 1,
    time: { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0 },
    source: UITD_HEX,
    destination: CENTRE_HEX,
    command: 2,
  });
  expect(hb.length).toBe(30);
  expect(hb[27]).toBe(checksumOf(hb, 0));
  expect(frames(pushAll([hb]))).toEqual([hb]);
});

test("'@@@': the frame starting at the second '@' is not lost", () => {
  // Shifted by one, E5 reads as L = 0 with wrong end chars: a false candidate that must not cost the frame.
  const s = Buffer.concat([Buffer.from('@'), E5]);
  const whole = pushAll([s]);
  expect(frames(whole)).toEqual([E5]);
  expect(whole.some((e) => e.kind === 'rejected')).toBe(false);
  // Byte by byte, the false candidate is complete before the frame is, so it is refused (a stray deny
  // nobody waits for) rather than held back: the frame still follows.
  expect(frames(pushAll([...s].map((b) => Buffer.from([b]))))).toEqual([E5]);
});

test('a refused frame with @@ inside it is refused once, not once per @@', () => {
  const f = encodeFrame({
    serial: 7,
    time: { year: 2024, month: 3, day: 15, hour: 1, minute: 2, second: 3 },
    source: '404040404040',
    destination: '404000000000',
    command: 2,
  });
  f[27] = f[27]! ^ 0x01;
  const events = pushAll([Buffer.concat([f, E4])]);
  expect(events.filter((e) => e.kind === 'rejected')).toHaveLength(1);
  expect(serials(events)).toEqual([303]);
});

test('fuzz: random garbage (rich in @ and #) between the worked frames, random chunking; every frame comes through', () => {
  let seed = 26875;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = [0x40, 0x40, 0x23, 0x23, 0x00, 0x01, 0xff, 0x2c];
  const all = [E1, E2, E3, E4, E5];
  for (let round = 0; round < 300; round++) {
    const parts: Buffer[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      parts.push(Buffer.from(Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]!)));
      const f = all[rand(all.length)]!;
      parts.push(f);
      expected.push(f.toString('hex'));
    }
    const s = Buffer.concat(parts);
    const chunks: Buffer[] = [];
    for (let at = 0; at < s.length;) {
      const n = 1 + rand(90);
      chunks.push(s.subarray(at, at + n));
      at += n;
    }
    expect({ round, frames: frames(pushAll(chunks)).map((b) => b.toString('hex')) }).toEqual({ round, frames: expected });
  }
});

test('the refused frame stays refused once when its bytes arrive one at a time', () => {
  const f = encodeFrame({
    serial: 8,
    time: { year: 2024, month: 3, day: 15, hour: 1, minute: 2, second: 3 },
    source: '404040404040',
    destination: '404000000000',
    command: 2,
  });
  f[27] = f[27]! ^ 0x01;
  const events = pushAll([...Buffer.concat([f, E4])].map((b) => Buffer.from([b])));
  expect(events.filter((e) => e.kind === 'rejected')).toHaveLength(1);
  expect(serials(events)).toEqual([303]);
});
