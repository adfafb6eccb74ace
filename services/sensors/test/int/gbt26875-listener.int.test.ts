import { sensorsReadingTopic } from '@firegov/contracts';
import { createPublisher, type Publisher } from '@firegov/events';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  ensureTopics,
  testKafka,
  testLogger,
  testNamespace,
  type TopicCollector,
} from '@firegov/testing';
import type { Reading } from '../../src/domain/readings.ts';
import { Command } from '../../src/gbt26875/codec.ts';
import { startGbt26875Listener, type Gbt26875Listener, type Gbt26875ListenerOptions } from '../../src/gbt26875/listener.ts';
import { connectUitd, type UitdClient } from '../../src/gbt26875/simulator.ts';

// The listener on a real TCP port, driven by the simulator: confirm only after accept, deny on a bad
// frame with the connection kept, split frames, and no confirm when accept fails. The last test
// wires accept to real Kafka, as the service does.

const logger = testLogger('gbt26875');
const UITD = 889;
const UITD_HEX = '790300000000';

interface Accepted {
  readings: Reading[];
  uitdAddress: string;
}

/** accept() calls, each answered by the test: resolve or reject when it says so. */
function acceptProbe() {
  const calls: Array<Accepted & { resolve: () => void; reject: (e: Error) => void }> = [];
  let auto: 'resolve' | 'hold' | 'reject' = 'resolve';
  const accept: Gbt26875ListenerOptions['accept'] = (readings, ctx) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ readings, uitdAddress: ctx.uitdAddress, resolve, reject });
      if (auto === 'resolve') resolve();
      if (auto === 'reject') reject(new Error('kafka is down'));
    });
  return {
    calls,
    accept,
    mode(m: typeof auto) {
      auto = m;
    },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await pause(10);
  }
}

describe('GB/T 26875.3 listener', () => {
  let listener: Gbt26875Listener;
  let uitd: UitdClient;
  const probe = acceptProbe();

  beforeAll(async () => {
    listener = await startGbt26875Listener({
      port: 0,
      logger,
      accept: probe.accept,
      resolveDevice: (address, sys) => (address === UITD_HEX ? `dev_fac_${sys}` : undefined),
      devicesBehind: (address) => (address === UITD_HEX ? ['dev_fac_1'] : []),
    });
    uitd = await connectUitd({
      host: '127.0.0.1',
      port: listener.port,
      address: UITD,
      centre: '010000000000',
      replyTimeoutMs: 3_000,
    });
  });
  afterAll(async () => {
    await uitd.close();
    await listener.close();
  });
  beforeEach(() => {
    probe.calls.length = 0;
    probe.mode('resolve');
  });

  test('a component fire is confirmed only once accept has resolved; the confirm copies serial and swaps addresses', async () => {
    probe.mode('hold');
    const serial = uitd.nextSerial;
    const replied = uitd.sendComponentState({ loop: 2, point: 17, fire: true, description: '三层走廊' });
    await until(() => probe.calls.length === 1);
    const early = await Promise.race([replied, pause(300).then(() => 'no reply yet')]);
    expect(early).toBe('no reply yet');
    expect(probe.calls[0]).toMatchObject({
      uitdAddress: UITD_HEX,
      readings: [
        { deviceId: 'dev_fac_1', point: '2-17', values: { fire: true, fault: false, shielded: false, supervisory: false } },
      ],
    });
    probe.calls[0]!.resolve();
    const reply = await replied;
    expect(reply?.confirmed).toBe(true);
    expect(reply?.frame).toMatchObject({
      serial,
      command: Command.confirm,
      aduLength: 0,
      adu: null,
      source: { hex: '010000000000' },
      destination: { hex: UITD_HEX, value: UITD },
    });
  });

  test('a bad checksum is denied, the connection stays open, and the next good frame is confirmed', async () => {
    const bad = uitd.frame({ kind: 'objects', typeFlag: 1, objects: [{ type: 1, systemType: 1, systemAddress: 1, state: 2 }] });
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x5a;
    const deny = await uitd.sendRaw(bad);
    expect(deny).toMatchObject({ confirmed: false, frame: { command: Command.deny, serial: bad.readUInt16LE(2) } });
    expect(probe.calls).toHaveLength(0);
    const ok = await uitd.sendSystemState({ fire: true });
    expect(ok?.confirmed).toBe(true);
    expect(probe.calls.map((c) => c.readings[0]?.point)).toEqual(['0-0']);
  });

  test('frames split into pieces, and two frames behind garbage in one write, are all confirmed', async () => {
    const f = uitd.frame({
      kind: 'objects',
      typeFlag: 2,
      objects: [
        {
          type: 2,
          systemType: 1,
          systemAddress: 2,
          componentType: 31,
          componentAddress: 0x00050003,
          state: 0b101,
          description: '机房',
        },
      ],
    });
    expect(await uitd.sendRaw(f, { splitAt: [1, 2, 13, 26, 27, 28, 50, 75] })).toMatchObject({ confirmed: true });
    expect(probe.calls[0]!.readings).toMatchObject([{ deviceId: 'dev_fac_2', point: '3-5', values: { fault: true } }]);

    const a = uitd.frame(null);
    const b = uitd.frame(null);
    const both = Buffer.concat([Buffer.from('@@##garbage'), a, Buffer.from([0x40, 0x23, 0x23]), b]);
    expect(await uitd.sendRaw(both, { serial: b.readUInt16LE(2) })).toMatchObject({ confirmed: true });
    await until(() => probe.calls.length === 3);
    expect(probe.calls[1]!.readings).toEqual([{ deviceId: 'dev_fac_1', at: expect.any(String), values: {} }]);
  });

  test('when accept rejects there is no confirm; the retransmission is accepted and confirmed once the store is back', async () => {
    probe.mode('reject');
    const f = uitd.frame({ kind: 'objects', typeFlag: 1, objects: [{ type: 1, systemType: 1, systemAddress: 1, state: 0b100 }] });
    expect(await uitd.sendRaw(f, { timeoutMs: 500 })).toBeNull();
    probe.mode('resolve');
    expect(await uitd.sendRaw(f)).toMatchObject({ confirmed: true });
    expect(probe.calls).toHaveLength(2);
    // A copy of a frame already confirmed (its confirm lost on the way) is confirmed without a second accept.
    expect(await uitd.sendRaw(f)).toMatchObject({ confirmed: true });
    expect(probe.calls).toHaveLength(2);
  });

  test('heartbeats and UITD state reach the controllers behind the UITD; unknown types are confirmed and kept out', async () => {
    expect(await uitd.sendHeartbeat()).toMatchObject({ confirmed: true });
    expect(await uitd.sendUitdState({ backupPowerFault: true })).toMatchObject({ confirmed: true });
    expect(probe.calls.map((c) => c.readings)).toEqual([
      [{ deviceId: 'dev_fac_1', at: expect.any(String), values: {} }],
      [{ deviceId: 'dev_fac_1', at: expect.any(String), values: {} }],
    ]);
    expect(await uitd.send({ kind: 'unknown', typeFlag: 0xc8, count: 1, raw: Buffer.from([1, 2, 3]) })).toMatchObject({
      confirmed: true,
    });
  });

  test('a frame from an unbound UITD is confirmed without calling accept', async () => {
    const stranger = await connectUitd({ host: '127.0.0.1', port: listener.port, address: 'aabbccddeeff' });
    try {
      expect(await stranger.sendComponentState({ loop: 1, point: 1, fire: true })).toMatchObject({ confirmed: true });
      expect(probe.calls).toHaveLength(0);
    } finally {
      await stranger.close();
    }
  });
});

describe('GB/T 26875.3 listener lifecycle', () => {
  test('an idle connection is closed, and close() ends the open ones after their frame in progress is confirmed', async () => {
    let release: (() => void) | undefined;
    const listener = await startGbt26875Listener({
      port: 0,
      logger,
      idleTimeoutMs: 300,
      resolveDevice: () => 'dev_fac_1',
      accept: () =>
        new Promise<void>((r) => {
          release = r;
        }),
    });
    const idle = await connectUitd({ host: '127.0.0.1', port: listener.port, address: 1 });
    await idle.closed;
    const busy = await connectUitd({ host: '127.0.0.1', port: listener.port, address: 2 });
    const replied = busy.sendSystemState({ fault: true });
    await until(() => listener.connections === 1 && release !== undefined);
    const closing = listener.close();
    await pause(50);
    release!();
    expect(await replied).toMatchObject({ confirmed: true });
    await closing;
    await busy.closed;
    expect(listener.connections).toBe(0);
  });

  test('unknownTypes: deny answers a vendor type with deny', async () => {
    const listener = await startGbt26875Listener({
      port: 0,
      logger,
      unknownTypes: 'deny',
      resolveDevice: () => 'dev_fac_1',
      accept: async () => undefined,
    });
    const uitd = await connectUitd({ host: '127.0.0.1', port: listener.port, address: 3 });
    try {
      expect(await uitd.send({ kind: 'unknown', typeFlag: 0xbe, count: 0, raw: Buffer.alloc(0) })).toMatchObject({
        confirmed: false,
      });
      expect(await uitd.sendHeartbeat()).toMatchObject({ confirmed: true });
    } finally {
      await uitd.close();
      await listener.close();
    }
  });
});

describe('GB/T 26875.3 listener with accept on Kafka', () => {
  const ns = testNamespace('gbt26875');
  const kafka = testKafka();
  let publisher: Publisher;
  let collector: TopicCollector;
  let listener: Gbt26875Listener;

  beforeAll(async () => {
    await ensureTopics(kafka, [`${ns.topicPrefix}${sensorsReadingTopic.name}`]);
    publisher = await createPublisher({ kafka, source: 'sensors-test', topicPrefix: ns.topicPrefix });
    collector = await collectTopics(kafka, [`${ns.topicPrefix}${sensorsReadingTopic.name}`]);
    listener = await startGbt26875Listener({
      port: 0,
      logger,
      resolveDevice: (_a, sys) => `dev_kafka_${sys}`,
      // What the service does: one event per device, published with acks=all before the confirm.
      accept: async (readings, ctx) => {
        const byDevice = Map.groupBy(readings, (r) => r.deviceId);
        await Promise.all(
          [...byDevice].map(([deviceId, rs]) =>
            publisher.publish(sensorsReadingTopic, {
              type: 'sensors.readings.accepted',
              key: deviceId,
              data: {
                deviceId,
                via: `gbt26875:${ctx.uitdAddress}`,
                receivedAt: new Date().toISOString(),
                readings: rs.map(({ deviceId: _d, ...r }) => r),
              },
            }),
          ),
        );
      },
    });
  });
  afterAll(async () => {
    await listener.close();
    await collector.stop();
    await publisher.disconnect();
    await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
  });

  test('the readings of a confirmed frame are on Kafka', async () => {
    const uitd = await connectUitd({ host: '127.0.0.1', port: listener.port, address: 0x123456 });
    try {
      const reply = await uitd.sendComponentState([
        { systemAddress: 1, loop: 1, point: 4, fire: true },
        { systemAddress: 2, loop: 3, point: 9, shielded: true },
      ]);
      expect(reply?.confirmed).toBe(true);
      const got = await collector.waitFor(() => true, 2, 10_000);
      const events = got.map(
        (m) => m.envelope?.data as { deviceId: string; via: string; readings: Array<{ point: string; values: object }> },
      );
      expect(events.map((e) => [e.deviceId, e.via, e.readings[0]?.point]).sort()).toEqual([
        ['dev_kafka_1', 'gbt26875:563412000000', '1-4'],
        ['dev_kafka_2', 'gbt26875:563412000000', '3-9'],
      ]);
    } finally {
      await uitd.close();
    }
  });
});
