import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import { who } from './context.ts';
import { AssessmentAuditRef, AssessmentRef, builder } from './refs.ts';

// 抽查: the queue of sampled assessments and the government's re-inspection results.

AssessmentAuditRef.implement({
  description: '抽查: the government re-inspection compared with the agency’s findings',
  fields: (t) => ({
    outcome: t.exposeString('outcome'),
    explanation: t.exposeString('explanation'),
    recordedAt: t.exposeString('recordedAt'),
  }),
});

builder.queryFields((t) => ({
  auditQueue: t.field({
    type: [AssessmentRef],
    description: '抽查: sampled assessments awaiting government re-inspection',
    resolve: (_r, _a, ctx) => ctx.services.views.auditQueue(who(ctx)),
  }),
}));

const AuditFindingInput = builder.inputType('AuditFindingInput', {
  fields: (t) => ({ category: t.string({ required: true }), severity: t.string({ required: true }) }),
});

builder.mutationFields((t) => ({
  recordAssessmentAudit: t.field({
    type: AssessmentRef,
    errors: { types: [AppError] },
    description: '抽查 result: what the government re-inspection found, compared with the agency’s findings',
    args: {
      assessmentId: t.arg.id({ required: true }),
      findings: t.arg({ type: [AuditFindingInput], required: true }),
      notes: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.audits.record(who(ctx), String(a.assessmentId), dropNulls({ findings: a.findings, notes: a.notes })),
  }),
}));
