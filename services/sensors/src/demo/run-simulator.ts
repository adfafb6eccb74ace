import type { Logger } from '@firegov/kit';
import { connectUitd, type Reply, type UitdClient } from '../gbt26875/simulator.ts';
import { MAX_READINGS_PER_BATCH } from '../domain/readings.ts';
import type { GatewayApi } from './gateway-api.ts';
import { kindCountsOf, readingsAt, TICK_MS, uitdStepsAt, type SimDevice, type UitdStep } from './traffic.ts';

// The demo traffic on the wire: every tick the REST devices' readings go to /v1/telemetry as one
// batch (a vendor platform forwarding what its devices said), and each demo transmission device
// speaks GB/T 26875.3 to the service's listener over its own TCP connection.

export interface SimulatorStats {
  batches: number;
  readings: number;
  accepted: number;
  refused: number;
  /** Ticks whose batch was not sent: the previous one was still in flight, or it failed. */
  skipped: number;
  failures: number;
  frames: number;
  confirmed: number;
  denied: number;
  unanswered: number;
  /** Epoch ms of the last answer from the service (REST or GB/T 26875.3), for the watchdog. */
  lastContact: number;
}

export interface DemoUitd {
  address: string;
  systems: number[];
}

export interface RunningSimulator {
  stats: Readonly<SimulatorStats>;
  stop(): Promise<void>;
}

/** One demo transmission device: connects on first use and after the centre closed the socket. */
function uitdSession(u: DemoUitd, gbt: { host: string; port: number }, logger: Logger, stats: SimulatorStats) {
  let client: UitdClient | undefined;
  let hungUp = false;
  let lastConnectError = 0;

  const count = (reply: Reply | null) => {
    stats.frames += 1;
    if (!reply) stats.unanswered += 1;
    else if (reply.confirmed) {
      stats.confirmed += 1;
      stats.lastContact = Date.now();
    } else stats.denied += 1;
  };

  async function connected(): Promise<UitdClient | undefined> {
    if (client) return client;
    try {
      const c = await connectUitd({ host: gbt.host, port: gbt.port, address: u.address, replyTimeoutMs: 5000 });
      void c.closed.then(() => {
        if (client === c) client = undefined;
      });
      client = c;
      return c;
    } catch (err) {
      // Logged once a minute: the listener may be restarting, and the next step tries again.
      if (Date.now() - lastConnectError > 60_000) logger.warn({ err, uitd: u.address }, 'demo UITD cannot reach the listener');
      lastConnectError = Date.now();
      return undefined;
    }
  }

  return {
    async run(step: UitdStep): Promise<void> {
      if (hungUp) return;
      const c = await connected();
      if (!c) return;
      switch (step.kind) {
        case 'open':
          count(await c.sendUitdState({}));
          for (const system of step.systems) count(await c.sendSystemState({ systemAddress: system }));
          return;
        case 'heartbeat':
          count(await c.sendHeartbeat());
          return;
        case 'component':
          count(
            await c.sendComponentState({
              systemAddress: step.system,
              loop: step.loop,
              point: step.point,
              fire: step.fire ?? false,
              fault: step.fault ?? false,
              description: step.fire ? '演示火警' : step.fault ? '演示故障' : '',
            }),
          );
          return;
        case 'hang_up':
          hungUp = true;
          client = undefined;
          await c.close();
          logger.info({ uitd: u.address }, 'demo UITD hung up and stays silent (its controllers go offline)');
      }
    },
    async close(): Promise<void> {
      const c = client;
      client = undefined;
      await c?.close();
    },
  };
}

/** Starts the ticks; stop() waits for what is in flight and closes the UITD connections. */
export function startSimulator(d: {
  api: GatewayApi;
  devices: readonly SimDevice[];
  uitds: readonly DemoUitd[];
  gbt: { host: string; port: number } | null;
  logger: Logger;
}): RunningSimulator {
  const stats: SimulatorStats = {
    batches: 0,
    readings: 0,
    accepted: 0,
    refused: 0,
    skipped: 0,
    failures: 0,
    frames: 0,
    confirmed: 0,
    denied: 0,
    unanswered: 0,
    lastContact: Date.now(),
  };
  const counts = kindCountsOf(d.devices);
  const startTick = Math.floor(Date.now() / TICK_MS);
  const sessions = d.gbt ? d.uitds.map((u) => uitdSession(u, d.gbt!, d.logger, stats)) : [];
  // One chain per UITD: its frames go out in order, each after the previous one's answer.
  const chains: Array<Promise<void>> = sessions.map(() => Promise.resolve());
  let rest: Promise<void> | undefined;
  let stopped = false;

  async function sendBatch(tick: number): Promise<void> {
    const readings = readingsAt(d.devices, tick, startTick, counts);
    for (let i = 0; i < readings.length; i += MAX_READINGS_PER_BATCH) {
      const batch = readings.slice(i, i + MAX_READINGS_PER_BATCH);
      const answer = await d.api.telemetry(batch);
      stats.lastContact = Date.now();
      stats.batches += 1;
      stats.readings += batch.length;
      stats.accepted += answer.accepted;
      stats.refused += answer.refused.length;
      if (answer.refused.length > 0)
        d.logger.warn({ refused: answer.refused.slice(0, 3), n: answer.refused.length }, 'demo readings refused');
    }
  }

  const onTick = () => {
    const tick = Math.floor(Date.now() / TICK_MS);
    if (rest) stats.skipped += 1;
    else
      rest = sendBatch(tick)
        .catch((err: unknown) => {
          stats.failures += 1;
          stats.skipped += 1;
          d.logger.warn({ err }, 'demo telemetry batch failed');
        })
        .finally(() => {
          rest = undefined;
        });
    sessions.forEach((s, i) => {
      const u = d.uitds[i] as DemoUitd;
      for (const step of uitdStepsAt(i, d.uitds.length, u.systems, tick, startTick))
        chains[i] = (chains[i] as Promise<void>).then(() =>
          s.run(step).catch((err: unknown) => d.logger.warn({ err, uitd: u.address }, 'demo UITD frame failed')),
        );
    });
  };

  onTick();
  const timer = setInterval(onTick, TICK_MS);
  let last = { ...stats };
  const report = setInterval(() => {
    const since = Object.fromEntries(
      (['readings', 'accepted', 'refused', 'skipped', 'failures', 'frames', 'confirmed', 'denied', 'unanswered'] as const).map(
        (k) => [k, stats[k] - last[k]],
      ),
    );
    d.logger.info({ last30s: since, total: { readings: stats.readings, frames: stats.frames } }, 'demo devices reporting');
    last = { ...stats };
  }, 30_000);

  return {
    stats,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clearInterval(report);
      await rest;
      await Promise.all(chains);
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}
