import type { Logger } from '@firegov/kit';
import { receivedTimeOutsideWindow, type TimeWindow } from '../domain/readings.ts';
import type { SensorsEnv } from '../env.ts';
import { startGbt26875Listener, type Gbt26875Listener } from '../gbt26875/listener.ts';
import { LOOP_IN_HIGH_WORD } from '../gbt26875/mapping.ts';
import type { DeviceDirectory } from './directory.ts';
import type { IngestService } from './ingest.ts';

/**
 * The GB/T 26875.3 listener wired to the platform: frames find their controller device by the
 * transmission device's address and the controller's system address (bound at registration), and
 * a frame is confirmed only once its readings are on Kafka, like a gateway's batch.
 */
export function startUitdAdapter(o: {
  env: Pick<SensorsEnv, 'GBT26875_PORT' | 'GBT26875_HOST' | 'GBT26875_IDLE_TIMEOUT_MS' | 'GBT26875_POINT_LAYOUT'>;
  logger: Logger;
  directory: DeviceDirectory;
  ingest: Pick<IngestService, 'publish'>;
  /** The ingest window: a frame time outside it is replaced by the time of receipt. */
  window: TimeWindow;
  now?: () => Date;
  port?: number;
}): Promise<Gbt26875Listener> {
  const logger = o.logger.child({ component: 'gbt26875' });
  const now = o.now ?? (() => new Date());
  return startGbt26875Listener({
    port: o.port ?? o.env.GBT26875_PORT,
    host: o.env.GBT26875_HOST,
    idleTimeoutMs: o.env.GBT26875_IDLE_TIMEOUT_MS,
    ...(o.env.GBT26875_POINT_LAYOUT === 'loop-in-high-word' ? { pointLayout: LOOP_IN_HIGH_WORD } : {}),
    logger,
    resolveDevice: (address, system) => o.directory.byUitd(address, system),
    devicesBehind: (address) => o.directory.behindUitd(address),
    accept: (readings, ctx) => {
      const timed = receivedTimeOutsideWindow(readings, now(), o.window);
      if (timed.adjusted > 0)
        logger.warn(
          { uitd: ctx.uitdAddress, readings: timed.adjusted },
          'frame time outside the accepted window: readings take the time of receipt (set the transmission device’s clock)',
        );
      return o.ingest.publish(timed.readings, `uitd:${ctx.uitdAddress}`);
    },
    ...(o.now ? { now: o.now } : {}),
  });
}
