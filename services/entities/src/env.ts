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
  },
);

export type EntitiesEnv = z.infer<typeof entitiesEnv.schema>;
export type EntitiesToolEnv = z.infer<typeof entitiesEnv.toolSchema>;
