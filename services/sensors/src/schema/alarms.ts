import { AppError } from '@firegov/kit';
import { enumValues } from '@firegov/service';
import type { Alarm } from '../domain/alarm.ts';
import { AlarmType, Severity } from '../domain/rule-types.ts';
import type { LiveAlarm } from '../service/alarm-feed.ts';
import { who } from './context.ts';
import { builder, pageRef } from './refs.ts';

// Alarms (报警): the queue people work, each step recorded, and the live feed.

const AlarmTypeEnum = builder.enumType('AlarmType', { values: enumValues(AlarmType.values, AlarmType.labels) });
const SeverityEnum = builder.enumType('AlarmSeverity', { values: enumValues(Severity.values, Severity.labels) });
const AlarmStatusEnum = builder.enumType('AlarmStatus', {
  values: enumValues(['raised', 'acknowledged', 'confirmed', 'false_alarm', 'cleared'] as const, {
    raised: { zh: '待确认', en: 'Raised, not acknowledged' },
    acknowledged: { zh: '已受理', en: 'Acknowledged' },
    confirmed: { zh: '真实火警/故障', en: 'Confirmed real' },
    false_alarm: { zh: '误报', en: 'False alarm' },
    cleared: { zh: '已消除', en: 'Cleared' },
  }),
});

const StepRef = builder.objectRef<Alarm['steps'][number]>('AlarmStep').implement({
  fields: (t) => ({
    action: t.exposeString('action'),
    by: t.exposeString('by'),
    at: t.exposeString('at'),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const EscalationRef = builder.objectRef<Alarm['escalations'][number]>('AlarmEscalation').implement({
  description: 'Who was told because nobody acknowledged: 单位管理人 → 网格员 → 乡镇 (→ 消防救援机构 for fire)',
  fields: (t) => ({ level: t.exposeString('level'), notice: t.exposeInt('notice'), at: t.exposeString('at') }),
});

export const AlarmRef = builder.objectRef<Alarm>('Alarm').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    deviceId: t.exposeID('deviceId'),
    deviceKind: t.exposeString('deviceKind'),
    unitId: t.exposeID('unitId', { nullable: true }),
    householdId: t.exposeID('householdId', { nullable: true }),
    type: t.field({ type: AlarmTypeEnum, resolve: (a) => a.type }),
    typeLabel: t.string({ resolve: (a) => AlarmType.label(a.type) }),
    severity: t.field({ type: SeverityEnum, resolve: (a) => a.severity }),
    point: t.exposeString('point', { nullable: true }),
    status: t.field({ type: AlarmStatusEnum, resolve: (a) => a.status }),
    open: t.exposeBoolean('open'),
    raisedAt: t.exposeString('raisedAt'),
    lastAt: t.exposeString('lastAt'),
    repeats: t.exposeInt('repeats', { description: 'Times the device repeated the alarm while it was open' }),
    restoredAt: t.exposeString('restoredAt', { nullable: true, description: 'When the device reported the condition gone' }),
    steps: t.field({ type: [StepRef], resolve: (a) => a.steps }),
    escalations: t.field({ type: [EscalationRef], resolve: (a) => a.escalations }),
  }),
});

const AlarmPageRef = pageRef<Alarm>('Alarm', AlarmRef);

const AlarmStatsRef = builder
  .objectRef<{ open: number; unacknowledged: number; confirmed: number; falseAlarms: number; falseAlarmRate: number | null }>(
    'AlarmStats',
  )
  .implement({
    fields: (t) => ({
      open: t.exposeInt('open'),
      unacknowledged: t.exposeInt('unacknowledged'),
      confirmed: t.exposeInt('confirmed', { description: 'Judged real in the period' }),
      falseAlarms: t.exposeInt('falseAlarms', { description: 'Judged false (误报) in the period' }),
      falseAlarmRate: t.exposeFloat('falseAlarmRate', {
        nullable: true,
        description: '误报率: false / judged; null when none was judged',
      }),
    }),
  });

const LiveAlarmRef = builder.objectRef<LiveAlarm>('AlarmEvent').implement({
  description: 'One step of an alarm as it happens (raised, acknowledged, confirmed, false_alarm, cleared, escalated)',
  fields: (t) => ({
    event: t.exposeString('event'),
    alarmId: t.exposeID('id'),
    deviceId: t.exposeID('deviceId'),
    unitId: t.exposeID('unitId', { nullable: true }),
    householdId: t.exposeID('householdId', { nullable: true }),
    type: t.exposeString('type'),
    severity: t.field({ type: SeverityEnum, resolve: (a) => a.severity }),
    status: t.exposeString('status'),
    raisedAt: t.exposeString('raisedAt'),
    by: t.string({ resolve: (a) => a.step.by }),
    at: t.string({ resolve: (a) => a.step.at }),
  }),
});

builder.queryFields((t) => ({
  alarm: t.field({
    type: AlarmRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.alarms.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  alarms: t.field({
    type: AlarmPageRef,
    description: 'The alarm queue of your jurisdiction, newest first: open alarms unless open/status say otherwise',
    args: {
      open: t.arg.boolean(),
      status: t.arg({ type: AlarmStatusEnum }),
      type: t.arg({ type: AlarmTypeEnum }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_r, a, ctx) => ctx.services.alarms.list(who(ctx), a),
  }),
  alarmStats: t.field({
    type: AlarmStatsRef,
    args: { sinceDays: t.arg.int({ defaultValue: 30 }) },
    resolve: (_r, a, ctx) => ctx.services.alarms.stats(who(ctx), a.sinceDays ?? 30),
  }),
}));

builder.mutationFields((t) => {
  const step = (action: 'acknowledge' | 'confirm' | 'markFalse' | 'clear', description: string) =>
    t.field({
      type: AlarmRef,
      description,
      errors: { types: [AppError] },
      args: { id: t.arg.id({ required: true }), note: t.arg.string() },
      resolve: (_r, a, ctx) => ctx.services.alarms[action](who(ctx), String(a.id), a.note ?? undefined),
    });
  return {
    acknowledgeAlarm: step('acknowledge', '受理: someone is on it (stops the escalation clock of non-fire alarms)'),
    confirmAlarm: step('confirm', '确认: the alarm is real (a fire, a real fault)'),
    markFalseAlarm: step('markFalse', '误报: the alarm was false'),
    clearAlarm: step('clear', '消除: handled and closed'),
  };
});

builder.subscriptionType({});
builder.subscriptionFields((t) => ({
  alarmEvents: t.field({
    type: LiveAlarmRef,
    description: 'Alarm steps in your jurisdiction as they happen (GraphQL over server-sent events)',
    args: { unitId: t.arg.id(), severities: t.arg({ type: [SeverityEnum] }) },
    subscribe: (_r, a, ctx) =>
      ctx.services.feed.subscribe(who(ctx).jurisdiction, {
        unitId: a.unitId ? String(a.unitId) : undefined,
        severities: a.severities ?? undefined,
      }),
    resolve: (a) => a,
  }),
}));
