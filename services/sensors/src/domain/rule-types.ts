import { defineEnum } from '@firegov/contracts';
import type { ReadingValues } from './readings.ts';

// The vocabulary of the rule engine: what a profile's rules say and what evaluating them yields.
// Types only; rules.ts evaluates them.

export const AlarmType = defineEnum({
  fire: { zh: '火警', en: 'Fire alarm' },
  smoke: { zh: '烟雾报警', en: 'Smoke alarm' },
  residual_current: { zh: '剩余电流超限', en: 'Residual current over limit' },
  over_temperature: { zh: '温度超限', en: 'Over temperature' },
  rapid_temperature_rise: { zh: '温度快速上升', en: 'Rapid temperature rise' },
  low_pressure: { zh: '水压过低', en: 'Low water pressure' },
  high_pressure: { zh: '水压过高', en: 'High water pressure' },
  low_level: { zh: '水位过低', en: 'Low water level' },
  gas_leak: { zh: '可燃气体泄漏', en: 'Combustible gas leak' },
  charging_overheat: { zh: '充电过热', en: 'Charging overheat' },
  tamper: { zh: '防拆报警', en: 'Tamper' },
  low_battery: { zh: '低电量', en: 'Low battery' },
  fault: { zh: '故障', en: 'Fault' },
  shielded: { zh: '屏蔽/隔离', en: 'Shielded or isolated' },
  supervisory: { zh: '监管报警', en: 'Supervisory' },
});
export type AlarmType = (typeof AlarmType.values)[number];

export const Severity = defineEnum({
  critical: { zh: '紧急', en: 'Critical' },
  major: { zh: '重要', en: 'Major' },
  minor: { zh: '一般', en: 'Minor' },
});
export type Severity = (typeof Severity.values)[number];

/** A condition on one point's readings. Combinations nest. */
export type Condition =
  /** Above (or below) a limit; once true it stays true until the value is back past `clearAt` (hysteresis). */
  | { type: 'threshold'; measurement: string; above?: number; below?: number; clearAt: number }
  /** A boolean measurement is true (controller state bits, smoke, tamper, fault). */
  | { type: 'state'; measurement: string }
  /** The value rose by at least `perMinute` per minute over the last `windowSeconds`. */
  | { type: 'rate_of_rise'; measurement: string; perMinute: number; windowSeconds: number }
  | { type: 'all'; of: Condition[] }
  | { type: 'any'; of: Condition[] };

export interface Rule {
  /** Stable within a profile: rule state is stored under it. */
  id: string;
  alarmType: AlarmType;
  severity: Severity;
  when: Condition;
  /** Duration: the condition must hold this long (by reading times) before the alarm is raised. */
  forSeconds?: number;
}

/** What rules.ts keeps per rule and point between readings; plain JSON, stored with the device. */
export interface RuleState {
  /** The alarm is raised (the rule fired and has not cleared). */
  active: boolean;
  /** Epoch ms when the condition became true and has held since; absent while false. */
  since?: number;
  /** Per condition path (e.g. "0.1"): latched threshold state and rate-of-rise samples. */
  memory: Record<string, { latched?: boolean; samples?: Array<[number, number]>; last?: number | boolean }>;
  /** Epoch ms of the last reading applied: a reading at or before it is a replay and changes nothing. */
  lastAt?: number;
}

export type Transition = 'raise' | 'clear';

export interface Evaluation {
  state: RuleState;
  transition?: Transition;
}

export interface ReadingAt {
  /** Epoch ms of the reading. */
  at: number;
  values: ReadingValues;
}
