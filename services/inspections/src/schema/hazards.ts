import { AppError } from '@firegov/kit';
import { COMPREHENSIVE_FACTORS, DIRECT_FACTORS, type HazardFactor } from '../domain/gb35181.ts';
import { QUEUES, type Queue, type QueueStats } from '../service/queues.ts';
import type { HazardDoc, InspectionDoc } from '../store/models.ts';
import { builder } from './builder.ts';
import { dropNulls, enumValues, PageInfoRef, pageSize } from './common.ts';
import { who } from './context.ts';
import { InspectionRef } from './records.ts';

const HazardStatusEnum = builder.enumType('HazardStatus', {
  values: enumValues(['open', 'rectifying', 'awaiting_reinspection', 'closed', 'dismissed'], {
    open: { zh: '待整改', en: 'Open, no order yet' },
    rectifying: { zh: '整改中', en: 'Being rectified' },
    awaiting_reinspection: { zh: '待复查', en: 'Awaiting re-inspection' },
    closed: { zh: '已销号', en: 'Closed after re-inspection' },
    dismissed: { zh: '不构成隐患', en: 'Dismissed' },
  }),
});
const HazardGradeEnum = builder.enumType('HazardGrade', {
  values: enumValues(['general', 'major'], {
    general: { zh: '一般火灾隐患', en: 'General fire hazard' },
    major: { zh: '重大火灾隐患', en: 'Major fire hazard (GB 35181)' },
  }),
});
const EscalationLevelEnum = builder.enumType('EscalationLevel', {
  values: enumValues(['none', 'overdue', 'township_supervision', 'county_supervision'], {
    none: { zh: '正常', en: 'On time' },
    overdue: { zh: '逾期', en: 'Overdue' },
    township_supervision: { zh: '乡镇挂牌督办', en: 'Listed supervision, township' },
    county_supervision: { zh: '县级挂牌督办', en: 'Listed supervision, county' },
  }),
});
const HazardSourceEnum = builder.enumType('HazardSource', {
  values: enumValues(['inspection', 'citizen_report', 'assessment', 'sensor']),
});
export const QueueEnum = builder.enumType('HazardQueue', {
  description: '工作台账: which work queue',
  values: enumValues(QUEUES),
});

const FactorRef = builder.objectRef<HazardFactor>('HazardFactor').implement({
  description: 'A GB 35181 determination factor (直接判定要素 or 综合判定要素)',
  fields: (t) => ({
    code: t.exposeString('code'),
    kind: t.exposeString('kind'),
    area: t.exposeString('area'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
  }),
});

const DeterminationRef = builder.objectRef<HazardDoc['determination']>('Determination').implement({
  description: '重大火灾隐患判定 (GB 35181): the basis, the factors and the rule that decided',
  fields: (t) => ({
    grade: t.field({ type: HazardGradeEnum, resolve: (d) => d.grade }),
    basis: t.exposeString('basis'),
    matched: t.field({ type: [FactorRef], resolve: (d) => d.matched }),
    threshold: t.int({ nullable: true, resolve: (d) => d.rule?.threshold ?? null }),
    count: t.int({ nullable: true, resolve: (d) => d.rule?.count ?? null }),
    explanation: t.exposeString('explanation'),
  }),
});

const OrderRef = builder.objectRef<NonNullable<HazardDoc['state']['order']>>('RectificationOrder').implement({
  description: '整改通知 / 责令限期改正',
  fields: (t) => ({
    deadline: t.exposeString('deadline'),
    responsibleParty: t.exposeString('responsibleParty'),
    measures: t.exposeString('measures', { nullable: true }),
    issuedAt: t.exposeString('issuedAt'),
    issuedBy: t.exposeString('issuedBy'),
    round: t.exposeInt('round'),
  }),
});
const ReinspectionRef = builder.objectRef<HazardDoc['state']['reinspections'][number]>('Reinspection').implement({
  description: '复查',
  fields: (t) => ({
    at: t.exposeString('at'),
    by: t.exposeString('by'),
    passed: t.exposeBoolean('passed'),
    notes: t.exposeString('notes', { nullable: true }),
    round: t.exposeInt('round'),
  }),
});
const InterviewRef = builder.objectRef<HazardDoc['escalation']['interviews'][number]>('WarningInterview').implement({
  description: '警示约谈',
  fields: (t) => ({
    at: t.exposeString('at'),
    by: t.exposeString('by'),
    interviewee: t.exposeString('interviewee'),
    level: t.exposeString('level'),
    notes: t.exposeString('notes', { nullable: true }),
  }),
});
const EscalationRef = builder.objectRef<HazardDoc['escalation']>('Escalation').implement({
  fields: (t) => ({
    level: t.field({ type: EscalationLevelEnum, resolve: (e) => e.level }),
    overdueSince: t.exposeString('overdueSince', { nullable: true }),
    townshipListedAt: t.exposeString('townshipListedAt', { nullable: true }),
    countyListedAt: t.exposeString('countyListedAt', { nullable: true }),
    reminders: t.exposeInt('reminders'),
    lastReminderAt: t.exposeString('lastReminderAt', { nullable: true }),
    interviews: t.field({ type: [InterviewRef], resolve: (e) => e.interviews }),
  }),
});
const EvidenceRef = builder.objectRef<{ url: string; sha256: string }>('Evidence').implement({
  fields: (t) => ({ url: t.exposeString('url'), sha256: t.exposeString('sha256') }),
});

/** The registry's Unit, extended with what this service knows about it. */
export const UnitRef = builder.externalRef('Unit', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    openHazardCount: t.int({
      nullable: true,
      description: 'Hazards not yet closed (null when the unit is outside your jurisdiction)',
      resolve: (u, _a, ctx) => ctx.loaders.openCount.load(u.id),
    }),
    hazards: t.field({
      type: [HazardRef],
      description: 'Newest first',
      args: { openOnly: t.arg.boolean({ required: false }), first: t.arg.int({ required: false }) },
      resolve: (u, args, ctx) =>
        ctx.loaders.unitHazards.load({ unitId: u.id, openOnly: args.openOnly ?? false, limit: pageSize(args.first) }),
    }),
    inspections: t.field({
      type: [InspectionRef],
      description: 'Newest first',
      args: { first: t.arg.int({ required: false }) },
      resolve: (u, args, ctx): Promise<InspectionDoc[]> =>
        ctx.loaders.unitInspections.load({ unitId: u.id, limit: pageSize(args.first) }),
    }),
  }),
});

export const HazardRef = builder.objectRef<HazardDoc>('Hazard');
HazardRef.implement({
  description: '火灾隐患: a hazard from any source, rectified on a deadline and closed only by a passed re-inspection',
  fields: (t) => ({
    id: t.exposeID('_id'),
    version: t.exposeInt('version'),
    unit: t.field({
      type: UnitRef,
      description: 'The registry unit (resolved by the entities service)',
      resolve: (h) => ({ id: h.unitId }),
    }),
    unitName: t.string({ description: 'The unit’s name when the hazard was found', resolve: (h) => h.unit.name }),
    villageCode: t.exposeString('villageCode'),
    villageName: t.string({ resolve: (h) => h.unit.villageName }),
    source: t.field({ type: HazardSourceEnum, resolve: (h) => h.source }),
    sourceRef: t.string({ nullable: true, resolve: (h) => (h.sourceRef ? `${h.sourceRef.kind}:${h.sourceRef.id}` : null) }),
    campaignKey: t.exposeString('campaignKey', { nullable: true }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    location: t.exposeString('location', { nullable: true }),
    grade: t.field({ type: HazardGradeEnum, resolve: (h) => h.state.grade }),
    gradeDecidedBy: t.exposeString('gradeDecidedBy'),
    determination: t.field({ type: DeterminationRef, resolve: (h) => h.determination }),
    status: t.field({ type: HazardStatusEnum, resolve: (h) => h.state.status }),
    round: t.int({ resolve: (h) => h.state.round }),
    order: t.field({ type: OrderRef, nullable: true, resolve: (h) => h.state.order ?? null }),
    deadline: t.string({ nullable: true, resolve: (h) => h.state.order?.deadline ?? null }),
    orders: t.field({ type: [OrderRef], resolve: (h) => h.state.orders }),
    reinspections: t.field({ type: [ReinspectionRef], resolve: (h) => h.state.reinspections }),
    escalation: t.field({ type: EscalationRef, resolve: (h) => h.escalation }),
    evidence: t.field({ type: [EvidenceRef], resolve: (h) => h.evidence }),
    foundAt: t.exposeString('foundAt'),
    closedAt: t.string({ nullable: true, resolve: (h) => h.state.closedAt ?? null }),
    dismissedReason: t.string({ nullable: true, resolve: (h) => h.state.dismissedReason ?? null }),
    demo: t.exposeBoolean('demo'),
  }),
});

const HazardConnectionRef = builder
  .objectRef<{ nodes: HazardDoc[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }>(
    'HazardConnection',
  )
  .implement({
    fields: (t) => ({
      totalCount: t.int({ resolve: (p) => p.totalCount() }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
      nodes: t.field({ type: [HazardRef], resolve: (p) => p.nodes }),
    }),
  });

const StatsRef = builder.objectRef<QueueStats & { campaignKey?: string; openEnforcementCases?: number; cleared?: boolean }>(
  'HazardStatistics',
);
StatsRef.implement({
  description: 'Found, rectified (closed after re-inspection), open, overdue and listed, with the rectification rate',
  fields: (t) => ({
    jurisdictionCode: t.exposeString('code'),
    name: t.exposeString('name'),
    campaignKey: t.exposeString('campaignKey', { nullable: true }),
    found: t.exposeInt('found'),
    rectified: t.exposeInt('rectified'),
    open: t.exposeInt('open'),
    openMajor: t.exposeInt('openMajor'),
    overdue: t.exposeInt('overdue'),
    listed: t.exposeInt('listed'),
    rectificationRate: t.exposeFloat('rectificationRate', { nullable: true }),
    openEnforcementCases: t.exposeInt('openEnforcementCases', { nullable: true }),
    cleared: t.exposeBoolean('cleared', { nullable: true, description: '清零: nothing open and no open enforcement case' }),
  }),
});

builder.queryFields((t) => ({
  hazard: t.field({
    type: HazardRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.hazards.byId(who(ctx), String(id)),
  }),
  hazardQueue: t.field({
    type: HazardConnectionRef,
    description:
      'Work queues per jurisdiction: OVERDUE (deadline passed, oldest first), DUE_SOON (within `withinDays`, default 7), LISTED (挂牌督办), AWAITING_REINSPECTION, OPEN, CLOSED',
    args: {
      queue: t.arg({ type: QueueEnum, required: true }),
      jurisdictionCode: t.arg.string({ required: false }),
      withinDays: t.arg.int({ required: false }),
      first: t.arg.int({ required: false }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      ctx.services.queues.queue(who(ctx), {
        queue: args.queue as Queue,
        jurisdictionCode: args.jurisdictionCode ?? null,
        withinDays: args.withinDays ?? null,
        first: pageSize(args.first),
        after: args.after ?? null,
      }),
  }),
  hazardStatistics: t.field({
    type: [StatsRef],
    description: 'Per village (under a township) or per township (under a county); optionally within one campaign',
    args: { jurisdictionCode: t.arg.string({ required: false }), campaignKey: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.byJurisdiction(who(ctx), args.jurisdictionCode, args.campaignKey),
  }),
  campaignStatistics: t.field({
    type: [StatsRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.byCampaign(who(ctx), args.jurisdictionCode),
  }),
  clearToZero: t.field({
    type: [StatsRef],
    description: '清零: what is still open in the jurisdiction (first row) and under each child jurisdiction',
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.queues.clearToZero(who(ctx), args.jurisdictionCode),
  }),
  majorHazardFactors: t.field({
    type: [FactorRef],
    description: 'GB 35181 factor catalogue: direct factors, then comprehensive factors',
    resolve: (_r, _a, ctx) => {
      who(ctx);
      return [...DIRECT_FACTORS, ...COMPREHENSIVE_FACTORS];
    },
  }),
}));

const EvidenceInput = builder.inputType('EvidenceInput', {
  fields: (t) => ({ url: t.string({ required: true }), sha256: t.string({ required: true }) }),
});

export const RecordHazardInput = builder.inputType('RecordHazardInput', {
  fields: (t) => ({
    unitId: t.string({ required: true }),
    title: t.string({ required: true }),
    description: t.string({ required: true }),
    location: t.string({ required: false }),
    campaignKey: t.string({ required: false }),
    factorCodes: t.stringList({ required: false, description: 'GB 35181 factor codes found' }),
    exclusions: t.stringList({ required: false }),
    evidence: t.field({ type: [EvidenceInput], required: false }),
  }),
});

const DiscussionInput = builder.inputType('CollectiveDiscussionInput', {
  description: '集体讨论 (≥ 3 participants)',
  fields: (t) => ({
    participants: t.stringList({ required: true }),
    conclusion: t.field({ type: HazardGradeEnum, required: true }),
    notes: t.string({ required: false }),
  }),
});
const PanelInput = builder.inputType('ExpertPanelInput', {
  description: '专家论证 (≥ 7 experts; major when at least two thirds agree)',
  fields: (t) => ({
    experts: t.stringList({ required: true }),
    votesMajor: t.int({ required: true }),
    notes: t.string({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  recordHazard: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: 'A hazard found outside a checklist; graded by GB 35181 from its factor codes',
    args: { input: t.arg({ type: RecordHazardInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.hazards.record(who(ctx), dropNulls(input)),
  }),
  issueRectificationOrder: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: '责令限期改正: open → rectifying',
    args: {
      hazardId: t.arg.id({ required: true }),
      deadline: t.arg.string({ required: true }),
      responsibleParty: t.arg.string({ required: true }),
      measures: t.arg.string({ required: false }),
      expectedVersion: t.arg.int({ required: false }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.hazards.command(
        who(ctx),
        String(a.hazardId),
        dropNulls({ kind: 'issue_order', deadline: a.deadline, responsibleParty: a.responsibleParty, measures: a.measures }),
        a.expectedVersion ?? undefined,
      ),
  }),
  reportRectified: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: 'The responsible party says it is fixed: rectifying → awaiting re-inspection',
    args: {
      hazardId: t.arg.id({ required: true }),
      notes: t.arg.string({ required: false }),
      expectedVersion: t.arg.int({ required: false }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.hazards.command(
        who(ctx),
        String(a.hazardId),
        dropNulls({ kind: 'report_rectified', notes: a.notes }),
        a.expectedVersion ?? undefined,
      ),
  }),
  reinspectHazard: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: '复查: passed closes the hazard (销号); failed reopens it with `newDeadline`',
    args: {
      hazardId: t.arg.id({ required: true }),
      passed: t.arg.boolean({ required: true }),
      notes: t.arg.string({ required: false }),
      newDeadline: t.arg.string({ required: false }),
      expectedVersion: t.arg.int({ required: false }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.hazards.command(
        who(ctx),
        String(a.hazardId),
        dropNulls({ kind: 'reinspect', passed: a.passed, notes: a.notes, newDeadline: a.newDeadline }),
        a.expectedVersion ?? undefined,
      ),
  }),
  dismissHazard: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: 'Not a hazard after all (only before an order is issued)',
    args: { hazardId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.hazards.command(who(ctx), String(a.hazardId), { kind: 'dismiss', reason: a.reason }),
  }),
  determineHazardGrade: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: 'GB 35181 determination with its procedure (集体讨论, 专家论证); regrades the hazard when the outcome differs',
    args: {
      hazardId: t.arg.id({ required: true }),
      factorCodes: t.arg.stringList({ required: false }),
      exclusions: t.arg.stringList({ required: false }),
      discussion: t.arg({ type: DiscussionInput, required: false }),
      expertPanel: t.arg({ type: PanelInput, required: false }),
      expectedVersion: t.arg.int({ required: false }),
    },
    resolve: (_r, a, ctx) => {
      const { hazardId, ...rest } = a;
      return ctx.services.hazards.determine(who(ctx), String(hazardId), dropNulls(rest));
    },
  }),
  recordWarningInterview: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: '警示约谈 of a hazard under listed supervision',
    args: {
      hazardId: t.arg.id({ required: true }),
      interviewee: t.arg.string({ required: true }),
      level: t.arg.string({ required: true, description: 'township or county' }),
      notes: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => {
      const { hazardId, ...rest } = a;
      return ctx.services.hazards.interview(who(ctx), String(hazardId), dropNulls(rest));
    },
  }),
}));
