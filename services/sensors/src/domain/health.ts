import { invalidInput } from '@firegov/contracts';
import type { Device } from './device.ts';
import type { Profile } from './profiles.ts';
import type { AlarmType, RuleState } from './rule-types.ts';
import { parseRuleStateKey } from './rules.ts';

// Device health (设备完好): whether a device still reports, which of its faults are active, and
// which have lasted long enough to become a hazard (隐患) in inspections. Pure: the caller passes
// the time.

/** The health conditions that become hazards when they last; a device has each at most once. */
export type FaultCondition = 'offline' | 'fault' | 'shielded' | 'low_pressure';

/** The `kind` of sensorFaultTopic's events. */
export type SensorFaultKind = 'offline' | 'low_pressure' | 'panel_disabled' | 'fault';

export const FAULT_KIND: Readonly<Record<FaultCondition, SensorFaultKind>> = {
  offline: 'offline',
  fault: 'fault',
  // A shielded (屏蔽/隔离) point is a part of the alarm system switched off: the panel is partly disabled.
  shielded: 'panel_disabled',
  low_pressure: 'low_pressure',
};

/** The rule alarm types that are health conditions; the rest (smoke, tamper, …) are alarms only. */
const RULE_CONDITION: Partial<Record<AlarmType, FaultCondition>> = {
  fault: 'fault',
  shielded: 'shielded',
  low_pressure: 'low_pressure',
};

const CONDITION_ORDER: readonly FaultCondition[] = ['offline', 'fault', 'shielded', 'low_pressure'];
const DAY_MS = 86_400_000;

type Heartbeat = Pick<Profile, 'heartbeatSeconds' | 'offlineAfterMissed'>;

/** How long a device may be silent before it counts as offline. */
/** What counts as a low battery where a kind's profile sets no level of its own. */
export const LOW_BATTERY_PERCENT = 20;

export const offlineAfterMs = (profile: Heartbeat): number => profile.heartbeatSeconds * profile.offlineAfterMissed * 1000;

/**
 * How stale the device document's `lastSeenAt` may get while the device keeps speaking: a quarter
 * of its offline allowance. The health sweep only picks candidates by it (a device still speaking
 * is never a quarter allowance behind, so never a candidate) and confirms against the live state
 * before it marks one offline; writing it on every reading would cost a store update per device
 * per checkpoint.
 */
export const lastSeenRefreshMs = (profile: Heartbeat): number => offlineAfterMs(profile) / 4;

/**
 * Offline once more than `offlineAfterMissed` heartbeat intervals passed with no reading. A device
 * never heard from (`lastSeenAt` undefined) is offline: it has not shown it works.
 */
export function isOffline(lastSeenAt: number | undefined, profile: Heartbeat, now: number): boolean {
  return lastSeenAt === undefined || now - lastSeenAt > offlineAfterMs(profile);
}

/** What health needs of a device: when it was last heard from and its rule states (rules.ts). */
export interface DeviceHealthState {
  id: string;
  /** Epoch ms; stands in for the last reading of a device that never reported. */
  registeredAt: number;
  lastSeenAt?: number;
  ruleStates: Readonly<Record<string, RuleState>>;
}

export interface ActiveFault {
  deviceId: string;
  condition: FaultCondition;
  /**
   * Epoch ms the condition has held since: for offline the last reading (silent since), otherwise
   * the earliest `since` among the points that have it.
   */
  since: number;
  /** The points that have it (controller loop-points, channels); empty for single-point devices and offline. */
  points: string[];
}

/**
 * The health conditions active now. A fault, shield or low pressure is active while a profile rule
 * of that alarm type is active on some point; rules no longer in the profile do not count. One
 * entry per condition per device: a panel with 30 shielded points is one disabled panel.
 */
export function faultConditions(
  device: DeviceHealthState,
  profile: Pick<Profile, 'heartbeatSeconds' | 'offlineAfterMissed' | 'rules'>,
  now: number,
): ActiveFault[] {
  const found = new Map<FaultCondition, ActiveFault>();
  if (isOffline(device.lastSeenAt, profile, now))
    found.set('offline', {
      deviceId: device.id,
      condition: 'offline',
      since: device.lastSeenAt ?? device.registeredAt,
      points: [],
    });
  const conditionOf = new Map(profile.rules.map((r) => [r.id, RULE_CONDITION[r.alarmType]] as const));
  for (const [key, state] of Object.entries(device.ruleStates)) {
    const { ruleId, point } = parseRuleStateKey(key);
    const condition = conditionOf.get(ruleId);
    if (!condition || !state.active) continue;
    const since = state.since ?? state.lastAt ?? now;
    const entry = found.get(condition) ?? { deviceId: device.id, condition, since, points: [] };
    entry.since = Math.min(entry.since, since);
    if (point !== undefined && !entry.points.includes(point)) entry.points.push(point);
    found.set(condition, entry);
  }
  return CONDITION_ORDER.flatMap((c) => {
    const entry = found.get(c);
    return entry ? [{ ...entry, points: [...entry.points].sort() }] : [];
  });
}

/** A fault already announced on sensorFaultTopic and not yet resolved. */
export interface ReportedFault {
  id: string;
  deviceId: string;
  condition: FaultCondition;
}

export interface DueFault extends ReportedFault {
  kind: SensorFaultKind;
  since: number;
  description: string;
}

/** Stable across sweeps, so a redelivered announcement is recognised as the same fault. */
export const faultId = (deviceId: string, condition: FaultCondition, since: number): string =>
  `${deviceId}_${condition}_${since}`;

const LABEL: Readonly<Record<FaultCondition, string>> = {
  offline: '设备离线',
  fault: '设备故障',
  shielded: '部件屏蔽/隔离',
  low_pressure: '消防管网压力过低',
};

const MAX_POINTS_NAMED = 10;

function describe(f: ActiveFault, days: number): string {
  const shown = f.points.slice(0, MAX_POINTS_NAMED).join('、');
  const more = f.points.length > MAX_POINTS_NAMED ? ` 等 ${f.points.length} 个` : '';
  const points = f.points.length > 0 ? `（点位 ${shown}${more}）` : '';
  const since = new Date(f.since).toISOString();
  const what = f.condition === 'offline' ? `最后上报 ${since}` : `自 ${since} 起`;
  return `${LABEL[f.condition]}${points}，${what}，持续超过 ${days} 天`;
}

const sameFault = (a: { deviceId: string; condition: FaultCondition }, b: { deviceId: string; condition: FaultCondition }) =>
  a.deviceId === b.deviceId && a.condition === b.condition;

/**
 * The active conditions that have lasted at least `faultHazardDays` and are not announced yet.
 * "Announced" is per device and condition: while a device keeps a condition (even if its earliest
 * point recovers and `since` moves later), the announced fault stands and no second one is raised.
 */
export function dueFaultHazards(
  conditions: readonly ActiveFault[],
  profile: Pick<Profile, 'faultHazardDays'>,
  now: number,
  alreadyReported: readonly ReportedFault[],
): DueFault[] {
  const limit = profile.faultHazardDays * DAY_MS;
  return conditions
    .filter((c) => now - c.since >= limit && !alreadyReported.some((r) => sameFault(r, c)))
    .map((c) => ({
      id: faultId(c.deviceId, c.condition, c.since),
      deviceId: c.deviceId,
      condition: c.condition,
      kind: FAULT_KIND[c.condition],
      since: c.since,
      description: describe(c, profile.faultHazardDays),
    }));
}

/** Announced faults whose condition is no longer active on the device: their hazards are rectified. */
export function resolvedFaults(reported: readonly ReportedFault[], conditions: readonly ActiveFault[]): ReportedFault[] {
  return reported.filter((r) => !conditions.some((c) => sameFault(r, c)));
}

/** Share of devices online, 0–1 (4 decimals); null when there are no devices to count. */
export function onlineRate(counts: { online: number; total: number }): number | null {
  const { online, total } = counts;
  if (!Number.isInteger(online) || !Number.isInteger(total) || online < 0 || online > total)
    throw invalidInput('online and total must be whole numbers with 0 ≤ online ≤ total', [
      { path: '$.online', reason: `is ${online} of ${total}` },
    ]);
  return total === 0 ? null : Math.round((online / total) * 10_000) / 10_000;
}

/** Where a device counts towards the online rate (在线率): cells `<key>|total`, `|online`, `|low`. */
export interface HealthPlacement {
  codes: readonly string[];
  cells: readonly string[];
}

export type HealthCounted = Pick<Device, 'status' | 'scope' | 'online'> & {
  unitId?: string | undefined;
  batteryPercent?: number | undefined;
};

const healthCells = (key: string, d: HealthCounted, lowBelow: number): string[] => [
  `${key}|total`,
  ...(d.online === true ? [`${key}|online`] : []),
  ...(typeof d.batteryPercent === 'number' && d.batteryPercent < lowBelow ? [`${key}|low`] : []),
];

/**
 * An active device counts under every code of its scope, once per division of its scope (so a
 * township's counts hold each of its villages) and once for its unit; a retired one nowhere.
 * `lowBelow` is the battery level its kind's profile calls low.
 */
export function healthPlacements(
  d: HealthCounted,
  lowBelow: number,
): { divisions: HealthPlacement | null; units: HealthPlacement | null } {
  if (d.status !== 'active' || d.scope.length === 0) return { divisions: null, units: null };
  return {
    divisions: { codes: d.scope, cells: d.scope.flatMap((code) => healthCells(code, d, lowBelow)) },
    units: d.unitId ? { codes: d.scope, cells: healthCells(d.unitId, d, lowBelow) } : null,
  };
}

export interface HealthCountRow {
  key: string;
  total: number;
  online: number;
  lowBattery: number;
}

/** Rows from counted cells (`<key>|total|online|low` → n), for the keys `keep` accepts, by key. */
export function healthRows(cells: ReadonlyMap<string, number>, keep: (key: string) => boolean): HealthCountRow[] {
  const rows = new Map<string, HealthCountRow>();
  for (const [cell, n] of cells) {
    const bar = cell.lastIndexOf('|');
    const key = cell.slice(0, bar);
    if (!keep(key)) continue;
    const row = rows.get(key) ?? { key, total: 0, online: 0, lowBattery: 0 };
    const what = cell.slice(bar + 1);
    if (what === 'total') row.total = n;
    else if (what === 'online') row.online = n;
    else if (what === 'low') row.lowBattery = n;
    rows.set(key, row);
  }
  return [...rows.values()].filter((r) => r.total > 0).sort((a, b) => a.key.localeCompare(b.key));
}
