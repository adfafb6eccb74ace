import { personalDataReadPublisher, type Publisher } from '@firegov/events';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { receiptKeyFromSeed } from './domain/receipts.ts';
import { pushRouter } from './http/push.ts';
import { agencyCache } from './service/agency-cache.ts';
import { agencyService, type AgencyService } from './service/agencies.ts';
import { auditService } from './service/assessments/audits.ts';
import { submissionService, type SubmissionService } from './service/assessments/submissions.ts';
import { assessmentViews } from './service/assessments/views.ts';
import type { AssessmentDeps } from './service/deps.ts';
import { tokenService, type TokenService } from './service/tokens.ts';
import { createGraphContext, type Services } from './schema/context.ts';
import { assessmentPolicy } from './policy.ts';
import { assessmentSubgraphSchema } from './schema/index.ts';
import type { AssessmentModels } from './store/models.ts';

export interface AssessmentAppDeps extends ServiceAppDeps<AssessmentModels> {
  /** Publishes the records of personal data (agencies' contact phones) this subgraph shows unmasked. */
  publisher: Pick<Publisher, 'publish'>;
  agencyTokenSecret: string;
  agencyTokenTtlS?: number;
  receiptSeed: Buffer;
  auditShare: number;
  auditSalt: string;
  lateAfterDays?: number;
  redisPrefix: string;
  pushPerMinute?: number;
}

export interface AssessmentServices extends Services {
  tokens: TokenService;
  submissions: SubmissionService;
  agencies: AgencyService;
}

/** Builds the service without listening, so tests can start it on port 0. */
export function createAssessmentApp(d: AssessmentAppDeps): {
  app: Express;
  services: AssessmentServices;
  deps: AssessmentDeps;
  closeReadiness: () => Promise<void>;
} {
  const key = receiptKeyFromSeed(d.receiptSeed);
  const deps: AssessmentDeps = {
    models: d.models,
    redis: d.redis,
    redisPrefix: d.redisPrefix,
    relay: d.relay,
    logger: d.logger,
    now: d.now ?? (() => new Date()),
    receiptKey: { privateKey: key.privateKey, publicKeyPem: key.publicKeyPem },
    tokenSecret: d.agencyTokenSecret,
    tokenTtlS: d.agencyTokenTtlS ?? 900,
    auditShare: d.auditShare,
    auditSalt: d.auditSalt,
    lateAfterDays: d.lateAfterDays ?? 15,
  };
  const cache = agencyCache(d.models);
  const agencies = agencyService(deps, cache);
  const tokens = tokenService(deps, cache);
  const submissions = submissionService(deps, cache, agencies);
  const audits = auditService(deps, agencies);
  const services: AssessmentServices = { agencies, audits, views: assessmentViews(deps), tokens, submissions };
  const { app, close } = createServiceApp({
    ...d,
    // One assessment with its findings stays far below Kafka's 1 MB message limit: its event carries
    // the findings, and an event the broker refuses would block its document's outbox.
    bodyLimit: '256kb',
    routes: [
      pushRouter({
        tokens,
        submissions,
        receiptPublicKeyPem: key.publicKeyPem,
        redis: d.redis,
        logger: d.logger,
        perMinute: d.pushPerMinute ?? 6000,
        keyPrefix: d.redisPrefix,
      }),
    ],
    subgraph: {
      schema: assessmentSubgraphSchema(),
      policy: assessmentPolicy,
      auth: d.auth,
      context: (identity) => createGraphContext(services, identity),
      personalData: personalDataReadPublisher(d.publisher, 'assessment'),
    },
  });
  return { app, services, deps, closeReadiness: close };
}
