import { loadEnvOrExit } from '@firegov/kit';
import { serviceEnv } from '@firegov/service';
import { z } from 'zod';

export const assessmentEnv = serviceEnv(
  { name: 'assessment', port: 4003 },
  {
    /** Signs the access tokens agencies get from /oauth/token; only this service reads them. */
    AGENCY_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
    AGENCY_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900),
    /** Ed25519 seed (32 bytes, base64) that signs submission receipts; its public key is published. */
    RECEIPT_SIGNING_SEED: z.string().refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
    /** Share of accepted submissions drawn for government re-inspection (抽查). */
    AUDIT_SAMPLE_SHARE: z.coerce.number().min(0).max(1).default(0.05),
    /** Keeps the draw unpredictable to agencies (and the same on every replica). */
    AUDIT_SAMPLE_SALT: z.string().min(16, 'must be at least 16 characters'),
    LATE_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(15),
    PUSH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
  },
);

export type AssessmentEnv = z.infer<typeof assessmentEnv.schema>;

/** The demo loader's environment: the service's plus the demo client's secret (npm start derives it). */
export const loadDemoEnv = (source?: Record<string, string | undefined>) =>
  loadEnvOrExit(
    assessmentEnv.schema.extend({ DEMO_AGENCY_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters') }),
    source,
  );
