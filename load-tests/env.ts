import { loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

/** The load harness's environment (load-tests/run.ts). */
export const loadEnv = () =>
  loadEnvOrExit(
    z.object({
      /** The deployment under load; by default the local platform's gateway (`npm start`). */
      LOAD_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
      /** Signs the callers' tokens; unset: the development secret `npm start` uses. */
      JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    }),
  );
