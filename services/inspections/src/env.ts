import { serviceEnv } from '@firegov/service';
import { z } from 'zod';

const code12 = z.string().regex(/^\d{12}$/, 'must be a 12-digit division code');

export const inspectionsEnv = serviceEnv(
  { name: 'inspections', port: 4002 },
  {
    ESCALATION_SWEEP_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    ESCALATION_TOWNSHIP_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    ESCALATION_COUNTY_AFTER_DAYS: z.coerce.number().int().min(2).max(730).default(30),
    ESCALATION_REMINDER_EVERY_DAYS: z.coerce.number().int().min(1).max(90).default(3),
    /** How often one replica recomputes the Redis indexes from the store (repairs any drift). */
    INDEX_RECONCILE_HOURS: z.coerce
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(24),
    /** Public report endpoint: requests per client address per minute. */
    PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    /** The county this deployment serves: seed campaigns run there, and public reports naming no jurisdiction_id go to its queue. */
    HOME_JURISDICTION: code12.default('500230000000'),
  },
);

export type InspectionsEnv = z.infer<typeof inspectionsEnv.schema>;
export type InspectionsToolEnv = z.infer<typeof inspectionsEnv.toolSchema>;
