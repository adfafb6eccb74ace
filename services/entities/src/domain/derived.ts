import type { UnitCategory } from '@firegov/contracts';
import type { BuildingUse } from './enums.ts';

export interface DerivedFlags {
  highRise: boolean;
  /** Why the building counts as high-rise (zh-CN, citing the standard); only when highRise. */
  highRiseReason?: string;
  /** 经营性自建房 with 10 or more people: the target of the seed plan's task 10. */
  selfBuiltTarget: boolean;
}

export interface FlagInput {
  category: UnitCategory;
  buildingUse: BuildingUse;
  floors: number;
  heightM: number;
  occupancy: number;
}

// GB 50016-2014 (2018 edition) §2.1.1 高层建筑.
const RESIDENTIAL_HIGH_RISE_M = 27;
const OTHER_HIGH_RISE_M = 24;
const STANDARD = 'GB 50016-2014（2018年版）第2.1.1条';
const SELF_BUILT_TARGET_OCCUPANCY = 10;

export function deriveFlags(unit: FlagInput): DerivedFlags {
  const selfBuiltTarget = unit.category === 'business_self_built_house' && unit.occupancy >= SELF_BUILT_TARGET_OCCUPANCY;
  const height = unit.heightM;

  if (unit.buildingUse === 'residential') {
    if (height > RESIDENTIAL_HIGH_RISE_M) {
      return {
        highRise: true,
        highRiseReason: `住宅建筑高度 ${height} m，大于 ${RESIDENTIAL_HIGH_RISE_M} m（${STANDARD}）`,
        selfBuiltTarget,
      };
    }
    return { highRise: false, selfBuiltTarget };
  }

  // §2.1.1 excludes single-storey factories and warehouses, and table 5.1.1 does the same for
  // single-storey public buildings (an auditorium or a hangar evacuates at ground level whatever its height).
  // Mixed use counts as non-residential because its public part sets the stricter 24 m threshold.
  if (height > OTHER_HIGH_RISE_M && unit.floors > 1) {
    const kind =
      unit.buildingUse === 'industrial' ? '非单层厂房/仓库' : unit.buildingUse === 'mixed' ? '商住混合建筑' : '非单层公共建筑';
    return {
      highRise: true,
      highRiseReason: `${kind}建筑高度 ${height} m，大于 ${OTHER_HIGH_RISE_M} m（${STANDARD}）`,
      selfBuiltTarget,
    };
  }
  return { highRise: false, selfBuiltTarget };
}
