import { serviceEnv } from '@firegov/service';
import type { z } from 'zod';

// The one env module of the process: the entries every service reads, plus this service's own.
export const trainingEnv = serviceEnv({ name: 'training', port: 4005 }, {});

export type TrainingEnv = z.infer<typeof trainingEnv.schema>;
export type TrainingToolEnv = z.infer<typeof trainingEnv.toolSchema>;
