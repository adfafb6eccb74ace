import { serviceEnv } from '@firegov/service';
import { z } from 'zod';

const minutes = (def: number) =>
  z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(def);

// The one env module of the process: the entries every service reads, plus this service's own.
export const sensorsEnv = serviceEnv(
  { name: 'sensors', port: 4004 },
  {
    /** Signs the access tokens device gateways get from /oauth/token; only this service reads them. */
    GATEWAY_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
    GATEWAY_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900),
    /** Ingest requests per minute per gateway (each up to 1,000 readings). */
    INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
    /** Readings older than this are refused (a replayed buffer of stale data is a fault, not news). */
    READING_MAX_AGE_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 30)
      .default(72),
    /** Device clock skew tolerated into the future. */
    READING_MAX_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
    /** Hourly reading buckets are kept this long; the latest reading of each point is kept always. */
    READING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Devices' live state and hourly buckets are written (and Kafka offsets committed) on this period; 0 writes every batch through. A crash replays at most this much. */
    READING_CHECKPOINT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    /** How long ingest and the adapter trust their in-memory copy of a device (retirements take effect within it). */
    DEVICE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /** GB/T 26875.3 listener for user information transmission devices; 0 turns it off. */
    GBT26875_PORT: z.coerce.number().int().min(0).max(65_535).default(4014),
    GBT26875_HOST: z.string().min(1).default('127.0.0.1'),
    /** A transmission device's connection silent this long is closed (UITDs send a heartbeat every 20–30 s). */
    GBT26875_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(180_000),
    /** Which half of a component address is the loop (回路): vendors differ; see docs/gbt26875.md. */
    GBT26875_POINT_LAYOUT: z.enum(['loop-in-low-word', 'loop-in-high-word']).default('loop-in-low-word'),
    /** How often offline devices and lasting faults are looked for. */
    HEALTH_SWEEP_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
    /** How often one replica recounts the online rate's counts from the store (repairs drift). */
    HEALTH_RECOUNT_MS: z.coerce.number().int().min(10_000).max(86_400_000).default(3_600_000),
    /** How often unacknowledged alarms are checked for escalation. */
    ESCALATION_SWEEP_MS: z.coerce.number().int().min(200).max(600_000).default(15_000),
    /** Reminders to the unit's manager while an alarm is unacknowledged. */
    ESCALATION_REMINDER_MINUTES: minutes(5),
    /** Unacknowledged this long: the grid manager (网格员) is told. */
    ESCALATION_GRID_MINUTES: minutes(10),
    /** Unacknowledged this long: the township (乡镇) is told. */
    ESCALATION_TOWNSHIP_MINUTES: minutes(30),
    /** A fire alarm not confirmed or ruled false within this goes straight to the township and the fire brigade. */
    FIRE_CONFIRM_WINDOW_MINUTES: minutes(3),
  },
);

export type SensorsEnv = z.infer<typeof sensorsEnv.schema>;
export type SensorsToolEnv = z.infer<typeof sensorsEnv.toolSchema>;
