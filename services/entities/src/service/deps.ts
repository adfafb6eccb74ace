import type { ListEscalationPolicy } from '../domain/departments.ts';
import type { Logger } from '@firegov/kit';
import type { OutboxRelay } from '@firegov/events';
import type { ReadinessPolicy } from '../domain/readiness.ts';
import type { EntitiesModels } from '../store/models.ts';
import type { DutyTallies } from '../store/duty-tallies.ts';
import type { UnitCounts } from '../store/unit-counts.ts';
import type { UnitIndex } from '../store/unit-index.ts';

/** What the application layer needs; `now` is injectable so tests can move time. */
export interface EntitiesDeps {
  models: EntitiesModels;
  relay: OutboxRelay;
  logger: Logger;
  now: () => Date;
  /** The village-summary counts, recorded after every unit write. */
  counts: UnitCounts;
  /** Unit snapshots and list sets, recorded after every unit write; lists and lookups read it. */
  index: UnitIndex;
  /** The annual 考核 tallies (hazards by year, units by training), recorded after every unit write. */
  duty: DutyTallies;
  /** Village fire-force readiness targets (team size, training hours); defaults when absent. */
  readinessPolicy?: ReadinessPolicy;
  /** Days until an overdue list item's 通报 and 约谈 (domain/departments.ts). */
  listEscalation?: ListEscalationPolicy;
}
