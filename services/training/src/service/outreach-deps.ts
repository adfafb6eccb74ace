import type { OutboxRelay } from '@firegov/events';
import type { RegistryLookup } from '@firegov/registry';
import { DEFAULT_DRILL_RULES, type DrillRule } from '../domain/drills.ts';
import { DEFAULT_RANKING_WEIGHTS, type RankingWeights } from '../domain/volunteers.ts';
import type { TrainingModels } from '../store/models.ts';

/** Outreach policies that are data (unconfirmed or local rules the county may change). */
export interface OutreachPolicy {
  drillRules: readonly DrillRule[];
  rankingWeights: RankingWeights;
}

export const DEFAULT_OUTREACH_POLICY: OutreachPolicy = {
  drillRules: DEFAULT_DRILL_RULES,
  rankingWeights: DEFAULT_RANKING_WEIGHTS,
};

export interface OutreachDeps {
  models: TrainingModels;
  registry: RegistryLookup;
  relay: OutboxRelay;
  now: () => Date;
  policy?: OutreachPolicy;
}
