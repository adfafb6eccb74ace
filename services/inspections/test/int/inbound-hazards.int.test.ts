import { assessmentTopic, sensorFaultTopic } from '@firegov/contracts';
import { PermanentError } from '@firegov/events';
import { handleHazardSource, type HazardSourceEvent } from '../../src/events/inbound/hazard-sources.ts';
import { seedRegistry, startHarness, unitSnapshot, type Harness } from '../harness.ts';

// The mapping of upstream events to hazards, without Kafka (the consumer itself is covered end to
// end in e2e/chain.e2e.test.ts): each finding or fault once, however often it is delivered.

let h: Harness;
const unit = unitSnapshot({ name: '评估测试商场', category: 'supermarket' });

beforeAll(async () => {
  h = await startHarness('insp-inbound');
  await seedRegistry(h, [unit]);
});
afterAll(async () => h.close());

let seq = 0;
const meta = (topic: string) => {
  seq += 1;
  return {
    id: `ev_${seq}`,
    source: 'test',
    time: new Date().toISOString(),
    subject: undefined,
    topic,
    partition: 0,
    offset: String(seq),
    key: unit.id,
  };
};

const assessment = (id: string, unitId = unit.id) => ({
  id,
  version: 1,
  unitId,
  agencyId: 'ag_1',
  assessedOn: '2026-03-01',
  grade: 'C' as const,
  score: 61,
  findings: [
    {
      id: 'f1',
      category: '疏散',
      severity: 'major' as const,
      description: '疏散楼梯间堆放货物',
      location: '2F 东侧楼梯',
      evidence: [],
    },
    {
      id: 'f2',
      category: '设施',
      severity: 'general' as const,
      description: '灭火器压力不足',
      location: '1F 收银台',
      evidence: [],
    },
  ],
});

const submitted = (id: string, unitId?: string): HazardSourceEvent => ({
  ...meta(assessmentTopic.name),
  type: 'assessment.assessment.submitted',
  data: assessment(id, unitId),
});

test('each finding of an assessment becomes a hazard once, however often it arrives or is amended', async () => {
  expect(await handleHazardSource(h.services.hazards, submitted('as_1'))).toBe(2);
  expect(await handleHazardSource(h.services.hazards, submitted('as_1'))).toBe(0);
  const amended: HazardSourceEvent = {
    ...meta(assessmentTopic.name),
    type: 'assessment.assessment.amended',
    data: { ...assessment('as_1'), version: 2, supersedesVersion: 1 },
  };
  expect(await handleHazardSource(h.services.hazards, amended)).toBe(0);
  const withdrawn: HazardSourceEvent = {
    ...meta(assessmentTopic.name),
    type: 'assessment.assessment.withdrawn',
    data: { id: 'as_1', unitId: unit.id, agencyId: 'ag_1', reason: '撤回' },
  };
  expect(await handleHazardSource(h.services.hazards, withdrawn)).toBe(0);
  const hazards = await h.models.hazards.find({ unitId: unit.id, source: 'assessment' }).lean();
  expect(hazards.map((x) => [x._id, x.sourceRef?.id, x.state.grade, x.foundBy]).sort()).toEqual([
    ['hz_a_as_1_f1', 'as_1#f1', 'major', 'agency:ag_1'],
    ['hz_a_as_1_f2', 'as_1#f2', 'general', 'agency:ag_1'],
  ]);
});

test('a persistent sensor fault becomes one hazard; an event for a unit the registry does not know is permanent', async () => {
  const fault: HazardSourceEvent = {
    ...meta(sensorFaultTopic.name),
    type: 'sensors.fault.persisted',
    data: {
      id: 'sf_1',
      deviceId: 'dev_9',
      unitId: unit.id,
      kind: 'low_pressure',
      since: '2026-03-01T08:00:00+08:00',
      description: '喷淋管网压力低',
    },
  };
  expect(await handleHazardSource(h.services.hazards, fault)).toBe(1);
  expect(await handleHazardSource(h.services.hazards, fault)).toBe(0);
  expect(await h.models.hazards.findById('hz_s_sf_1').lean()).toMatchObject({
    source: 'sensor',
    sourceRef: { kind: 'sensor', id: 'sf_1' },
    foundBy: 'device:dev_9',
  });
  await expect(handleHazardSource(h.services.hazards, submitted('as_2', 'u_nobody'))).rejects.toBeInstanceOf(PermanentError);
});
