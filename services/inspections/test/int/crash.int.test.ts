import { spawn } from 'node:child_process';
import path from 'node:path';
import { hazardTopic, inspectionTopic } from '@firegov/contracts';
import { hazardIdFor } from '../../src/service/inspections.ts';
import { seedRegistry, startHarness, townshipA, unitSnapshot, type Harness } from '../harness.ts';

// An inspection and its hazards stand or fall together. A process killed (SIGKILL, no shutdown)
// between the writes of one recording leaves the inspection marked as recording and only some of
// its hazards; the recovery completes it, exactly once, with every event.

let h: Harness;
const unit = unitSnapshot({ name: '青龙场镇王记超市', category: 'supermarket' });

beforeAll(async () => {
  h = await startHarness('insp-crash');
  await seedRegistry(h, [unit]);
});
afterAll(async () => h.close());

function recordThenDie(inspectedAt: string): Promise<{ code: number | null; signal: string | null; out: string }> {
  const script = path.join(__dirname, 'fixtures', 'record-then-die.ts');
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', script, h.ns.dbName, h.index.prefix, unit.id, inspectedAt],
    {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
}

test('a recording killed after its first hazard is completed by the recovery: both hazards, one event each, once', async () => {
  const inspectedAt = '2026-03-02T01:00:00.000Z';
  const died = await recordThenDie(inspectedAt);
  expect({ signal: died.signal, out: died.out.includes('not killed') }).toEqual({ signal: 'SIGKILL', out: false });

  const left = await h.models.inspections.findOne({ unitId: unit.id }).lean();
  expect(left).toMatchObject({ recording: true, hazardIds: [hazardIdFor(left!._id, 0), hazardIdFor(left!._id, 1)] });
  const id = left!._id;
  expect(await h.models.hazards.countDocuments({ unitId: unit.id })).toBe(1);
  // Half-written, it is not there for readers yet; a recording younger than the grace is left alone.
  const read = await h.gql<{ inspection: { id: string } | null }>(
    `query($id: ID!) { inspection(id: $id) { id } }`,
    { id },
    townshipA,
  );
  expect(read.data?.inspection).toBeNull();
  expect(await h.services.inspections.completeStalled(2 * 3_600_000)).toBe(0);

  expect(await h.services.inspections.completeStalled(60_000)).toBe(1);
  const hazards = await h.models.hazards.find({ unitId: unit.id }).sort({ _id: 1 }).lean();
  expect(hazards.map((x) => x._id)).toEqual(left!.hazardIds);
  expect(hazards.map((x) => x.sourceRef?.id)).toEqual([`${id}#exit`, `${id}#lane`]);
  const done = await h.models.inspections.findById(id).lean();
  expect(done?.recording).toBeUndefined();
  const after = await h.gql<{ inspection: { id: string; hazards: Array<{ id: string }> } | null }>(
    `query($id: ID!) { inspection(id: $id) { id hazards { id } } }`,
    { id },
    townshipA,
  );
  expect(after.data?.inspection?.hazards.map((x) => x.id)).toEqual(left!.hazardIds);

  // Every write's event reaches Kafka: both hazards (the first from the dead process's outbox), the inspection.
  const ofUnit = (m: (typeof h.events.messages)[number]) => m.key === unit.id;
  await h.events.waitFor((m) => ofUnit(m) && m.topic === h.topic(hazardTopic.name), 2);
  await h.events.waitFor((m) => ofUnit(m) && m.topic === h.topic(inspectionTopic.name), 1);
  // A second pass finds nothing to do and adds nothing.
  expect(await h.services.inspections.completeStalled(0)).toBe(0);
  expect(await h.models.hazards.countDocuments({ unitId: unit.id })).toBe(2);
});
