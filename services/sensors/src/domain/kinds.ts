import { defineEnum } from '@firegov/contracts';

// The device kinds the plan names (seed tasks 2 and 8: 独立式烟感, 简易喷淋, 电气火灾监控 in vulnerable
// households and small premises; fire alarm systems connected to remote monitoring) and what each
// one measures. Pure data: ingest validates readings against it, the rule engine reads it.

export const DeviceKind = defineEnum({
  smoke_detector: { zh: '独立式感烟火灾探测报警器（NB-IoT/4G）', en: 'Independent smoke alarm (NB-IoT/4G)' },
  electrical_fire_monitor: { zh: '电气火灾监控探测器', en: 'Electrical fire monitor' },
  hydrant_pressure: { zh: '消火栓管网压力监测', en: 'Hydrant pipe pressure' },
  sprinkler_pressure: { zh: '喷淋管网压力监测', en: 'Sprinkler pipe pressure' },
  water_tank_level: { zh: '消防水箱（池）液位监测', en: 'Fire-water tank level' },
  fire_alarm_controller: {
    zh: '火灾报警控制器（经用户信息传输装置接入）',
    en: 'Fire alarm controller (through a user information transmission device)',
  },
  gas_detector: { zh: '可燃气体探测器', en: 'Combustible gas detector' },
  ebike_charging_monitor: { zh: '电动自行车充电监测装置', en: 'E-bike charging monitor' },
});
export type DeviceKind = (typeof DeviceKind.values)[number];

export interface Measurement {
  name: string;
  type: 'number' | 'boolean';
  /** Unit of a number (UCUM-style symbol), shown next to values. */
  unit?: string;
  /** Physical range a sane reading stays in; a value outside it is refused as malformed. */
  min?: number;
  max?: number;
  zh: string;
}

export interface KindSpec {
  /** What a reading's `point` names for this kind, or null when the device has one point. */
  point: { label: string; pattern: RegExp } | null;
  measurements: readonly Measurement[];
}

const bool = (name: string, zh: string): Measurement => ({ name, type: 'boolean', zh });
const num = (name: string, unit: string, min: number, max: number, zh: string): Measurement => ({
  name,
  type: 'number',
  unit,
  min,
  max,
  zh,
});

const pressure = [num('pressureMpa', 'MPa', 0, 4, '管网压力')] as const;

// Controller points are `<loop>-<point>` (回路-点位) as the transmission device reports them; the
// controller itself (its own fault, its power) is point `0-0`.
export const KIND_SPECS: Readonly<Record<DeviceKind, KindSpec>> = {
  smoke_detector: {
    point: null,
    measurements: [
      bool('alarm', '烟雾报警'),
      num('batteryPercent', '%', 0, 100, '电池电量'),
      bool('tamper', '防拆报警'),
      bool('fault', '故障'),
    ],
  },
  electrical_fire_monitor: {
    point: { label: 'channel (通道)', pattern: /^(?:[1-9]|[1-5]\d|6[0-4])$/ },
    measurements: [
      num('residualCurrentMa', 'mA', 0, 10_000, '剩余电流'),
      num('cableTemperatureC', 'Cel', -40, 300, '线缆温度'),
      bool('fault', '故障'),
    ],
  },
  hydrant_pressure: { point: null, measurements: pressure },
  sprinkler_pressure: { point: null, measurements: pressure },
  water_tank_level: { point: null, measurements: [num('levelM', 'm', 0, 100, '液位')] },
  fire_alarm_controller: {
    point: { label: 'loop-point (回路-点位)', pattern: /^\d{1,3}-\d{1,4}$/ },
    measurements: [bool('fire', '火警'), bool('fault', '故障'), bool('shielded', '屏蔽/隔离'), bool('supervisory', '监管')],
  },
  gas_detector: {
    point: null,
    measurements: [num('lelPercent', '%LEL', 0, 100, '可燃气体浓度'), bool('fault', '故障')],
  },
  ebike_charging_monitor: {
    point: { label: 'socket (插座)', pattern: /^(?:[1-9]|[1-5]\d|6[0-4])$/ },
    measurements: [num('currentA', 'A', 0, 100, '充电电流'), num('temperatureC', 'Cel', -40, 300, '温度'), bool('smoke', '烟雾')],
  },
};

export function measurementOf(kind: DeviceKind, name: string): Measurement | undefined {
  return KIND_SPECS[kind].measurements.find((m) => m.name === name);
}
