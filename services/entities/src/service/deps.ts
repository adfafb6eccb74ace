import type { Logger } from '@firegov/kit';
import type { OutboxRelay } from '@firegov/events';
import type { EntitiesModels } from '../store/models.ts';

/** What the application layer needs; `now` is injectable so tests can move time. */
export interface EntitiesDeps {
  models: EntitiesModels;
  relay: OutboxRelay;
  logger: Logger;
  now: () => Date;
}
