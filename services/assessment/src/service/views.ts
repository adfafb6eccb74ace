import type { Identity } from '@firegov/auth';
import type { AssessmentDoc } from '../store/models.ts';
import { readAssessment } from '../store/assessment-codec.ts';
import type { AssessmentDeps } from './deps.ts';

const GOVERNMENT = ['county_admin', 'township_officer', 'village_grid_manager', 'department_officer', 'fire_brigade'];

/** Who sees an assessment: government users within their jurisdiction, and the agency that made it. */
export const canSee = (identity: Identity, doc: Pick<AssessmentDoc, 'agencyId' | 'scope'>): boolean =>
  identity.role === 'agency'
    ? identity.agencyId === doc.agencyId
    : GOVERNMENT.includes(identity.role) && doc.scope.includes(identity.jurisdiction);

export const isGovernment = (identity: Identity): boolean => GOVERNMENT.includes(identity.role);

/** Reads for the subgraph: per unit (newest first, from a Redis set per unit), one by id, the audit queue. */
export function assessmentViews(deps: AssessmentDeps) {
  const read = (id: string) => readAssessment(deps.models, id);
  return {
    async ofUnits(identity: Identity, unitIds: readonly string[]): Promise<AssessmentDoc[][]> {
      const tx = deps.redis.pipeline();
      for (const id of unitIds) tx.zrevrange(`${deps.redisPrefix}u:a:${id}`, 0, 49);
      const lists = ((await tx.exec()) ?? []).map(([err, ids]) => (err ? [] : (ids as string[])));
      return Promise.all(
        lists.map(async (ids) =>
          (await Promise.all(ids.map(read))).filter((d): d is AssessmentDoc => d !== null && canSee(identity, d)),
        ),
      );
    },
    async byId(identity: Identity, id: string): Promise<AssessmentDoc | null> {
      const doc = await read(id);
      return doc && canSee(identity, doc) ? doc : null;
    },
    /** 抽查 queue: sampled, not yet audited, in the caller's jurisdiction (government users only). */
    async auditQueue(identity: Identity): Promise<AssessmentDoc[]> {
      if (!isGovernment(identity)) return [];
      const ids = await deps.redis.zrange(`${deps.redisPrefix}audit:pending`, 0, 499);
      const docs = await Promise.all(ids.map(read));
      return docs.filter((d): d is AssessmentDoc => d !== null && !d.audit && d.status === 'active' && canSee(identity, d));
    },
  };
}

export type AssessmentViews = ReturnType<typeof assessmentViews>;
