import { maskMobile, maskName } from '@firegov/contracts';
import { AppError, validationFailed } from '@firegov/kit';
import { dropNulls, enumValues, showPersonalData } from '@firegov/service';
import { ReportCategory } from '../domain/reports.ts';
import type { ReportDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder, RecordHazardInput } from './refs.ts';

// 举报投诉 / 吹哨人 as staff see them (the public REST API is http/public-reports.ts), and their triage.

const ReportCategoryEnum = builder.enumType('ReportCategory', {
  values: enumValues(ReportCategory.values, ReportCategory.labels),
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
    category: t.field({ type: ReportCategoryEnum, resolve: (r) => r.category }),
    description: t.exposeString('description'),
    address: t.string({ nullable: true, resolve: (r) => r.location.address ?? null }),
    lat: t.float({ nullable: true, resolve: (r) => r.location.lat ?? null }),
    lng: t.float({ nullable: true, resolve: (r) => r.location.long ?? null }),
    anonymous: t.exposeBoolean('anonymous'),
    whistleblower: t.exposeBoolean('whistleblower'),
    contactName: t.string({
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.contact?.name
          ? showPersonalData(ctx, who(ctx), 'CitizenReport.contactName')
            ? r.contact.name
            : maskName(r.contact.name)
          : null,
    }),
    contactPhone: t.string({
      nullable: true,
      resolve: (r, _a, ctx) =>
        r.contact
          ? showPersonalData(ctx, who(ctx), 'CitizenReport.contactPhone')
            ? r.contact.phone
            : maskMobile(r.contact.phone)
          : null,
    }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    status: t.exposeString('status'),
    notes: t.field({ type: [NoteRef], resolve: (r) => r.notes }),
    hazardId: t.exposeString('hazardId', { nullable: true }),
    closeReason: t.exposeString('closeReason', { nullable: true }),
    reward: t.field({ type: RewardRef, nullable: true, resolve: (r) => r.reward ?? null }),
    rewardPaidYuan: t.int({
      nullable: true,
      description: '举报奖励 paid, in yuan',
      resolve: (r) => r.rewardPaid?.amountYuan ?? null,
    }),
    rewardPaidAt: t.string({ nullable: true, resolve: (r) => r.rewardPaid?.paidAt ?? null }),
    receivedAt: t.exposeString('receivedAt'),
  }),
});

builder.queryFields((t) => ({
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
}));

builder.mutationFields((t) => ({
  recordReportRewardPaid: t.field({
    type: ReportRef,
    errors: { types: [AppError] },
    description: '举报奖励: the reward paid to the reporter of a confirmed hazard (once); the reporter sees the amount',
    args: { reportId: t.arg.id({ required: true }), amountYuan: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.reports.recordRewardPaid(who(ctx), String(a.reportId), a.amountYuan),
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
        throw validationFailed(
          [{ path: '$.hazard', reason: 'exactly one of hazard and closeReason is required' }],
          'give exactly one of hazard or closeReason',
        );
      }
      const decision = a.hazard ? { kind: 'to_hazard', hazard: dropNulls(a.hazard) } : { kind: 'close', reason: a.closeReason };
      return ctx.services.reports.triage(who(ctx), String(a.reportId), decision);
    },
  }),
}));
