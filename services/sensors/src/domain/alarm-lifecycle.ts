import { defineEnum, invalidInput, invalidTransition } from '@firegov/contracts';
import type { AlarmType } from './rule-types.ts';

// An alarm's life (报警处置): raised by the rule engine, acknowledged (响应) by someone, judged a real
// fire or problem (真实火警/确认属实) or a false alarm (误报), then cleared (消除/复位).
//
//   raised ──acknowledge──▶ acknowledged
//   raised | acknowledged ──confirm──▶ confirmed     (judging needs no separate acknowledge first:
//   raised | acknowledged ──mark_false_alarm──▶ false_alarm      someone on site judges at once)
//   … ──clear / auto_clear──▶ cleared                (from which states: see allowedFrom)
//
// Fire signals must be judged before they close, by hand or by the device: a detector that goes
// quiet may have burnt, so silence is not proof there is no fire. Other alarms close by hand once
// someone has acknowledged them, and close by themselves when the device restores, because an
// unattended low battery that was replaced should stop nagging.

export const AlarmStatus = defineEnum({
  raised: { zh: '待响应', en: 'Raised' },
  acknowledged: { zh: '已响应', en: 'Acknowledged' },
  confirmed: { zh: '确认属实（真实火警）', en: 'Confirmed (real)' },
  false_alarm: { zh: '误报', en: 'False alarm' },
  cleared: { zh: '已消除', en: 'Cleared' },
});
export type AlarmStatus = (typeof AlarmStatus.values)[number];

export const AlarmAction = defineEnum({
  acknowledge: { zh: '响应', en: 'Acknowledge' },
  confirm: { zh: '确认属实', en: 'Confirm' },
  mark_false_alarm: { zh: '标记误报', en: 'Mark as false alarm' },
  clear: { zh: '消除', en: 'Clear' },
  /** The rule engine: the device's condition is over (复位). */
  auto_clear: { zh: '设备复位自动消除', en: 'Cleared by the device restoring' },
});
export type AlarmAction = (typeof AlarmAction.values)[number];

/** Who the rule engine and clocks act as in alarm steps. */
export const SYSTEM_ACTOR = 'system';

/** A real-fire signal: a controller's 火警 or a detector's smoke alarm. */
export const FIRE_SIGNALS: readonly AlarmType[] = ['fire', 'smoke'];
export const isFireSignal = (type: AlarmType): boolean => FIRE_SIGNALS.includes(type);

export const isOpen = (status: AlarmStatus): boolean => status !== 'cleared';

const JUDGED: readonly AlarmStatus[] = ['confirmed', 'false_alarm'];
const UNJUDGED: readonly AlarmStatus[] = ['raised', 'acknowledged'];

const TARGET: Readonly<Record<AlarmAction, AlarmStatus>> = {
  acknowledge: 'acknowledged',
  confirm: 'confirmed',
  mark_false_alarm: 'false_alarm',
  clear: 'cleared',
  auto_clear: 'cleared',
};

/** The statuses an alarm of `type` may take `action` from. */
export function allowedFrom(type: AlarmType, action: AlarmAction): readonly AlarmStatus[] {
  switch (action) {
    case 'acknowledge':
      return ['raised'];
    case 'confirm':
    case 'mark_false_alarm':
      return UNJUDGED;
    case 'clear':
      return isFireSignal(type) ? JUDGED : ['acknowledged', ...JUDGED];
    case 'auto_clear':
      return isFireSignal(type) ? JUDGED : [...UNJUDGED, ...JUDGED];
  }
}

export interface AlarmStep {
  action: AlarmAction;
  by: string;
  /** ISO 8601, UTC, as alarm events carry it. */
  at: string;
}

/**
 * The status after `action`, with the step to record. Throws INVALID_TRANSITION (naming the allowed
 * statuses) when the alarm's status does not allow it, as every domain here refuses a command.
 */
export function applyStep(
  alarm: { type: AlarmType; status: AlarmStatus },
  action: AlarmAction,
  who: string,
  at: number,
): { status: AlarmStatus; step: AlarmStep } {
  if (who.trim() === '') throw invalidInput('a step needs an actor', [{ path: '$.by', reason: 'must not be empty' }]);
  const from = allowedFrom(alarm.type, action);
  if (!from.includes(alarm.status)) throw invalidTransition(action.replace(/_/g, ' '), alarm.status, from);
  return { status: TARGET[action], step: { action, by: who, at: new Date(at).toISOString() } };
}

/**
 * What the rule engine's raise does to the rule's latest alarm on that point: while one is open (in
 * any status before cleared) the raise is a repeat of it (its `repeats` count grows, no new alarm
 * and no new escalation); once cleared, a raise opens a new alarm.
 */
export function onRaise(latest: { status: AlarmStatus } | undefined): 'new' | 'repeat' {
  return latest !== undefined && isOpen(latest.status) ? 'repeat' : 'new';
}

/**
 * Whether the device restoring (the rule's clear) closes the alarm now. A fire signal not yet
 * judged stays open; once someone judges it, the caller applies auto_clear if the rule is still
 * clear at that moment.
 */
export const closesOnRestore = (alarm: { type: AlarmType; status: AlarmStatus }): boolean =>
  allowedFrom(alarm.type, 'auto_clear').includes(alarm.status);
