import { createHash } from 'node:crypto';
import { loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';
import { DEV_SEED } from '../infra/src/env.ts';
import { demoAgencySecret, demoGatewaySecret, demoUserPassword, PLATFORM_SERVICES, type Derive } from '../infra/src/services.ts';
import { TARGETS, type Target } from './scenarios/types.ts';

const url = z.url({ protocol: /^https?$/ });
const localUrl = (service: string) => `http://127.0.0.1:${PLATFORM_SERVICES.find((s) => s.name === service)?.port ?? 0}`;

/** The load harness's environment (load-tests/run.ts); every entry defaults to the local `npm start`. */
export const harnessEnvSchema = z.object({
  /** The deployment's gateway; by default the local platform's. */
  LOAD_BASE_URL: url.default('http://127.0.0.1:4000'),
  /** The services' own APIs (push, public reports, device ingest); by default their local ports. */
  LOAD_ENTITIES_URL: url.default(localUrl('entities')),
  LOAD_INSPECTIONS_URL: url.default(localUrl('inspections')),
  LOAD_ASSESSMENT_URL: url.default(localUrl('assessment')),
  LOAD_TRAINING_URL: url.default(localUrl('training')),
  LOAD_SENSORS_URL: url.default(localUrl('sensors')),
  /** The identity service (issuer): where the harness signs in and its load clients get tokens when TOKENS is unset. */
  LOAD_IDENTITY_URL: url.default(localUrl('identity')),
  /** The demo people's password; unset: derived from DEV_SEED as `npm start` derives it. */
  DEMO_USER_PASSWORD: z.string().min(1).optional(),
  /**
   * Users' bearer tokens from the identity service, comma-separated, one per user a scenario names
   * (the gateway limits each person's rate; they are reused round-robin), as k6's TOKENS. Nothing
   * here can sign a token: the identity service is the only issuer.
   */
  TOKENS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    ),
  /** A county administrator's token for the setup lookups (the demo agency's client); unset: the first of TOKENS. */
  ADMIN_TOKEN: z.string().min(1).optional(),
  /** The development seed `npm start` derives the demo clients' secrets from (infra's DEV_SEED); unset: the public one. */
  DEV_SEED: z.string().min(32, 'must be at least 32 characters').default(DEV_SEED),
  /** The agency API client of agency_push_storm; unset: the demo agency's (looked up in the registry). */
  AGENCY_CLIENT_ID: z.string().min(3).optional(),
  /** Unset: the demo agency's secret, derived from DEV_SEED as `npm start` derives it. */
  AGENCY_CLIENT_SECRET: z.string().min(1).optional(),
  /** The device gateway client of sensor_ingest; by default the demo gateway's. */
  DEVICE_GATEWAY_CLIENT_ID: z.string().min(3).default('gw_demo.demo'),
  /** Unset: the demo gateway's secret, derived from DEV_SEED as `npm start` derives it. */
  DEVICE_GATEWAY_CLIENT_SECRET: z.string().min(1).optional(),
});
export type HarnessEnv = z.infer<typeof harnessEnvSchema>;

/** The variable holding a target's base URL for the harness (k6 reads `targetUrlEnv`'s). */
export const harnessUrlEnv = (t: Target) =>
  (t === 'gateway' ? 'LOAD_BASE_URL' : `LOAD_${t.toUpperCase()}_URL`) as keyof HarnessEnv;

export function loadEnv(): HarnessEnv & { DEMO_USER_PASSWORD: string; urls: Record<Target, string> } {
  const env = loadEnvOrExit(harnessEnvSchema);
  // The development secrets `npm start` derives from the development seed (infra/src/platform.ts).
  const derive: Derive = (label, bytes = 32) =>
    createHash('sha256').update(`${label}\u0000${env.DEV_SEED}`).digest().subarray(0, bytes);
  return {
    ...env,
    DEMO_USER_PASSWORD: env.DEMO_USER_PASSWORD ?? demoUserPassword(derive),
    AGENCY_CLIENT_SECRET: env.AGENCY_CLIENT_SECRET ?? demoAgencySecret(derive),
    DEVICE_GATEWAY_CLIENT_SECRET: env.DEVICE_GATEWAY_CLIENT_SECRET ?? demoGatewaySecret(derive),
    urls: Object.fromEntries(TARGETS.map((t) => [t, String(env[harnessUrlEnv(t)])])) as Record<Target, string>,
  };
}
