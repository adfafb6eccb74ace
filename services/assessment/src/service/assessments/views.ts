import type { Identity } from '@firegov/auth';
import { readAssessment } from '../../store/assessment-codec.ts';
import { assessmentLists } from '../../store/assessment-lists.ts';
import type { AssessmentDoc } from '../../store/models.ts';
import { canSee, isGovernment } from '../access.ts';
import type { AssessmentDeps } from '../deps.ts';

/** Reads for the subgraph: per unit (newest first, from the Redis lists), one by id, the audit queue. */
export function assessmentViews(deps: AssessmentDeps) {
  const read = (id: string) => readAssessment(deps.models, id);
  const lists = assessmentLists(deps.redis, deps.redisPrefix);
  const visible = async (identity: Identity, ids: readonly string[]) =>
    (await Promise.all(ids.map(read))).filter((d): d is AssessmentDoc => d !== null && canSee(identity, d));
  return {
    async ofUnits(identity: Identity, unitIds: readonly string[]): Promise<AssessmentDoc[][]> {
      const perUnit = await lists.newestOfUnits(unitIds);
      return Promise.all(perUnit.map((ids) => visible(identity, ids)));
    },
    async byId(identity: Identity, id: string): Promise<AssessmentDoc | null> {
      const doc = await read(id);
      return doc && canSee(identity, doc) ? doc : null;
    },
    /** 抽查 queue: sampled, not yet audited, in the caller's jurisdiction (government users only). */
    async auditQueue(identity: Identity): Promise<AssessmentDoc[]> {
      if (!isGovernment(identity)) return [];
      return (await visible(identity, await lists.auditQueue())).filter((d) => !d.audit && d.status === 'active');
    },
  };
}

export type AssessmentViews = ReturnType<typeof assessmentViews>;
