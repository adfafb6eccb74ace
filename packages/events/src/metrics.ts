import { meter } from '@firegov/kit';

// What operators watch of the event pipeline (Prometheus through kit/metrics.ts): how far each
// consumer group is behind, what it dead-lettered, and how far the outbox relay is behind.

type Attrs = Record<string, string | number>;

/** Latest value per series; observable gauges report whatever is here at scrape time. */
function gaugeTable(name: string, description: string, unit?: string) {
  const values = new Map<string, { attrs: Attrs; value: number }>();
  meter()
    .createObservableGauge(name, { description, ...(unit ? { unit } : {}) })
    .addCallback((result) => {
      for (const { attrs, value } of values.values()) result.observe(value, attrs);
    });
  return {
    set(attrs: Attrs, value: number) {
      values.set(JSON.stringify(attrs), { attrs, value });
    },
    /** Drops the series whose attributes include `match` (a stopped consumer's partitions). */
    drop(match: Attrs) {
      for (const [key, { attrs }] of values) if (Object.entries(match).every(([k, v]) => attrs[k] === v)) values.delete(key);
    },
  };
}

let instruments: ReturnType<typeof create> | undefined;

function create() {
  const m = meter();
  return {
    lag: gaugeTable(
      'messaging.kafka.consumer.lag',
      'Messages between the last one a consumer group handled in a partition and the partition’s end, when it last fetched',
    ),
    consumed: m.createCounter('messaging.client.consumed.messages', { description: 'Messages consumed, by outcome' }),
    deadLettered: m.createCounter('firegov.dlq.messages', { description: 'Messages sent to the dead-letter topic' }),
    outboxPending: gaugeTable(
      'firegov.outbox.pending',
      'Documents with unpublished events the relay’s last sweep found (at most one sweep batch)',
    ),
    outboxAge: gaugeTable('firegov.outbox.oldest_age', 'Age of the oldest unpublished event the last sweep found', 's'),
    published: m.createCounter('firegov.outbox.published', { description: 'Events the outbox relay published' }),
  };
}

/** The pipeline's instruments, made on first use (after the meter provider exists). */
export function eventMetrics(): ReturnType<typeof create> {
  instruments ??= create();
  return instruments;
}
