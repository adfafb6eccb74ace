import { serviceEnv } from '@firegov/service';
import { z } from 'zod';

export const entitiesEnv = serviceEnv(
  { name: 'entities', port: 4001 },
  {
    /** How often one replica recomputes the village counts from the store (repairs any drift). */
    COUNTS_RECONCILE_HOURS: z.coerce
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(24),
    /** How often one replica issues the 通报 and 约谈 that overdue list items have reached. */
    LIST_ESCALATION_SWEEP_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    /** Days past a list item's deadline until its holder is named in a notice (通报), and until an interview (约谈) falls due. */
    LIST_NOTICE_AFTER_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    LIST_INTERVIEW_AFTER_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  },
);

export type EntitiesEnv = z.infer<typeof entitiesEnv.schema>;
export type EntitiesToolEnv = z.infer<typeof entitiesEnv.toolSchema>;
