import type { AssessmentDoc } from '../store/models.ts';
import { isGovernment } from '../service/access.ts';
import { who } from './context.ts';
import { AgencyRef, AssessmentAuditRef, AssessmentRef, builder } from './refs.ts';

// Assessments as the county and the agencies read them, and the registry's Unit extended with them.

const VersionRef = builder.objectRef<AssessmentDoc['versions'][number]>('AssessmentVersion').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    kind: t.exposeString('kind'),
    submittedAt: t.exposeString('submittedAt'),
    reason: t.exposeString('reason', { nullable: true }),
    bodyHash: t.exposeString('bodyHash'),
    receiptHash: t.string({ resolve: (v) => v.receipt.hash }),
  }),
});
const FindingRef = builder.objectRef<AssessmentDoc['current']['findings'][number]>('AssessmentFinding').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    category: t.exposeString('category'),
    severity: t.exposeString('severity'),
    description: t.exposeString('description'),
    location: t.exposeString('location'),
    factorCodes: t.stringList({ resolve: (f) => f.factorCodes ?? [] }),
  }),
});

export const UnitRef = builder.externalRef('Unit', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    assessments: t.field({
      type: [AssessmentRef],
      description: 'Third-party assessments, newest assessment date first (withdrawn ones included)',
      resolve: (u, _a, ctx) => ctx.loaders.unitAssessments.load(u.id),
    }),
    latestAssessment: t.field({
      type: AssessmentRef,
      nullable: true,
      description: 'The newest assessment not withdrawn',
      resolve: async (u, _a, ctx) => (await ctx.loaders.unitAssessments.load(u.id)).find((a) => a.status === 'active') ?? null,
    }),
  }),
});

AssessmentRef.implement({
  description: 'An assessment pushed by an agency; amendments are versions, the history is kept',
  fields: (t) => ({
    id: t.exposeID('_id'),
    unit: t.field({ type: UnitRef, resolve: (a) => ({ id: a.unitId }) }),
    unitName: t.exposeString('unitName'),
    agency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (a, _x, ctx) => ctx.services.agencies.byId(who(ctx), a.agencyId),
    }),
    status: t.exposeString('status'),
    version: t.exposeInt('version'),
    assessedOn: t.string({ resolve: (a) => a.current.assessedOn }),
    method: t.string({ resolve: (a) => a.current.method }),
    score: t.float({ resolve: (a) => a.current.score }),
    grade: t.string({ resolve: (a) => a.current.grade }),
    engineerLicence: t.string({ resolve: (a) => a.current.engineerLicence }),
    findings: t.field({ type: [FindingRef], resolve: (a) => a.current.findings }),
    reportUrl: t.string({ resolve: (a) => a.current.report.url }),
    reportSha256: t.string({ resolve: (a) => a.current.report.sha256 }),
    versions: t.field({ type: [VersionRef], resolve: (a) => a.versions }),
    late: t.exposeBoolean('late', { description: '迟报: submitted later than allowed after the assessment' }),
    // Agencies must not learn which of their submissions will be re-inspected.
    sampledForAudit: t.boolean({ nullable: true, resolve: (a, _x, ctx) => (isGovernment(who(ctx)) ? a.sampled : null) }),
    audit: t.field({ type: AssessmentAuditRef, nullable: true, resolve: (a) => a.audit ?? null }),
    withdrawnReason: t.exposeString('withdrawnReason', { nullable: true }),
    createdAt: t.exposeString('createdAt'),
  }),
});

builder.queryFields((t) => ({
  assessment: t.field({
    type: AssessmentRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.views.byId(who(ctx), String(id)),
  }),
}));
