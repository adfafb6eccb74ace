import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { CommitteeRole, CommitteeSessionKind, FireWarningKind, sessionSchedule } from '../domain/committees.ts';
import type { CommitteeDoc, CommitteeSessionDoc, FireWarningDoc } from '../store/models.ts';
import { inScope } from '@firegov/auth';
import { who } from './context.ts';
import { builder, phoneFor } from './refs.ts';

// 消安委: committees, the sessions of 双定期 and the 预警提示 sent down to grids.

const CommitteeRoleEnum = builder.enumType('CommitteeRole', {
  values: enumValues(CommitteeRole.values, CommitteeRole.labels),
});
const SessionKindEnum = builder.enumType('CommitteeSessionKind', {
  description: '双定期: meeting = 定期研究, report = 定期报告',
  values: enumValues(CommitteeSessionKind.values, CommitteeSessionKind.labels),
});
const WarningKindEnum = builder.enumType('FireWarningKind', {
  values: enumValues(FireWarningKind.values, FireWarningKind.labels),
});

const MemberRef = builder.objectRef<CommitteeDoc['members'][number]>('CommitteeMember').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.string({ resolve: (m, _a, ctx, info) => phoneFor(ctx, m.phone, info) ?? '' }),
    role: t.field({ type: CommitteeRoleEnum, resolve: (m) => m.role }),
    title: t.exposeString('title', { nullable: true }),
    departmentCode: t.exposeString('departmentCode', { nullable: true }),
  }),
});

const ScheduleRef = builder
  .objectRef<{ last: string | undefined; nextDue: string; overdue: boolean; daysOverdue: number; everyDays: number }>(
    'SessionSchedule',
  )
  .implement({
    description: '双定期 on the clock: due `everyDays` after the last session (or the committee’s setting up)',
    fields: (t) => ({
      everyDays: t.exposeInt('everyDays'),
      lastHeldOn: t.string({ nullable: true, resolve: (s) => s.last ?? null }),
      nextDue: t.exposeString('nextDue'),
      overdue: t.exposeBoolean('overdue'),
      daysOverdue: t.exposeInt('daysOverdue'),
    }),
  });

const DecisionRef = builder.objectRef<CommitteeSessionDoc['decisions'][number]>('CommitteeDecision').implement({
  description: 'A decision of a session: an item of the department’s 任务清单 with the same id',
  fields: (t) => ({
    itemId: t.exposeString('itemId'),
    title: t.exposeString('title'),
    departmentCode: t.exposeString('departmentCode'),
    owner: t.exposeString('owner'),
    deadline: t.exposeString('deadline'),
  }),
});

const SessionRef = builder.objectRef<CommitteeSessionDoc>('CommitteeSession').implement({
  fields: (t) => ({
    id: t.exposeString('sessionId'),
    committeeCode: t.exposeString('committeeCode'),
    kind: t.field({ type: SessionKindEnum, resolve: (s) => s.kind }),
    heldOn: t.exposeString('heldOn'),
    attendees: t.exposeStringList('attendees'),
    minutes: t.exposeString('minutes', { description: '会议纪要' }),
    decisions: t.field({ type: [DecisionRef], resolve: (s) => s.decisions }),
    recordedBy: t.exposeString('recordedBy'),
  }),
});

const schedule = (c: CommitteeDoc, kind: 'meeting' | 'report', now: Date) => {
  const last = kind === 'meeting' ? c.lastMeetingOn : c.lastReportOn;
  const everyDays = kind === 'meeting' ? c.meetingEveryDays : c.reportEveryDays;
  return { last, everyDays, ...sessionSchedule(last, c.createdAt.slice(0, 10), everyDays, now) };
};

const CommitteeRef = builder.objectRef<CommitteeDoc>('Committee').implement({
  description: '消防安全委员会 (消安委) of a township or village',
  fields: (t) => ({
    code: t.exposeString('_id'),
    name: t.exposeString('name'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    members: t.field({ type: [MemberRef], resolve: (c) => c.members }),
    meetings: t.field({
      type: ScheduleRef,
      description: '定期研究',
      resolve: (c, _a, ctx) => schedule(c, 'meeting', ctx.services.registry.now()),
    }),
    reports: t.field({
      type: ScheduleRef,
      description: '定期报告',
      resolve: (c, _a, ctx) => schedule(c, 'report', ctx.services.registry.now()),
    }),
    sessions: t.field({
      type: [SessionRef],
      args: { limit: t.arg.int({ required: false, defaultValue: 10 }) },
      resolve: (c, a, ctx) => ctx.services.registry.committeeSessions(who(ctx), c._id, a.limit ?? 10),
    }),
    version: t.exposeInt('version', { description: 'For updateCommittee(expectedVersion)' }),
  }),
});

const WarningGridRef = builder.objectRef<FireWarningDoc['grids'][number]>('FireWarningGrid').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    acknowledgedAt: t.exposeString('acknowledgedAt', { nullable: true }),
    acknowledgedBy: t.exposeString('acknowledgedBy', { nullable: true }),
  }),
});

const WarningRef = builder.objectRef<FireWarningDoc>('FireWarning').implement({
  description: '预警提示 sent down to every grid under a jurisdiction',
  fields: (t) => ({
    id: t.exposeString('_id'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    kind: t.field({ type: WarningKindEnum, resolve: (w) => w.kind }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    validFrom: t.exposeString('validFrom'),
    validTo: t.exposeString('validTo'),
    acknowledgeBy: t.exposeString('acknowledgeBy'),
    issuedBy: t.exposeString('issuedBy'),
    issuedAt: t.exposeString('issuedAt'),
    grids: t.field({
      type: [WarningGridRef],
      description: 'The grids within the caller’s jurisdiction',
      resolve: (w, _a, ctx) => w.grids.filter((g) => inScope(who(ctx), g.code)),
    }),
    acknowledged: t.int({
      description: 'Grids within the caller’s jurisdiction that acknowledged',
      resolve: (w, _a, ctx) => w.grids.filter((g) => g.acknowledgedAt && inScope(who(ctx), g.code)).length,
    }),
    pending: t.int({
      description: 'Grids within the caller’s jurisdiction still to acknowledge',
      resolve: (w, _a, ctx) => w.grids.filter((g) => !g.acknowledgedAt && inScope(who(ctx), g.code)).length,
    }),
    acknowledgementOverdue: t.boolean({
      resolve: (w, _a, ctx) =>
        ctx.services.registry.now().toISOString() > w.acknowledgeBy && w.grids.some((g) => !g.acknowledgedAt),
    }),
  }),
});

const MemberInput = builder.inputType('CommitteeMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    role: t.field({ type: CommitteeRoleEnum, required: true }),
    title: t.string({ required: false }),
    departmentCode: t.string({ required: false }),
  }),
});

const UpdateCommitteeInput = builder.inputType('UpdateCommitteeInput', {
  fields: (f) => ({
    name: f.string({ required: false }),
    members: f.field({ type: [MemberInput], required: false }),
    meetingEveryDays: f.int({ required: false }),
    reportEveryDays: f.int({ required: false }),
    expectedVersion: f.int({ required: false }),
  }),
});

builder.queryFields((t) => ({
  committees: t.field({
    type: [CommitteeRef],
    description: '消安委 within the caller’s jurisdiction (and under `jurisdictionCode`, when given)',
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.committees(who(ctx), a.jurisdictionCode),
  }),
  fireWarnings: t.field({
    type: [WarningRef],
    description: '预警提示 that reach the caller, latest first; `activeOn` (YYYY-MM-DD) keeps those valid that day',
    args: {
      jurisdictionCode: t.arg.string({ required: false }),
      activeOn: t.arg.string({ required: false }),
      limit: t.arg.int({ required: false, defaultValue: 20 }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.registry.fireWarnings(who(ctx), {
        jurisdictionCode: a.jurisdictionCode,
        activeOn: a.activeOn,
        limit: a.limit ?? 20,
      }),
  }),
}));

builder.mutationFields((t) => ({
  registerCommittee: t.field({
    type: CommitteeRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterCommitteeInput', {
          fields: (f) => ({
            code: f.string({ required: true }),
            name: f.string({ required: true }),
            jurisdictionCode: f.string({ required: true }),
            members: f.field({ type: [MemberInput], required: true }),
            meetingEveryDays: f.int({ required: false, description: 'Days between 定期研究 sessions (default 90)' }),
            reportEveryDays: f.int({ required: false, description: 'Days between 定期报告 sessions (default 90)' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerCommittee(who(ctx), dropNulls(input)),
  }),
  updateCommittee: t.field({
    type: CommitteeRef,
    errors: { types: [AppError] },
    description: '及时调整成员: members are replaced whole; announced as entities.committee.updated',
    args: { code: t.arg.string({ required: true }), input: t.arg({ type: UpdateCommitteeInput, required: true }) },
    resolve: (_r, { code, input }, ctx) => ctx.services.registry.updateCommittee(who(ctx), code, dropNulls(input)),
  }),
  recordCommitteeSession: t.field({
    type: SessionRef,
    errors: { types: [AppError] },
    description: 'A 双定期 session held, with its minutes; each decision becomes an item of the named department’s 任务清单',
    args: {
      input: t.arg({
        type: builder.inputType('RecordCommitteeSessionInput', {
          fields: (f) => ({
            committeeCode: f.string({ required: true }),
            id: f.string({ required: true, description: 'Yours, unique within the committee: a retry is recognised' }),
            kind: f.field({ type: SessionKindEnum, required: true }),
            heldOn: f.string({ required: true }),
            attendees: f.stringList({ required: true }),
            minutes: f.string({ required: true }),
            decisions: f.field({
              type: [
                builder.inputType('CommitteeDecisionInput', {
                  fields: (d) => ({
                    title: d.string({ required: true }),
                    departmentCode: d.string({ required: true }),
                    owner: d.string({ required: true }),
                    deadline: d.string({ required: true }),
                  }),
                }),
              ],
              required: false,
            }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.recordCommitteeSession(who(ctx), dropNulls(input)),
  }),
  issueFireWarning: t.field({
    type: WarningRef,
    errors: { types: [AppError] },
    description: '预警提示 to every grid under a county, township or village; each grid’s manager acknowledges it',
    args: {
      input: t.arg({
        type: builder.inputType('IssueFireWarningInput', {
          fields: (f) => ({
            id: f.string({ required: true, description: 'Yours, unique: a retry is recognised' }),
            jurisdictionCode: f.string({ required: true }),
            kind: f.field({ type: WarningKindEnum, required: true }),
            title: f.string({ required: true }),
            body: f.string({ required: true }),
            validFrom: f.string({ required: true }),
            validTo: f.string({ required: true }),
            acknowledgeWithinHours: f.int({ required: false, description: 'Default 24' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.issueFireWarning(who(ctx), dropNulls(input)),
  }),
  acknowledgeFireWarning: t.field({
    type: WarningRef,
    errors: { types: [AppError] },
    description: 'The grid’s manager confirms the grid received the warning (once; a repeat changes nothing)',
    args: { warningId: t.arg.string({ required: true }), gridCode: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => ctx.services.registry.acknowledgeFireWarning(who(ctx), args),
  }),
}));
