import type { DeviceKind } from '../domain/kinds.ts';
import { addressOfId } from '../gbt26875/codec.ts';

// The demo county's monitoring devices (物联网感知设备): which kind goes to which demo unit or
// vulnerable household, under which serial. Pure and deterministic: the same units and households
// give the same plan, so a second `npm start` registers nothing new (a serial already registered is
// kept where it is).

/** What the plan needs of a demo unit (the registry view's fields). */
export interface DemoUnit {
  _id: string;
  category: string;
  keyUnit: boolean;
  highRise: boolean;
}

export interface PlannedDevice {
  serial: string;
  kind: DeviceKind;
  name: string;
  unitId?: string;
  place?: string;
  householdId?: string;
  /** Controllers only: the transmission device (用户信息传输装置) it is reached through. */
  uitd?: { address: string; system: number };
}

/** The demo transmission devices: address (12 hex, wire order) and the controllers' system addresses behind it. */
export interface PlannedUitd {
  address: string;
  unitId: string;
  systems: number[];
}

export interface FleetPlan {
  devices: PlannedDevice[];
  uitds: PlannedUitd[];
}

/** Demo UITD ids start here (sent as a 48-bit LE integer, the commonest addressing [I]). */
export const DEMO_UITD_BASE_ID = 5_002_300_001;
const UITDS = 8;
/** The first UITDs front two controllers (system addresses 1 and 2), the rest one. */
const TWIN_UITDS = 4;

const KEY_PREMISES = new Set(['high_rise', 'large_commercial_complex', 'hotel', 'medical', 'school', 'elderly_care']);

interface Group {
  kind: DeviceKind;
  prefix: string;
  count: number;
  name: string;
  places: readonly string[];
  /** Which units get it; when no unit fits, any demo unit does. */
  fits: (u: DemoUnit) => boolean;
}

const categories =
  (...names: string[]) =>
  (u: DemoUnit): boolean =>
    names.includes(u.category);
const keyPremises = (u: DemoUnit): boolean => KEY_PREMISES.has(u.category) || u.highRise;

// Counts give a few hundred devices in all: enough for every list and queue to have something,
// modest enough for a 2-core laptop at ~50 readings/s.
const UNIT_GROUPS: readonly Group[] = [
  {
    kind: 'smoke_detector',
    prefix: 'SD',
    count: 90,
    name: '独立式烟感',
    places: ['一楼大厅', '二楼走廊', '仓库', '楼梯间'],
    fits: categories('small_venue', 'three_in_one', 'internet_cafe', 'escape_room', 'business_self_built_house', 'group_rental'),
  },
  {
    kind: 'electrical_fire_monitor',
    prefix: 'EFM',
    count: 60,
    name: '电气火灾监控探测器',
    places: ['一楼配电箱', '总配电柜', '厨房配电箱'],
    fits: categories('supermarket', 'restaurant', 'small_venue', 'three_in_one', 'factory', 'warehouse'),
  },
  {
    kind: 'gas_detector',
    prefix: 'GAS',
    count: 40,
    name: '可燃气体探测器',
    places: ['后厨', '燃气表间'],
    fits: categories('restaurant', 'hotel'),
  },
  {
    kind: 'ebike_charging_monitor',
    prefix: 'EB',
    count: 30,
    name: '电动自行车充电监测装置',
    places: ['电动车集中充电区', '一楼架空层'],
    fits: categories('group_rental', 'rural_self_built_house', 'business_self_built_house', 'three_in_one'),
  },
  {
    kind: 'hydrant_pressure',
    prefix: 'HYD',
    count: 25,
    name: '消火栓管网压力监测',
    places: ['室内消火栓最不利点', '消防泵房出水管'],
    fits: keyPremises,
  },
  {
    kind: 'sprinkler_pressure',
    prefix: 'SPR',
    count: 25,
    name: '喷淋末端压力监测',
    places: ['末端试水装置'],
    fits: keyPremises,
  },
  {
    kind: 'water_tank_level',
    prefix: 'TANK',
    count: 15,
    name: '消防水箱液位监测',
    places: ['屋顶消防水箱', '地下消防水池'],
    fits: keyPremises,
  },
];

const HOUSEHOLD_GROUPS: ReadonlyArray<Pick<Group, 'kind' | 'prefix' | 'count' | 'name'>> = [
  { kind: 'smoke_detector', prefix: 'SDH', count: 60, name: '独立式烟感（入户）' },
  { kind: 'gas_detector', prefix: 'GASH', count: 20, name: '可燃气体探测器（入户）' },
];

const serialOf = (prefix: string, i: number): string => `${prefix}-${String(i + 1).padStart(4, '0')}`;
const byId = <T extends { _id: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => (a._id < b._id ? -1 : 1));

/** The UITD address (12 hex digits, wire order) of demo transmission device `i`. */
export const demoUitdAddress = (i: number): string => addressOfId(DEMO_UITD_BASE_ID + i).hex;

/**
 * Devices of every kind on the demo units (by what fits their category), smoke and gas detectors in
 * the first vulnerable households (特殊群体家庭), and fire alarm controllers behind eight transmission
 * devices at key premises. Units are taken in id order and reused when there are fewer than devices.
 */
export function planFleet(units: readonly DemoUnit[], households: ReadonlyArray<{ _id: string }>): FleetPlan {
  if (units.length === 0) return { devices: [], uitds: [] };
  const sorted = byId(units);
  const devices: PlannedDevice[] = [];
  for (const g of UNIT_GROUPS) {
    const fitting = sorted.filter(g.fits);
    const pool = fitting.length > 0 ? fitting : sorted;
    for (let i = 0; i < g.count; i++) {
      const place = g.places[i % g.places.length] as string;
      devices.push({
        serial: serialOf(g.prefix, i),
        kind: g.kind,
        name: `${g.name} ${i + 1}号（演示）`,
        unitId: (pool[i % pool.length] as DemoUnit)._id,
        place,
      });
    }
  }
  const homes = byId(households);
  for (const g of HOUSEHOLD_GROUPS) {
    for (let i = 0; i < Math.min(g.count, homes.length); i++) {
      devices.push({
        serial: serialOf(g.prefix, i),
        kind: g.kind,
        name: `${g.name} ${i + 1}号（演示）`,
        householdId: (homes[i] as { _id: string })._id,
      });
    }
  }
  const keyUnits = sorted.filter(keyPremises);
  const sites = keyUnits.length > 0 ? keyUnits : sorted;
  const uitds: PlannedUitd[] = Array.from({ length: UITDS }, (_, i) => ({
    address: demoUitdAddress(i),
    unitId: (sites[i % sites.length] as DemoUnit)._id,
    systems: i < TWIN_UITDS ? [1, 2] : [1],
  }));
  let n = 0;
  for (const u of uitds) {
    for (const system of u.systems) {
      devices.push({
        serial: serialOf('FAC', n),
        kind: 'fire_alarm_controller',
        name: `火灾报警控制器 ${n + 1}号（演示）`,
        unitId: u.unitId,
        place: system === 1 ? '消防控制室' : '消防控制室（二号机）',
        uitd: { address: u.address, system },
      });
      n += 1;
    }
  }
  return { devices, uitds };
}
