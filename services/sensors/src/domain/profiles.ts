import { ALWAYS_ON_ARRAYS, ALWAYS_ON_OBJECTS, checkUnique, idSchema, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { DeviceKind, measurementOf } from './kinds.ts';
import { AlarmType, Severity, type Condition, type Rule } from './rule-types.ts';

// A device profile (设备配置): per kind, the alarm rules, how often the device reports, and how long a
// fault may last before it becomes a hazard. The county may change them; this checks a change names
// every bad field, and ships defaults for every kind.

const obj = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: typeError('an object', { namesUnknownKeys: true }) });
const finite = () => z.number({ error: typeError('a number') }).finite('must be finite');
const whole = (min: number, max: number) =>
  z
    .number({ error: typeError('a whole number') })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const measurement = z
  .string({ error: typeError('a measurement name') })
  .min(1, 'must not be empty')
  .max(40);

const CONDITION_TYPES = ['threshold', 'state', 'rate_of_rise', 'all', 'any'] as const;
/** Nesting beyond this is no clearer than two rules, and bounds the work per reading. */
export const MAX_CONDITION_DEPTH = 4;
export const MAX_RULES = 32;

const thresholdSchema = obj({
  type: z.literal('threshold'),
  measurement,
  above: finite().optional(),
  below: finite().optional(),
  clearAt: finite(),
}).superRefine((c, ctx) => {
  const bad = (message: string, path: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if ((c.above === undefined) === (c.below === undefined)) bad('give exactly one of "above" and "below"', 'above');
  else if (c.above !== undefined && c.clearAt > c.above)
    bad(`must be at most "above" (${c.above}): it is where the alarm clears`, 'clearAt');
  else if (c.below !== undefined && c.clearAt < c.below)
    bad(`must be at least "below" (${c.below}): it is where the alarm clears`, 'clearAt');
});

const combination = <T extends 'all' | 'any'>(type: T) =>
  obj({
    type: z.literal(type),
    get of() {
      return z
        .array(conditionSchema, { error: typeError('a list of conditions') })
        .min(2, 'must combine at least 2 conditions')
        .max(8, 'must combine at most 8 conditions');
    },
  });

export const conditionSchema: z.ZodType<Condition> = z.discriminatedUnion(
  'type',
  [
    thresholdSchema,
    obj({ type: z.literal('state'), measurement }),
    obj({
      type: z.literal('rate_of_rise'),
      measurement,
      perMinute: finite().positive('must be more than 0'),
      windowSeconds: whole(10, 3600),
    }),
    combination('all'),
    combination('any'),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be a condition type: one of ${CONDITION_TYPES.join(', ')}`
        : typeError('an object')(issue),
  },
);

export const ruleSchema: z.ZodType<Rule> = obj({
  id: idSchema,
  alarmType: AlarmType.schema,
  severity: Severity.schema,
  when: conditionSchema,
  forSeconds: whole(0, 86_400).optional(),
});

const profileFields = {
  kind: DeviceKind.schema,
  heartbeatSeconds: whole(10, 7 * 86_400),
  offlineAfterMissed: whole(1, 20),
  faultHazardDays: finite().min(0, 'must not be negative').max(365, 'must be at most 365'),
  lowBatteryPercent: whole(1, 99).optional(),
  rules: z
    .array(ruleSchema, { error: typeError('a list of rules') })
    .max(MAX_RULES, `must list at most ${MAX_RULES} rules`)
    .superRefine(checkUnique('id', 'rule id'), ALWAYS_ON_ARRAYS),
};

type Issue = { path: PropertyKey[]; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the kind makes of a leaf condition: its measurement must exist and be of the right type. */
function checkLeaf(kind: DeviceKind, c: Record<string, unknown>, path: PropertyKey[], issues: Issue[]): void {
  if (typeof c.measurement !== 'string' || !['threshold', 'state', 'rate_of_rise'].includes(c.type as string)) return;
  const m = measurementOf(kind, c.measurement);
  if (!m) {
    issues.push({ path: [...path, 'measurement'], message: `is not a measurement of ${kind}` });
    return;
  }
  const wants = c.type === 'state' ? 'boolean' : 'number';
  if (m.type !== wants) {
    const message = `"${m.name}" is a ${m.type}; a ${String(c.type)} condition needs a ${wants} measurement`;
    issues.push({ path: [...path, 'measurement'], message });
    return;
  }
  if (c.type !== 'threshold') return;
  for (const field of ['above', 'below', 'clearAt'] as const) {
    const v = c[field];
    if (typeof v === 'number' && ((m.min !== undefined && v < m.min) || (m.max !== undefined && v > m.max)))
      issues.push({ path: [...path, field], message: `must be between ${m.min} and ${m.max} ${m.unit ?? ''}`.trim() });
  }
}

/** Walks a condition of any shape (the object checks report malformed ones) for kind-specific problems. */
function checkCondition(kind: DeviceKind, c: unknown, path: PropertyKey[], depth: number, issues: Issue[]): void {
  if (!isRecord(c)) return;
  if (c.type === 'all' || c.type === 'any') {
    if (depth >= MAX_CONDITION_DEPTH) {
      issues.push({ path, message: `nests conditions more than ${MAX_CONDITION_DEPTH} deep; split the rule` });
      return;
    }
    if (Array.isArray(c.of)) c.of.forEach((child, i) => checkCondition(kind, child, [...path, 'of', i], depth + 1, issues));
    return;
  }
  checkLeaf(kind, c, path, issues);
}

function checkAgainstKind(p: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const kind = DeviceKind.schema.safeParse(p.kind);
  if (!kind.success) return;
  const issues: Issue[] = [];
  if (Array.isArray(p.rules))
    p.rules.forEach((r, i) => isRecord(r) && checkCondition(kind.data, r.when, ['rules', i, 'when'], 1, issues));
  if (p.lowBatteryPercent !== undefined && !measurementOf(kind.data, 'batteryPercent'))
    issues.push({ path: ['lowBatteryPercent'], message: `must be left out: a ${kind.data} reports no battery level` });
  for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}

/** A county's change of a profile: the service assigns the version. */
export const profileChangeInput = obj(profileFields).superRefine(checkAgainstKind, ALWAYS_ON_OBJECTS);
export type ProfileChangeInput = z.output<typeof profileChangeInput>;

/** A stored profile. */
export const profileSchema = obj({ ...profileFields, version: whole(1, Number.MAX_SAFE_INTEGER) }).superRefine(
  checkAgainstKind,
  ALWAYS_ON_OBJECTS,
);
export type Profile = z.output<typeof profileSchema>;

// ─── Defaults ───────────────────────────────────────────────────────────────────────────────────
// No standard read here (/work/shared/standards/) sets any of these numbers: each is marked [U]
// (unconfirmed default, the county's to change) or says where it comes from. None is "the standard".

const state = (id: string, m: string, alarmType: AlarmType, severity: Severity): Rule => ({
  id,
  alarmType,
  severity,
  when: { type: 'state', measurement: m },
});
const fault = state('fault', 'fault', 'fault', 'major');
const limit = (
  id: string,
  alarmType: AlarmType,
  severity: Severity,
  when: Extract<Condition, { type: 'threshold' }>,
  forSeconds?: number,
): Rule => ({ id, alarmType, severity, when, ...(forSeconds !== undefined ? { forSeconds } : {}) });

/** A water main's pressure profile: reports every 15 min [U], offline after 4 missed [U], a hazard after 7 days [U]. */
const pipePressure = (kind: 'hydrant_pressure' | 'sprinkler_pressure', below: number, clearAt: number): Profile => ({
  kind,
  version: 1,
  heartbeatSeconds: 900,
  offlineAfterMissed: 4,
  faultHazardDays: 7,
  rules: [limit('low_pressure', 'low_pressure', 'major', { type: 'threshold', measurement: 'pressureMpa', below, clearAt }, 60)],
});

/** Every kind's starting profile (version 1). */
export const DEFAULT_PROFILES: Readonly<Record<DeviceKind, Profile>> = {
  smoke_detector: {
    kind: 'smoke_detector',
    version: 1,
    heartbeatSeconds: 86_400, // [U] NB-IoT detectors commonly report once a day to save battery
    offlineAfterMissed: 2, // [U] one missed daily report is often network jitter; two is a dead device
    faultHazardDays: 7, // [U]
    lowBatteryPercent: 20, // [U] same as the low_battery rule below
    rules: [
      // A 独立式 detector's `alarm` bit is a smoke alarm: it has no other alarm to raise.
      state('smoke', 'alarm', 'smoke', 'critical'),
      state('tamper', 'tamper', 'tamper', 'major'),
      // [U] below 20 %, cleared at 25 % so a battery hovering at the limit does not flap.
      limit('low_battery', 'low_battery', 'minor', { type: 'threshold', measurement: 'batteryPercent', below: 20, clearAt: 25 }),
      fault,
    ],
  },
  electrical_fire_monitor: {
    kind: 'electrical_fire_monitor',
    version: 1,
    heartbeatSeconds: 300, // [U] wired monitors report every few minutes
    offlineAfterMissed: 3, // [U]
    faultHazardDays: 7, // [U]
    rules: [
      // [U] 300 mA is a common residual-current setting; cleared at 270 (90 %) against flapping.
      limit('residual_current', 'residual_current', 'major', {
        type: 'threshold',
        measurement: 'residualCurrentMa',
        above: 300,
        clearAt: 270,
      }),
      // [U] 80 °C, held 30 s so a momentary load spike does not alarm; cleared at 75 °C.
      limit(
        'over_temperature',
        'over_temperature',
        'major',
        { type: 'threshold', measurement: 'cableTemperatureC', above: 80, clearAt: 75 },
        30,
      ),
      {
        id: 'rapid_temperature_rise',
        alarmType: 'rapid_temperature_rise',
        severity: 'major',
        // [U] 10 °C per minute over a 2-minute window.
        when: { type: 'rate_of_rise', measurement: 'cableTemperatureC', perMinute: 10, windowSeconds: 120 },
      },
      fault,
    ],
  },
  // [U] configurable defaults, NOT confirmed standard values: low pressure held 60 s (pump starts
  // and pressure tests dip briefly); a hydrant main below 0.10 MPa (cleared at 0.12), a sprinkler
  // end (末端) point below 0.05 MPa (cleared at 0.07).
  hydrant_pressure: pipePressure('hydrant_pressure', 0.1, 0.12),
  sprinkler_pressure: pipePressure('sprinkler_pressure', 0.05, 0.07),
  water_tank_level: {
    kind: 'water_tank_level',
    version: 1,
    heartbeatSeconds: 900, // [U]
    offlineAfterMissed: 4, // [U]
    faultHazardDays: 7, // [U]
    rules: [
      // [U] the right level depends on the tank; 0.5 m held 5 min (filling and draw-off tests
      // move the level), cleared at 0.6 m. Counties set their own.
      limit('low_level', 'low_level', 'major', { type: 'threshold', measurement: 'levelM', below: 0.5, clearAt: 0.6 }, 300),
    ],
  },
  fire_alarm_controller: {
    kind: 'fire_alarm_controller',
    version: 1,
    // [U] per minute; transmission devices seen send a keepalive every 20–30 s and one public
    // server calls them offline after 3 min of silence (GB/T 26875.3 fact sheet §5, vendor practice).
    heartbeatSeconds: 60,
    offlineAfterMissed: 3, // [U] 3 min, as the public server above
    faultHazardDays: 7, // [U]
    rules: [
      state('fire', 'fire', 'fire', 'critical'),
      fault,
      state('shielded', 'shielded', 'shielded', 'major'),
      state('supervisory', 'supervisory', 'supervisory', 'major'),
    ],
  },
  gas_detector: {
    kind: 'gas_detector',
    version: 1,
    heartbeatSeconds: 3600, // [U]
    offlineAfterMissed: 3, // [U]
    faultHazardDays: 7, // [U]
    rules: [
      // [U] 25 %LEL, cleared at 20 %LEL.
      limit('gas_leak', 'gas_leak', 'critical', { type: 'threshold', measurement: 'lelPercent', above: 25, clearAt: 20 }),
      fault,
    ],
  },
  ebike_charging_monitor: {
    kind: 'ebike_charging_monitor',
    version: 1,
    heartbeatSeconds: 300, // [U]
    offlineAfterMissed: 3, // [U]
    faultHazardDays: 7, // [U]
    rules: [
      // Smoke on its own rule: a duration is per rule, and smoke must not wait for the overheat hold.
      state('smoke', 'smoke', 'smoke', 'critical'),
      {
        id: 'charging_overheat',
        alarmType: 'charging_overheat',
        severity: 'major',
        // [U] held 20 s: above 60 °C (cleared at 55 °C), or a battery heating fast while it is
        // charging (above 0.5 A, cleared at 0.3 A; rising 5 °C per minute over 2 minutes).
        forSeconds: 20,
        when: {
          type: 'any',
          of: [
            { type: 'threshold', measurement: 'temperatureC', above: 60, clearAt: 55 },
            {
              type: 'all',
              of: [
                { type: 'threshold', measurement: 'currentA', above: 0.5, clearAt: 0.3 },
                { type: 'rate_of_rise', measurement: 'temperatureC', perMinute: 5, windowSeconds: 120 },
              ],
            },
          ],
        },
      },
    ],
  },
};
