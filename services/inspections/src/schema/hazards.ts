import { ESCALATION_LEVELS, HAZARD_SOURCES } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { ESCALATION_LEVEL_LABELS } from '../domain/escalation.ts';
import type { HazardDoc } from '../store/models.ts';
import { who, type GraphContext } from './context.ts';
import { builder, DeterminationRef, HazardGradeEnum, HazardRef, RecordHazardInput } from './refs.ts';
import { UnitRef } from './units.ts';

// 火灾隐患: the hazard, its rectification steps, grading and escalation (queues.ts lists them).

const HazardStatusEnum = builder.enumType('HazardStatus', {
  values: enumValues(['open', 'rectifying', 'awaiting_reinspection', 'closed', 'dismissed'], {
    open: { zh: '待整改', en: 'Open, no order yet' },
    rectifying: { zh: '整改中', en: 'Being rectified' },
    awaiting_reinspection: { zh: '待复查', en: 'Awaiting re-inspection' },
    closed: { zh: '已销号', en: 'Closed after re-inspection' },
    dismissed: { zh: '不构成隐患', en: 'Dismissed' },
  }),
});
const EscalationLevelEnum = builder.enumType('EscalationLevel', {
  values: enumValues(ESCALATION_LEVELS, ESCALATION_LEVEL_LABELS),
});
const HazardSourceEnum = builder.enumType('HazardSource', {
  values: enumValues(HAZARD_SOURCES, {
    inspection: { zh: '检查发现', en: 'Found by an inspection' },
    citizen_report: { zh: '群众举报', en: 'Reported by a citizen' },
    assessment: { zh: '第三方评估发现', en: 'Found by a third-party assessment' },
    sensor: { zh: '物联网监测发现', en: 'Raised by IoT monitoring (persistent device fault)' },
    drill: { zh: '演练发现', en: 'Found during a drill' },
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
export const EscalationRef = builder.objectRef<HazardDoc['escalation']>('Escalation').implement({
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

builder.queryFields((t) => ({
  hazard: t.field({
    type: HazardRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.hazards.byId(who(ctx), String(id)),
  }),
}));

/** A rectification step on one hazard; `expectedVersion` makes a stale caller's step a CONFLICT. */
const step = (
  ctx: GraphContext,
  a: { hazardId: string | number; expectedVersion?: number | null },
  command: Record<string, unknown>,
) => ctx.services.hazards.command(who(ctx), String(a.hazardId), dropNulls(command), a.expectedVersion ?? undefined);

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
      step(ctx, a, { kind: 'issue_order', deadline: a.deadline, responsibleParty: a.responsibleParty, measures: a.measures }),
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
    resolve: (_r, a, ctx) => step(ctx, a, { kind: 'report_rectified', notes: a.notes }),
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
    resolve: (_r, a, ctx) => step(ctx, a, { kind: 'reinspect', passed: a.passed, notes: a.notes, newDeadline: a.newDeadline }),
  }),
  dismissHazard: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description: 'Not a hazard after all (only before an order is issued)',
    args: { hazardId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => step(ctx, a, { kind: 'dismiss', reason: a.reason }),
  }),
  determineHazardGrade: t.field({
    type: HazardRef,
    errors: { types: [AppError] },
    description:
      'GB 35181 determination under the edition in force today, with the county’s procedure (集体讨论, 专家论证); regrades the hazard when the outcome differs',
    args: {
      hazardId: t.arg.id({ required: true }),
      factorCodes: t.arg.stringList({ required: false }),
      exclusions: t.arg.stringList({ required: false }),
      correctedOnSite: t.arg.stringList({ required: false, description: 'Factor codes corrected on the spot: not counted' }),
      premisesClasses: t.arg.stringList({
        required: false,
        description:
          'The premises classes as judged on site (crowded, dangerous_goods, important, public_venue, children_elderly_medical, labour_intensive, mixed_use, residential, other); default from the unit’s category',
      }),
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
