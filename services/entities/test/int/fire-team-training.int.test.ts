import { trainingOutreachTopic, type TeamSessionRecorded } from '@firegov/contracts';
import { createPublisher, type Publisher, type RunningConsumer } from '@firegov/events';
import { ensureTopics, eventually, testLogger } from '@firegov/testing';
import { startFireTeamTrainingConsumer } from '../../src/events/inbound/fire-team-training.ts';
import { seedTree, startHarness, townshipA, VILLAGE_A1, type Harness } from '../harness.ts';

// Village fire-team training sessions from training's outreach topic, through real Kafka, feed the
// readiness view: each session's hours count once, however often it is delivered.

let h: Harness;
let consumer: RunningConsumer;
let training: Publisher;

beforeAll(async () => {
  h = await startHarness('entities-team-training');
  await seedTree(h);
  await ensureTopics(h.kafka, [h.topic(trainingOutreachTopic.name)]);
  consumer = await startFireTeamTrainingConsumer({
    kafka: h.kafka,
    publisher: h.publisher,
    logger: testLogger(),
    registry: h.services.registry,
    topicPrefix: h.ns.topicPrefix,
    groupId: h.ns.group('team-training'),
  });
  training = await createPublisher({ kafka: h.kafka, source: 'training', topicPrefix: h.ns.topicPrefix });
}, 60_000);
afterAll(async () => {
  await training?.disconnect();
  await consumer?.stop();
  await h.close();
});

test('a team session’s hours reach the village readiness once, however often the session is delivered', async () => {
  const team = await h.services.registry.registerFireTeam(townshipA, {
    jurisdictionCode: VILLAGE_A1,
    kind: 'part_time',
    name: '青龙村兼职消防队',
    members: Array.from({ length: 20 }, (_, i) => ({ name: `队员${i}`, phone: '13800138000' })),
    equipment: [],
  });
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const session = (id: string, hours: number): TeamSessionRecorded => ({
    id,
    teamId: team._id,
    villageCode: VILLAGE_A1,
    date: today,
    hours,
    participants: 18,
    content: '水带连接与手抬机动泵操作',
  });
  const send = (s: TeamSessionRecorded) =>
    training.publish(trainingOutreachTopic, { type: 'training.team_session.recorded', key: s.teamId, subject: s.id, data: s });
  await send(session('tss_1', 4));
  await send(session('tss_1', 4));
  await send(session('tss_2', 2.5));
  const token = await h.token(townshipA);
  const row = await eventually(async () => {
    // Consumed first, read after: a read that began before the last session landed would be stale.
    if (consumer.stats.processed < 3) throw new Error('not all sessions consumed yet');
    const res = await h.gql<{
      fireForceReadiness: Array<{ villageCode: string; trainingHours: number; trainingTargetHours: number; ready: boolean }>;
    }>(`{ fireForceReadiness { villageCode trainingHours trainingTargetHours ready } }`, {}, token);
    return res.data!.fireForceReadiness.find((x) => x.villageCode === VILLAGE_A1)!;
  });
  expect(row).toMatchObject({ trainingHours: 6.5, trainingTargetHours: 0 });
  const stored = await h.models.fireTeams.findById(team._id).lean();
  expect(stored?.trainingSessions?.map((s) => s.id)).toEqual(['tss_1', 'tss_2']);
});
