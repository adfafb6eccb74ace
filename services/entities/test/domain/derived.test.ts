import { deriveFlags } from '../../src/domain/derived.ts';
import type { FlagInput } from '../../src/domain/derived.ts';

const base: FlagInput = { category: 'other', buildingUse: 'residential', floors: 10, heightM: 27, occupancy: 5 };

describe('deriveFlags: high-rise per GB 50016-2014 §2.1.1', () => {
  test.each([
    ['residential', 10, 27, false],
    ['residential', 10, 27.1, true],
    ['residential', 9, 25, false],
    ['public', 8, 24, false],
    ['public', 8, 24.1, true],
    ['mixed', 8, 24, false],
    ['mixed', 9, 26, true],
    ['industrial', 6, 24, false],
    ['industrial', 2, 24.5, true],
    // Single-storey buildings over 24 m are 单、多层 (table 5.1.1 for public buildings, §2.1.1 for factories).
    ['industrial', 1, 30, false],
    ['public', 1, 30, false],
  ] as const)('%s, %i floors, %f m -> %s', (buildingUse, floors, heightM, highRise) => {
    expect(deriveFlags({ ...base, buildingUse, floors, heightM }).highRise).toBe(highRise);
  });

  test('gives a reason citing the standard only when high-rise', () => {
    const high = deriveFlags({ ...base, heightM: 33 });
    expect(high.highRiseReason).toBe('住宅建筑高度 33 m，大于 27 m（GB 50016-2014（2018年版）第2.1.1条）');
    expect(deriveFlags({ ...base, buildingUse: 'industrial', floors: 3, heightM: 25 }).highRiseReason).toMatch(
      /^非单层厂房\/仓库建筑高度 25 m，大于 24 m/,
    );
    expect(deriveFlags(base)).toEqual({ highRise: false, selfBuiltTarget: false });
  });
});

describe('deriveFlags: self-built target', () => {
  test.each([
    ['business_self_built_house', 10, true],
    ['business_self_built_house', 9, false],
    ['business_self_built_house', 120, true],
    ['rural_self_built_house', 30, false],
  ] as const)('%s with %i people -> %s', (category, occupancy, target) => {
    expect(deriveFlags({ ...base, category, occupancy }).selfBuiltTarget).toBe(target);
  });
});
