import type { UnitSnapshot } from '@firegov/contracts';
import { unitRef } from '../src/projection.ts';

const snapshot: UnitSnapshot = {
  id: 'u_1',
  version: 3,
  name: '测试单位',
  category: 'hotel',
  countyCode: '500230000000',
  townshipCode: '500230213000',
  villageCode: '500230213201',
  address: '青龙乡 1 号',
  buildingUse: 'commercial',
  floors: 12,
  undergroundFloors: 1,
  heightM: 40,
  occupancy: 200,
  keyUnit: true,
  highRise: true,
  selfBuiltTarget: false,
  supervisingDepartment: 'commerce',
  riskGrade: 'general',
  riskScore: 40,
  status: 'active',
  demo: false,
};

test('the registry view keeps the key-unit, high-rise and self-built-target flags and the supervising department', () => {
  expect(unitRef(snapshot)).toEqual({
    _id: 'u_1',
    version: 3,
    name: '测试单位',
    category: 'hotel',
    countyCode: '500230000000',
    townshipCode: '500230213000',
    villageCode: '500230213201',
    scope: ['500230000000', '500230213000', '500230213201'],
    keyUnit: true,
    highRise: true,
    selfBuiltTarget: false,
    supervisingDepartment: 'commerce',
    status: 'active',
    demo: false,
  });
  const { supervisingDepartment: _dropped, ...plain } = snapshot;
  expect(unitRef({ ...plain, keyUnit: false, highRise: false })).not.toHaveProperty('supervisingDepartment');
});
