import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import { obligationsOf } from '../domain/cases.ts';
import type { EnforcementDoc, IncidentDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 执法 (enforcement cases opened from hazards) and 火灾事故 with their investigation (事故调查).

const EnforcementRef = builder.objectRef<EnforcementDoc>('EnforcementCase').implement({
  description: '执法 case opened from a hazard',
  fields: (t) => ({
    id: t.exposeID('_id'),
    hazardId: t.exposeString('hazardId'),
    unitId: t.exposeString('unitId'),
    status: t.exposeString('status'),
    basis: t.exposeString('basis'),
    measures: t.exposeStringList('measures'),
    fineYuan: t.exposeInt('fineYuan', { nullable: true }),
    decidedAt: t.exposeString('decidedAt', { nullable: true }),
    outcome: t.exposeString('outcome', { nullable: true }),
    openedAt: t.exposeString('openedAt'),
    closedAt: t.exposeString('closedAt', { nullable: true }),
    delegated: t.boolean({
      description: 'Opened by a township under a delegation (委托执法), not by the county or brigade',
      resolve: (c) => c.authority?.kind === 'delegated',
    }),
    delegationIds: t.stringList({ resolve: (c) => (c.authority?.kind === 'delegated' ? c.authority.delegationIds : []) }),
  }),
});

const AccountabilityRef = builder.objectRef<IncidentDoc['accountability'][number]>('Accountability').implement({
  fields: (t) => ({ party: t.exposeString('party'), measure: t.exposeString('measure') }),
});
const IncidentRef = builder.objectRef<IncidentDoc>('FireIncident').implement({
  description: '火灾事故 and its investigation (事故调查) with accountability (责任追究)',
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeString('unitId'),
    unitName: t.string({ resolve: (i) => i.unit.name }),
    occurredAt: t.exposeString('occurredAt'),
    cause: t.exposeString('cause', { nullable: true }),
    deaths: t.exposeInt('deaths'),
    injuries: t.exposeInt('injuries'),
    directLossYuan: t.exposeFloat('directLossYuan'),
    summary: t.exposeString('summary'),
    severity: t.exposeString('severity'),
    status: t.exposeString('status'),
    investigationLead: t.string({ nullable: true, resolve: (i) => i.investigation?.leadBy ?? null }),
    findings: t.string({ nullable: true, resolve: (i) => i.investigation?.findings ?? null }),
    accountability: t.field({ type: [AccountabilityRef], resolve: (i) => i.accountability }),
    influential: t.boolean({ description: '有影响火灾', resolve: (i) => i.influential === true }),
    mustInvestigate: t.boolean({
      description: '亡人、有影响或较大以上火灾: 调查处理 required before closing',
      resolve: (i) => obligationsOf(i).investigation,
    }),
    upwardNoticeRequired: t.boolean({ description: '较大以上: 处理信息通报', resolve: (i) => obligationsOf(i).upwardNotice }),
    upwardNoticeTo: t.string({ nullable: true, resolve: (i) => i.upwardNotice?.to ?? null }),
    upwardNoticeAt: t.string({ nullable: true, resolve: (i) => i.upwardNotice?.at ?? null }),
    rectificationAssessmentDueBy: t.string({
      nullable: true,
      description: '整改情况评估: due a year after the investigation concluded (较大以上)',
      resolve: (i) => i.rectificationAssessment?.dueBy ?? null,
    }),
    rectificationAssessedAt: t.string({ nullable: true, resolve: (i) => i.rectificationAssessment?.assessedAt ?? null }),
    rectificationFindings: t.string({ nullable: true, resolve: (i) => i.rectificationAssessment?.findings ?? null }),
  }),
});

builder.queryFields((t) => ({
  enforcementCases: t.field({
    type: [EnforcementRef],
    args: { jurisdictionCode: t.arg.string({ required: false }), status: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.cases.enforcementCases(who(ctx), args),
  }),
  fireIncidents: t.field({
    type: [IncidentRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.cases.incidents(who(ctx), args),
  }),
}));

const AccountabilityInput = builder.inputType('AccountabilityInput', {
  fields: (t) => ({ party: t.string({ required: true }), measure: t.string({ required: true }) }),
});
const RecordIncidentInput = builder.inputType('RecordIncidentInput', {
  fields: (t) => ({
    unitId: t.string({ required: true }),
    occurredAt: t.string({ required: true }),
    cause: t.string({ required: false }),
    deaths: t.int({ required: true }),
    injuries: t.int({ required: true }),
    directLossYuan: t.float({ required: true }),
    summary: t.string({ required: true }),
    influential: t.boolean({
      required: false,
      description: '有影响火灾 (no death, but the public noticed): investigated like a fatal one',
    }),
  }),
});

builder.mutationFields((t) => ({
  openEnforcementCase: t.field({
    type: EnforcementRef,
    errors: { types: [AppError] },
    args: { hazardId: t.arg.id({ required: true }), basis: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.openEnforcement(who(ctx), String(a.hazardId), a.basis),
  }),
  decideEnforcementCase: t.field({
    type: EnforcementRef,
    errors: { types: [AppError] },
    args: {
      caseId: t.arg.id({ required: true }),
      measures: t.arg.stringList({ required: true, description: 'warning, fine, suspension, seal_up, detention, other' }),
      fineYuan: t.arg.int({ required: false }),
      note: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => {
      const { caseId, ...decision } = a;
      return ctx.services.cases.decideEnforcement(who(ctx), String(caseId), dropNulls(decision));
    },
  }),
  closeEnforcementCase: t.field({
    type: EnforcementRef,
    errors: { types: [AppError] },
    args: { caseId: t.arg.id({ required: true }), outcome: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.closeEnforcement(who(ctx), String(a.caseId), a.outcome),
  }),
  recordFireIncident: t.field({
    type: IncidentRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RecordIncidentInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.cases.recordIncident(who(ctx), dropNulls(input)),
  }),
  startIncidentInvestigation: t.field({
    type: IncidentRef,
    errors: { types: [AppError] },
    args: { incidentId: t.arg.id({ required: true }), leadBy: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.startInvestigation(who(ctx), String(a.incidentId), a.leadBy),
  }),
  concludeIncidentInvestigation: t.field({
    type: IncidentRef,
    errors: { types: [AppError] },
    args: {
      incidentId: t.arg.id({ required: true }),
      findings: t.arg.string({ required: true }),
      accountability: t.arg({ type: [AccountabilityInput], required: true }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.cases.concludeInvestigation(who(ctx), String(a.incidentId), {
        findings: a.findings,
        accountability: a.accountability,
      }),
  }),
  closeFireIncident: t.field({
    type: IncidentRef,
    errors: { types: [AppError] },
    args: { incidentId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.closeIncident(who(ctx), String(a.incidentId)),
  }),
  reportFireIncidentUpward: t.field({
    type: IncidentRef,
    description: '处理信息通报 of a 较大以上 fire: to whom it was reported',
    errors: { types: [AppError] },
    args: { incidentId: t.arg.id({ required: true }), to: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.notifyUpward(who(ctx), String(a.incidentId), a.to),
  }),
  assessIncidentRectification: t.field({
    type: IncidentRef,
    description: '整改情况评估 of a 较大以上 fire, after its investigation concluded',
    errors: { types: [AppError] },
    args: { incidentId: t.arg.id({ required: true }), findings: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.cases.assessRectification(who(ctx), String(a.incidentId), a.findings),
  }),
}));
