import { maskMobile } from '@firegov/contracts';
import { canSeePersonalData } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import { isGovernment } from '../service/views.ts';
import type { AgencyDoc, AssessmentDoc } from '../store/models.ts';
import { builder } from './builder.ts';
import { dropNulls } from './common.ts';
import { who } from './context.ts';

const EngineerRef = builder.objectRef<AgencyDoc['engineers'][number]>('FireEngineer').implement({
  description: '注册消防工程师',
  fields: (t) => ({
    name: t.exposeString('name'),
    licenceNo: t.exposeString('licenceNo'),
    validFrom: t.exposeString('validFrom'),
    validUntil: t.exposeString('validUntil'),
  }),
});
const ContractRef = builder.objectRef<AgencyDoc['contracts'][number]>('AgencyContract').implement({
  description: 'Which units or jurisdictions the agency may assess, and when',
  fields: (t) => ({
    id: t.exposeID('id'),
    unitIds: t.exposeStringList('unitIds'),
    jurisdictionCodes: t.exposeStringList('jurisdictionCodes'),
    validFrom: t.exposeString('validFrom'),
    validUntil: t.exposeString('validUntil'),
  }),
});
const ClientRef = builder.objectRef<AgencyDoc['clients'][number]>('AgencyApiClient').implement({
  description: 'An OAuth2 client of the push API; secrets are never shown again after creation',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    label: t.exposeString('label'),
    revokedAt: t.exposeString('revokedAt', { nullable: true }),
    activeSecrets: t.int({ resolve: (c) => c.secrets.filter((s) => !s.revokedAt).length }),
    createdAt: t.exposeString('createdAt'),
  }),
});
const CreditFactorRef = builder
  .objectRef<{ kind: string; count: number; points: number; zh?: string; label?: string }>('CreditFactor')
  .implement({
    fields: (t) => ({
      kind: t.exposeString('kind'),
      count: t.exposeInt('count'),
      points: t.exposeFloat('points'),
      label: t.string({ resolve: (f) => f.zh ?? f.label ?? f.kind }),
    }),
  });
const CreditRef = builder
  .objectRef<{
    score: number;
    level: string;
    factors: Array<{ kind: string; count: number; points: number }>;
    suspendRecommended: boolean;
  }>('AgencyCredit')
  .implement({
    description: '信用管理: 100 less the listed factors over the last 365 days',
    fields: (t) => ({
      score: t.exposeFloat('score'),
      level: t.exposeString('level'),
      suspendRecommended: t.exposeBoolean('suspendRecommended'),
      factors: t.field({ type: [CreditFactorRef], resolve: (c) => c.factors }),
    }),
  });
const CreditEventRef = builder.objectRef<AgencyDoc['credit'][number]>('CreditEvent').implement({
  fields: (t) => ({
    kind: t.exposeString('kind'),
    at: t.exposeString('at'),
    ref: t.exposeString('ref', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

export const AgencyRef = builder.objectRef<AgencyDoc>('Agency').implement({
  description: '消防技术服务机构: a third-party assessment agency',
  fields: (t) => ({
    id: t.exposeID('_id'),
    name: t.exposeString('name'),
    creditCode: t.exposeString('creditCode', { description: '统一社会信用代码' }),
    qualification: t.exposeString('qualification'),
    status: t.exposeString('status'),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    contactPhone: t.string({
      nullable: true,
      resolve: (a, _x, ctx) =>
        a.contactPhone ? (canSeePersonalData(who(ctx).role) ? a.contactPhone : maskMobile(a.contactPhone)) : null,
    }),
    engineers: t.field({ type: [EngineerRef], resolve: (a) => a.engineers }),
    contracts: t.field({ type: [ContractRef], resolve: (a) => a.contracts }),
    clients: t.field({ type: [ClientRef], resolve: (a) => a.clients }),
    credit: t.field({ type: CreditRef, resolve: (a, _x, ctx) => ctx.services.agencies.credit(a) }),
    creditHistory: t.field({ type: [CreditEventRef], resolve: (a) => [...a.credit].reverse() }),
  }),
});

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
const AuditRef = builder.objectRef<NonNullable<AssessmentDoc['audit']>>('AssessmentAudit').implement({
  description: '抽查: the government re-inspection compared with the agency’s findings',
  fields: (t) => ({
    outcome: t.exposeString('outcome'),
    explanation: t.exposeString('explanation'),
    recordedAt: t.exposeString('recordedAt'),
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

export const AssessmentRef = builder.objectRef<AssessmentDoc>('Assessment');
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
    audit: t.field({ type: AuditRef, nullable: true, resolve: (a) => a.audit ?? null }),
    withdrawnReason: t.exposeString('withdrawnReason', { nullable: true }),
    createdAt: t.exposeString('createdAt'),
  }),
});

builder.queryFields((t) => ({
  agencies: t.field({ type: [AgencyRef], resolve: (_r, _a, ctx) => ctx.services.agencies.list(who(ctx)) }),
  agency: t.field({
    type: AgencyRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.agencies.byId(who(ctx), String(id)),
  }),
  assessment: t.field({
    type: AssessmentRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.views.byId(who(ctx), String(id)),
  }),
  auditQueue: t.field({
    type: [AssessmentRef],
    description: '抽查: sampled assessments awaiting government re-inspection',
    resolve: (_r, _a, ctx) => ctx.services.views.auditQueue(who(ctx)),
  }),
}));

const ClientSecretRef = builder
  .objectRef<{ clientId: string; clientSecret: string; oldSecretsValidUntil?: string }>('AgencyClientSecret')
  .implement({
    description: 'Shown once: store the secret in the agency’s system now',
    fields: (t) => ({
      clientId: t.exposeString('clientId'),
      clientSecret: t.exposeString('clientSecret'),
      oldSecretsValidUntil: t.exposeString('oldSecretsValidUntil', { nullable: true }),
    }),
  });

const AgencyInput = builder.inputType('RegisterAgencyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    creditCode: t.string({ required: true }),
    qualification: t.string({ required: true, description: 'class_1, class_2 or provisional' }),
    contactPhone: t.string({ required: false }),
  }),
});
const EngineerInput = builder.inputType('RegisterEngineerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    licenceNo: t.string({ required: true }),
    validFrom: t.string({ required: true }),
    validUntil: t.string({ required: true }),
  }),
});
const ContractInput = builder.inputType('RegisterContractInput', {
  fields: (t) => ({
    agencyId: t.string({ required: true }),
    unitIds: t.stringList({ required: false }),
    jurisdictionCodes: t.stringList({ required: false }),
    validFrom: t.string({ required: true }),
    validUntil: t.string({ required: true }),
  }),
});
const AuditFindingInput = builder.inputType('AuditFindingInput', {
  fields: (t) => ({ category: t.string({ required: true }), severity: t.string({ required: true }) }),
});

builder.mutationFields((t) => ({
  registerAgency: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: AgencyInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.agencies.register(who(ctx), dropNulls(input)),
  }),
  registerFireEngineer: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { agencyId: t.arg.id({ required: true }), input: t.arg({ type: EngineerInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.registerEngineer(who(ctx), String(a.agencyId), dropNulls(a.input)),
  }),
  registerAgencyContract: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: ContractInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.agencies.registerContract(who(ctx), dropNulls(input)),
  }),
  setAgencyStatus: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    description: 'active, suspended (pushes refused) or revoked',
    args: {
      agencyId: t.arg.id({ required: true }),
      status: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.agencies.setStatus(who(ctx), String(a.agencyId), { status: a.status, reason: a.reason }),
  }),
  createAgencyApiClient: t.field({
    type: ClientSecretRef,
    errors: { types: [AppError] },
    args: { agencyId: t.arg.id({ required: true }), label: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.createClient(who(ctx), String(a.agencyId), a.label),
  }),
  rotateAgencyClientSecret: t.field({
    type: ClientSecretRef,
    errors: { types: [AppError] },
    description: 'A new secret; the old ones keep working for overlapHours (1–720)',
    args: { clientId: t.arg.string({ required: true }), overlapHours: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.rotateSecret(who(ctx), a.clientId, a.overlapHours),
  }),
  revokeAgencyApiClient: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    description: 'Its tokens stop working at once on this replica, within 2 s on others',
    args: { clientId: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.revokeClient(who(ctx), a.clientId),
  }),
  recordAgencyComplaint: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: {
      agencyId: t.arg.id({ required: true }),
      upheld: t.arg.boolean({ required: true }),
      detail: t.arg.string({ required: true }),
    },
    resolve: (_r, a, ctx) => ctx.services.agencies.recordComplaint(who(ctx), String(a.agencyId), a.upheld, a.detail),
  }),
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
      ctx.services.agencies.recordAudit(who(ctx), String(a.assessmentId), dropNulls({ findings: a.findings, notes: a.notes })),
  }),
}));
