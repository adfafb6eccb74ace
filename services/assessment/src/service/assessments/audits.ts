import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { AppError, fromDomain } from '@firegov/kit';
import { compareAudit } from '../../domain/audit.ts';
import { auditInputSchema } from '../../domain/inputs.ts';
import { readAssessment } from '../../store/assessment-codec.ts';
import { assessmentLists } from '../../store/assessment-lists.ts';
import type { AssessmentDoc } from '../../store/models.ts';
import { AUDITORS, requireRole } from '../access.ts';
import type { AgencyService } from '../agencies.ts';
import type { AssessmentDeps } from '../deps.ts';
import { assessmentWrites } from './persistence.ts';

/**
 * 抽查: the government's re-inspection of a sampled assessment, compared with the agency's
 * findings. The result is kept on the assessment, leaves the audit queue, and moves the agency's
 * credit (through the agencies service).
 */
export function auditService(deps: AssessmentDeps, agencies: AgencyService) {
  const writes = assessmentWrites(deps);
  const lists = assessmentLists(deps.redis, deps.redisPrefix);

  return {
    async record(identity: Identity, assessmentId: string, raw: unknown): Promise<AssessmentDoc> {
      requireRole(identity, AUDITORS);
      const input = fromDomain(() => parseInput(auditInputSchema, raw));
      const doc = await readAssessment(deps.models, assessmentId);
      if (!doc || !doc.scope.includes(identity.jurisdiction))
        throw new AppError('NOT_FOUND', `assessment ${assessmentId} not found`);
      if (doc.audit) throw new AppError('CONFLICT', `assessment ${assessmentId} was already audited`);
      const result = fromDomain(() => compareAudit(doc.current.findings, input.findings));
      const audit = {
        recordedAt: deps.now().toISOString(),
        recordedBy: identity.subject,
        outcome: result.outcome,
        explanation: result.explanation,
      };
      await writes.setAudit(assessmentId, audit);
      await lists.audited(assessmentId);
      await agencies.recordAuditOutcome(doc.agencyId, assessmentId, audit);
      return { ...doc, audit };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
