import { trainingOutreachTopic, type UnitSnapshot } from '@firegov/contracts';
import { upsertJurisdiction, upsertUnit } from '@firegov/registry';
import { loadOutreachDemo } from '../../src/demo/outreach.ts';
import { COUNTY, startHarness, TOWNSHIP_A, VILLAGE_A1, type Harness } from '../harness.ts';

// The demo outreach year loads against the registry view and the entities projections, once.

let h: Harness;
const VILLAGE_A2 = '500230213202';

const demoUnit = (id: string, keyUnit: boolean, villageCode: string): UnitSnapshot => ({
  id,
  version: 1,
  name: `演示单位${id}`,
  category: 'hotel',
  countyCode: COUNTY,
  townshipCode: TOWNSHIP_A,
  villageCode,
  address: '青龙乡',
  buildingUse: 'commercial',
  floors: 3,
  undergroundFloors: 0,
  heightM: 10,
  occupancy: 50,
  keyUnit,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'low',
  riskScore: 0,
  status: 'active',
  demo: true,
});

beforeAll(async () => {
  h = await startHarness('training-outreach-demo', [trainingOutreachTopic.name]);
  await upsertJurisdiction(h.models, { code: COUNTY, name: '丰都县', level: 'county', demo: true });
  await upsertJurisdiction(h.models, { code: TOWNSHIP_A, name: '青龙乡', level: 'township', parentCode: COUNTY, demo: true });
  for (const v of [VILLAGE_A1, VILLAGE_A2])
    await upsertJurisdiction(h.models, {
      code: v,
      name: `村${v.slice(-3)}`,
      level: 'village',
      parentCode: TOWNSHIP_A,
      demo: true,
    });
  for (let i = 1; i <= 4; i += 1) await upsertUnit(h.models, demoUnit(`u_demo_${i}`, i <= 2, i % 2 ? VILLAGE_A1 : VILLAGE_A2));
  for (let i = 1; i <= 6; i += 1)
    await h.services.visits.projectHousehold(`ev_h${i}`, {
      id: `hh_demo_${i}`,
      villageCode: i % 2 ? VILLAGE_A1 : VILLAGE_A2,
      memberCount: 2,
      vulnerabilities: ['elderly_alone'],
      demo: true,
    });
  await h.services.teamTraining.projectFireTeam('ev_t1', {
    id: 't_demo_1',
    villageCode: VILLAGE_A1,
    kind: 'part_time',
    memberCount: 20,
  });
}, 60_000);
afterAll(async () => h?.close());

test('the demo year fills every outreach record kind and is not loaded twice', async () => {
  const first = await loadOutreachDemo({ services: h.services, models: h.models, countyCode: COUNTY, now: h.clock.now });
  expect(first).toEqual({
    publicity: 2 * 2 + 1 + 4,
    visits: 4,
    responses: 20,
    volunteers: 6,
    drills: 1,
    teamSessions: 1,
    skipped: false,
  });
  const again = await loadOutreachDemo({ services: h.services, models: h.models, countyCode: COUNTY, now: h.clock.now });
  expect(again.skipped).toBe(true);
  await h.events.waitFor((m) => m.envelope?.type === 'training.drill.recorded');
});
