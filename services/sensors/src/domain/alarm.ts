import type { AlarmSnapshot } from '@firegov/contracts';
import type { Device } from './device.ts';
import type { AlarmType, Severity } from './rule-types.ts';

// An alarm as stored: one per device, type and point while open (repeats are counted on it), with
// every step of its lifecycle and every escalation recorded with who and when.

import type { AlarmStatus } from './alarm-lifecycle.ts';
import type { EscalationLevel } from './escalation.ts';

export type { AlarmStatus, EscalationLevel };

export interface AlarmStep {
  action: string;
  by: string;
  at: string;
  note?: string;
}

export interface EscalationRecord {
  level: EscalationLevel;
  notice: number;
  at: string;
}

export interface Alarm {
  _id: string;
  deviceId: string;
  deviceKind: string;
  unitId?: string;
  householdId?: string;
  scope: string[];
  type: AlarmType;
  severity: Severity;
  point?: string;
  status: AlarmStatus;
  /** Until cleared: what "one alarm per device, type and point at a time" is checked on. */
  open: boolean;
  raisedAt: string;
  /** The latest reading that raised or repeated it. */
  lastAt: string;
  repeats: number;
  /** When the device reported the condition gone (the alarm stays open until a person clears it). */
  restoredAt?: string;
  steps: AlarmStep[];
  escalations: EscalationRecord[];
}

/**
 * The id of the alarm a reading raises: derived from the device, type, point and reading time, so
 * re-evaluating the same reading after a crash finds the alarm it already raised.
 */
export const alarmIdOf = (deviceId: string, type: string, point: string | undefined, atMs: number): string =>
  `al_${deviceId}_${type}_${point ?? ''}_${atMs.toString(36)}`.slice(0, 160);

export function newAlarm(
  device: Pick<Device, '_id' | 'kind' | 'unitId' | 'householdId' | 'scope'>,
  raise: { type: AlarmType; severity: Severity; point?: string; at: string },
): Alarm {
  return {
    _id: alarmIdOf(device._id, raise.type, raise.point, Date.parse(raise.at)),
    deviceId: device._id,
    deviceKind: device.kind,
    ...(device.unitId ? { unitId: device.unitId } : {}),
    ...(device.householdId ? { householdId: device.householdId } : {}),
    scope: device.scope,
    type: raise.type,
    severity: raise.severity,
    ...(raise.point ? { point: raise.point } : {}),
    status: 'raised',
    open: true,
    raisedAt: raise.at,
    lastAt: raise.at,
    repeats: 0,
    steps: [{ action: 'raised', by: 'system', at: raise.at }],
    escalations: [],
  };
}

/** The event form of an alarm after `step`. */
export function alarmSnapshot(alarm: Alarm, step: AlarmStep): AlarmSnapshot {
  return {
    id: alarm._id,
    deviceId: alarm.deviceId,
    deviceKind: alarm.deviceKind,
    ...(alarm.unitId ? { unitId: alarm.unitId } : {}),
    ...(alarm.householdId ? { householdId: alarm.householdId } : {}),
    scope: alarm.scope,
    type: alarm.type,
    severity: alarm.severity,
    ...(alarm.point ? { point: alarm.point } : {}),
    status: alarm.status,
    raisedAt: alarm.raisedAt,
    repeats: alarm.repeats,
    step,
  };
}
