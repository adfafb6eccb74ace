import { sensorsReadingTopic } from '@firegov/contracts';
import type { Publisher } from '@firegov/events';
import { fromZod } from '@firegov/kit';
import {
  checkReading,
  deviceIdOf,
  readingKey,
  readingShardOf,
  telemetryBatchShape,
  type Reading,
  type Refusal,
  type TimeWindow,
} from '../domain/readings.ts';
import type { DeviceDirectory } from './directory.ts';

export interface IngestResult {
  accepted: number;
  refused: Refusal[];
}

/**
 * Readings in: each checked on its own, the good ones put on Kafka (one message per device, keyed
 * by it, so a device's readings stay in order) and only then acknowledged. Nothing is stored
 * here: the evaluator consumes the topic, so a reading is either on Kafka or refused, never half-taken.
 */
export function ingestService(deps: { directory: DeviceDirectory; publisher: Publisher; now: () => Date; window: TimeWindow }) {
  /** Publishes accepted readings, one message per reading shard; resolves once Kafka has them all (acks=all). */
  async function publish(readings: readonly Reading[], via: string): Promise<void> {
    const byShard = new Map<number, Map<string, Array<Omit<Reading, 'deviceId'>>>>();
    for (const r of readings) {
      const shard = readingShardOf(r.deviceId);
      let devices = byShard.get(shard);
      if (!devices) byShard.set(shard, (devices = new Map<string, Array<Omit<Reading, 'deviceId'>>>()));
      let list = devices.get(r.deviceId);
      if (!list) devices.set(r.deviceId, (list = []));
      list.push({ at: r.at, ...(r.point ? { point: r.point } : {}), values: r.values });
    }
    const receivedAt = deps.now().toISOString();
    await Promise.all(
      [...byShard].map(([shard, devices]) =>
        deps.publisher.publish(sensorsReadingTopic, {
          type: 'sensors.readings.batch_accepted',
          key: `shard:${shard}`,
          data: { shard, via, receivedAt, devices: [...devices].map(([deviceId, list]) => ({ deviceId, readings: list })) },
        }),
      ),
    );
  }

  return {
    publish,

    /** A gateway's batch: malformed as a whole → 400 (nothing taken); otherwise per-reading refusals. */
    async accept(gatewayId: string, body: unknown): Promise<IngestResult> {
      const shape = telemetryBatchShape.safeParse(body);
      if (!shape.success) throw fromZod(shape.error);
      const raws = shape.data.readings;
      const devices = await deps.directory.lookup(raws.map(deviceIdOf).filter((id): id is string => id !== undefined));
      const now = deps.now();
      const seen = new Set<string>();
      const accepted: Reading[] = [];
      const refused: Refusal[] = [];
      raws.forEach((raw, index) => {
        const id = deviceIdOf(raw);
        const checked = checkReading(raw, index, {
          device: id ? devices.get(id) : undefined,
          gatewayId,
          now,
          window: deps.window,
        });
        if ('refused' in checked) {
          refused.push(checked.refused);
          return;
        }
        const key = readingKey(checked.reading);
        if (seen.has(key)) {
          refused.push({
            index,
            deviceId: checked.reading.deviceId,
            code: 'DUPLICATE_READING',
            reason: 'the same device, point and time appear earlier in this batch',
            details: [{ path: `$.readings[${index}].at`, reason: 'repeats an earlier reading of this batch' }],
          });
          return;
        }
        seen.add(key);
        accepted.push(checked.reading);
      });
      if (accepted.length > 0) await publish(accepted, gatewayId);
      return { accepted: accepted.length, refused };
    },
  };
}

export type IngestService = ReturnType<typeof ingestService>;
