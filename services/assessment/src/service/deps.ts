import type { OutboxRelay } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Redis } from 'ioredis';
import type { KeyObject } from 'node:crypto';
import type { AssessmentModels } from '../store/models.ts';

export interface AssessmentDeps {
  models: AssessmentModels;
  redis: Redis;
  redisPrefix: string;
  relay: OutboxRelay;
  logger: Logger;
  now: () => Date;
  receiptKey: { privateKey: KeyObject; publicKeyPem: string };
  tokenSecret: string;
  tokenTtlS: number;
  auditShare: number;
  auditSalt: string;
  lateAfterDays: number;
}
