import { AppError } from '@firegov/kit';
import { maskMobile, maskName } from '@firegov/contracts';
import { canSeePersonalData } from '@firegov/auth';
import { InspectionKind } from '../domain/inspection.ts';
import { ReportCategory } from '../domain/reports.ts';
import type { CampaignDoc, EnforcementDoc, IncidentDoc, InspectionDoc, ReportDoc } from '../store/models.ts';
import { builder } from './builder.ts';
import { dropNulls, enumValues } from './common.ts';
import { who } from './context.ts';
import { HazardRef, RecordHazardInput } from './hazards.ts';

const InspectionKindEnum = builder.enumType('InspectionKind', {
  values: enumValues(InspectionKind.values, InspectionKind.labels),
});
const ReportCategoryEnum = builder.enumType('ReportCategory', {
  values: enumValues(ReportCategory.values, ReportCategory.labels),
});

const ChecklistItemRef = builder.objectRef<CampaignDoc['checklist'][number]>('ChecklistItem').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
    factorCode: t.exposeString('factorCode', { nullable: true }),
  }),
});

const CampaignRef = builder.objectRef<CampaignDoc>('Campaign').implement({
  description: '专项行动: target categories, jurisdiction, period and the checklist inspectors use',
  fields: (t) => ({
    key: t.exposeID('_id'),
    nameZh: t.string({ resolve: (c) => c.name.zh }),
    nameEn: t.string({ resolve: (c) => c.name.en }),
    targetCategories: t.exposeStringList('targetCategories'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    from: t.string({ resolve: (c) => c.period.from }),
    to: t.string({ resolve: (c) => c.period.to }),
    checklist: t.field({ type: [ChecklistItemRef], resolve: (c) => c.checklist }),
    basis: t.exposeString('basis', { nullable: true }),
    seed: t.exposeBoolean('seed'),
  }),
});

const ResultRef = builder.objectRef<InspectionDoc['results'][number]>('ChecklistResult').implement({
  fields: (t) => ({
    itemCode: t.exposeString('itemCode'),
    outcome: t.exposeString('outcome'),
    note: t.exposeString('note', { nullable: true }),
    factorCodes: t.stringList({ resolve: (r) => r.factorCodes ?? [] }),
  }),
});

export const InspectionRef = builder.objectRef<InspectionDoc>('Inspection');
InspectionRef.implement({
  description: '检查 (自查, 排查, 核查, 明查暗访, 联合检查); unit name and village as they were at the time',
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeString('unitId'),
    unitName: t.string({ resolve: (i) => i.unit.name }),
    villageCode: t.string({ resolve: (i) => i.unit.villageCode }),
    villageName: t.string({ resolve: (i) => i.unit.villageName }),
    kind: t.field({ type: InspectionKindEnum, resolve: (i) => i.kind as never }),
    campaignKey: t.exposeString('campaignKey', { nullable: true }),
    inspectedAt: t.exposeString('inspectedAt'),
    inspectors: t.exposeStringList('inspectors'),
    results: t.field({ type: [ResultRef], resolve: (i) => i.results }),
    hazards: t.field({
      type: [HazardRef],
      resolve: async (i, _a, ctx) => (await ctx.services.hazards.byIds(who(ctx), i.hazardIds)).filter((h) => h !== null),
    }),
  }),
});

const NoteRef = builder.objectRef<ReportDoc['notes'][number]>('ReportNote').implement({
  fields: (t) => ({ at: t.exposeString('at'), status: t.exposeString('status'), note: t.exposeString('note') }),
});
const RewardRef = builder.objectRef<NonNullable<ReportDoc['reward']>>('RewardEligibility').implement({
  description: '有奖举报',
  fields: (t) => ({
    eligible: t.exposeBoolean('eligible'),
    reason: t.exposeString('reason'),
    tier: t.exposeString('tier', { nullable: true }),
  }),
});
const ReportRef = builder.objectRef<ReportDoc>('CitizenReport').implement({
  description:
    '举报投诉 / 吹哨人. Contact details are masked for roles that do not work with people; anonymous reports have none.',
  fields: (t) => ({
    id: t.exposeID('_id'),
    category: t.field({ type: ReportCategoryEnum, resolve: (r) => r.category as never }),
    description: t.exposeString('description'),
    address: t.string({ nullable: true, resolve: (r) => r.location.address ?? null }),
    lat: t.float({ nullable: true, resolve: (r) => r.location.lat ?? null }),
    lng: t.float({ nullable: true, resolve: (r) => r.location.long ?? null }),
    anonymous: t.exposeBoolean('anonymous'),
    whistleblower: t.exposeBoolean('whistleblower'),
    contactName: t.string({
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.contact?.name ? (canSeePersonalData(who(ctx).role) ? r.contact.name : maskName(r.contact.name)) : null,
    }),
    contactPhone: t.string({
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.contact ? (canSeePersonalData(who(ctx).role) ? r.contact.phone : maskMobile(r.contact.phone)) : null,
    }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    status: t.exposeString('status'),
    notes: t.field({ type: [NoteRef], resolve: (r) => r.notes }),
    hazardId: t.exposeString('hazardId', { nullable: true }),
    closeReason: t.exposeString('closeReason', { nullable: true }),
    reward: t.field({ type: RewardRef, nullable: true, resolve: (r) => r.reward ?? null }),
    receivedAt: t.exposeString('receivedAt'),
  }),
});

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
  }),
});

builder.queryFields((t) => ({
  campaigns: t.field({ type: [CampaignRef], resolve: (_r, _a, ctx) => ctx.services.campaigns.list(who(ctx)) }),
  inspection: t.field({
    type: InspectionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.inspections.byId(who(ctx), String(id)),
  }),
  citizenReports: t.field({
    type: [ReportRef],
    description: 'Newest first, at most 200',
    args: { jurisdictionCode: t.arg.string({ required: false }), status: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.reports.list(who(ctx), args),
  }),
  citizenReport: t.field({
    type: ReportRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.reports.byId(who(ctx), String(id)),
  }),
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

const ChecklistItemInput = builder.inputType('ChecklistItemInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    zh: t.string({ required: true }),
    en: t.string({ required: true }),
    factorCode: t.string({ required: false }),
  }),
});
const DefineCampaignInput = builder.inputType('DefineCampaignInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    nameZh: t.string({ required: true }),
    nameEn: t.string({ required: true }),
    targetCategories: t.stringList({ required: true }),
    jurisdictionCode: t.string({ required: true }),
    from: t.string({ required: true }),
    to: t.string({ required: true }),
    checklist: t.field({ type: [ChecklistItemInput], required: true }),
    basis: t.string({ required: false }),
  }),
});
const EvidenceRefInput = builder.inputType('InspectionEvidenceInput', {
  fields: (t) => ({ url: t.string({ required: true }), sha256: t.string({ required: true }) }),
});
const ResultInput = builder.inputType('ChecklistResultInput', {
  fields: (t) => ({
    itemCode: t.string({ required: true }),
    outcome: t.string({ required: true, description: 'pass, fail or not_applicable' }),
    note: t.string({ required: false }),
    factorCodes: t.stringList({ required: false }),
    evidence: t.field({ type: [EvidenceRefInput], required: false }),
  }),
});
const RecordInspectionInput = builder.inputType('RecordInspectionInput', {
  fields: (t) => ({
    unitId: t.string({ required: true }),
    kind: t.field({ type: InspectionKindEnum, required: true }),
    campaignKey: t.string({ required: false }),
    inspectedAt: t.string({ required: true }),
    inspectors: t.stringList({ required: true }),
    results: t.field({ type: [ResultInput], required: true }),
  }),
});
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
  }),
});

builder.mutationFields((t) => ({
  defineCampaign: t.field({
    type: CampaignRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: DefineCampaignInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      const { nameZh, nameEn, from, to, ...rest } = dropNulls(input);
      return ctx.services.campaigns.define(who(ctx), { ...rest, name: { zh: nameZh, en: nameEn }, period: { from, to } });
    },
  }),
  recordInspection: t.field({
    type: InspectionRef,
    errors: { types: [AppError] },
    description: 'Records an inspection; every failed item becomes a hazard graded by GB 35181',
    args: { input: t.arg({ type: RecordInspectionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => (await ctx.services.inspections.record(who(ctx), dropNulls(input))).inspection,
  }),
  triageCitizenReport: t.field({
    type: ReportRef,
    errors: { types: [AppError] },
    description: '分拣: give `hazard` to turn the report into a hazard, or `closeReason` to close it',
    args: {
      reportId: t.arg.id({ required: true }),
      hazard: t.arg({ type: RecordHazardInput, required: false }),
      closeReason: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => {
      if ((a.hazard ? 1 : 0) + (a.closeReason ? 1 : 0) !== 1) {
        throw new AppError('VALIDATION_FAILED', 'give exactly one of hazard or closeReason', {
          details: [{ path: '$.hazard', reason: 'exactly one of hazard and closeReason is required' }],
        });
      }
      const decision = a.hazard ? { kind: 'to_hazard', hazard: dropNulls(a.hazard) } : { kind: 'close', reason: a.closeReason };
      return ctx.services.reports.triage(who(ctx), String(a.reportId), decision);
    },
  }),
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
}));
