import { createHash } from 'node:crypto';

// The platform's services, in start order: what `npm start` runs and the gateway composes.
// `npm run new-service NAME` adds an entry here (before the marker line), so a new service gets its
// place in `npm start`, the supergraph and the end-to-end platform test without further wiring.

/** Derives a development secret from the development seed (DEV_SEED in env.ts; production sets each secret itself). */
export type Derive = (label: string, bytes?: number) => Buffer;

/** The derivation npm start uses from its development seed; `npm run token` derives the demo password with it too. */
export const devDerive =
  (seed: string): Derive =>
  (label, bytes = 32) =>
    createHash('sha256').update(`${label}\u0000${seed}`).digest().subarray(0, bytes);

/** The demo county's people at the identity service (services/identity/src/domain/users.ts), one per role of a person. */
export const DEMO_PEOPLE = [
  { username: 'county', role: 'county_admin', jurisdiction: '500230000000' },
  { username: 'township', role: 'township_officer', jurisdiction: '500230213000' },
  { username: 'grid', role: 'village_grid_manager', jurisdiction: '500230213201' },
  { username: 'department', role: 'department_officer', jurisdiction: '500230000000' },
  { username: 'brigade', role: 'fire_brigade', jurisdiction: '500230000000' },
] as const;

export interface DemoLoader {
  /** The loader script, run once the service is ready; its first argument is the demo unit count. */
  script: string;
  /** What it loads, for the progress line ("loading <what>"). */
  what: (units: number) => string;
  /** Env the loader needs beyond the service's own. */
  env?: (derive: Derive) => Record<string, string>;
}

export interface PlatformService {
  name: string;
  /** The port `npm start` and docker-compose give it. */
  port: number;
  /** Development secrets beyond the common env, derived from the development seed. */
  devEnv?: (derive: Derive) => Record<string, string>;
  demo?: DemoLoader;
}

export const PLATFORM_SERVICES: readonly PlatformService[] = [
  // First: every other process verifies tokens against its JWKS.
  {
    name: 'identity',
    port: 4006,
    devEnv: (derive) => ({
      COOKIE_KEYS: derive('identity-cookies').toString('base64url'),
      // Seals the signing keys in the store (32 bytes, base64).
      KEY_ENCRYPTION_KEY: derive('identity-key-encryption').toString('base64'),
    }),
    demo: {
      script: 'services/identity/src/demo/cli.ts',
      what: () => 'the demo people (one per role) and the demo county platform client',
      env: (derive) => ({
        DEMO_USER_PASSWORD: demoUserPassword(derive),
        DEMO_PLATFORM_CLIENT_SECRET: demoPlatformClientSecret(derive),
      }),
    },
  },
  {
    name: 'entities',
    port: 4001,
    demo: {
      script: 'services/entities/src/demo/cli.ts',
      what: (units) => `the demo county with ${units.toLocaleString('en')} units`,
    },
  },
  {
    name: 'inspections',
    port: 4002,
    // Waits for the service to learn the demo units from the entities topic, then writes six weeks of history.
    demo: { script: 'services/inspections/src/demo/cli.ts', what: () => 'six weeks of demo inspections, hazards and orders' },
  },
  {
    name: 'assessment',
    port: 4003,
    devEnv: (derive) => ({
      AGENCY_TOKEN_SECRET: derive('agency-token').toString('hex'),
      RECEIPT_SIGNING_SEED: derive('receipt-seed').toString('base64'),
      AUDIT_SAMPLE_SALT: derive('audit-salt').toString('hex'),
    }),
    demo: {
      script: 'services/assessment/src/demo/cli.ts',
      what: () => 'the demo agency and its assessments',
      env: (derive) => ({ DEMO_AGENCY_CLIENT_SECRET: demoAgencySecret(derive) }),
    },
  },
  {
    name: 'training',
    port: 4005,
    demo: {
      script: 'services/training/src/demo/cli.ts',
      what: () => 'a demo year of training: people, courses, exams, certificates, 五进, 敲门行动, drills',
    },
  },
  {
    name: 'sensors',
    port: 4004,
    devEnv: (derive) => ({ GATEWAY_TOKEN_SECRET: derive('gateway-token').toString('hex') }),
    // Registers the demo gateway's devices, then leaves a simulator running in the background
    // (readings, alarms, faults, silent devices, GB/T 26875.3 frames) that ends with npm start.
    demo: {
      script: 'services/sensors/src/demo/cli.ts',
      what: () => 'the demo monitoring devices and their simulator',
      env: (derive) => ({ DEMO_GATEWAY_CLIENT_SECRET: demoGatewaySecret(derive) }),
    },
  },
  // new services are added above this line
];

/** The demo people's password at the identity service's sign-in (npm start prints it; `npm run token` derives it). */
export const demoUserPassword = (derive: Derive): string => `demo-${derive('demo-users', 9).toString('base64url')}`;

/** The demo county platform client's secret (npm start prints it with the curl that uses it). */
export const demoPlatformClientSecret = (derive: Derive): string =>
  `fgs_demo_${derive('demo-platform-client', 24).toString('base64url')}`;

/** The demo agency's client secret: derived, so `npm start` can print it after the loader ran. */
export const demoAgencySecret = (derive: Derive): string => `fgs_demo_${derive('demo-agency-client', 18).toString('base64url')}`;

/** The demo device gateway's client secret (client id gw_demo.demo): derived, so it survives restarts. */
export const demoGatewaySecret = (derive: Derive): string =>
  `fgs_demo_${derive('demo-gateway-client', 18).toString('base64url')}`;
