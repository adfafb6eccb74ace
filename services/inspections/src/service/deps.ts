import type { OutboxRelay } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Redis } from 'ioredis';
import type { EscalationPolicy } from '../domain/escalation.ts';
import type { HazardIndex } from '../store/hazard-index.ts';
import type { InspectionsModels } from '../store/models.ts';

/** What the application layer needs; `now` is injectable so tests can move time. */
export interface InspectionsDeps {
  models: InspectionsModels;
  redis: Redis;
  index: HazardIndex;
  relay: OutboxRelay;
  logger: Logger;
  now: () => Date;
  policy: EscalationPolicy;
  homeJurisdiction: string;
}
