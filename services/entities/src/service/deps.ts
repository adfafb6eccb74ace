import type { Logger } from '@firegov/kit';
import type { OutboxRelay } from '@firegov/events';
import type { ReadinessPolicy } from '../domain/readiness.ts';
import type { EntitiesModels } from '../store/models.ts';
import type { UnitCounts } from '../store/unit-counts.ts';

/** What the application layer needs; `now` is injectable so tests can move time. */
export interface EntitiesDeps {
  models: EntitiesModels;
  relay: OutboxRelay;
  logger: Logger;
  now: () => Date;
  /** The village-summary counts, recorded after every unit write. */
  counts: UnitCounts;
  /** Village fire-force readiness targets (team size, training hours); defaults when absent. */
  readinessPolicy?: ReadinessPolicy;
}
