import { caughtUp, judge, tally, type AcceptedPush, type Observed } from '../drill/ledger.ts';

// The fault drill's books: every accepted push must be stored once, published, a hazard per finding
// and folded into its unit's grade; redeliveries are counted but are not double effects.

const push = (n: number, findings = 2): AcceptedPush => ({
  idempotencyKey: `k${n}`,
  assessmentId: `as_${n}`,
  unitId: `u${n % 2}`,
  findingIds: Array.from({ length: findings }, (_, i) => `F-${i + 1}`),
});

const everything = (accepted: readonly AcceptedPush[]): Observed => ({
  stored: accepted.map((a) => ({ id: a.assessmentId, idempotencyKey: a.idempotencyKey, versions: 1 })),
  published: accepted.map((a) => ({ assessmentId: a.assessmentId, eventId: `ev_${a.assessmentId}` })),
  hazards: accepted.flatMap((a) => a.findingIds.map((f) => `${a.assessmentId}#${f}`)),
  entitiesApplied: new Set(accepted.map((a) => `ev_${a.assessmentId}`)),
});

test('a drill where every stage holds every accepted push passes, with redeliveries counted apart', () => {
  const accepted = [push(1), push(2, 1), push(3)];
  const seen = everything(accepted);
  const counts = tally(accepted, {
    ...seen,
    published: [...seen.published, { assessmentId: 'as_1', eventId: 'ev_as_1' }, { assessmentId: 'as_2', eventId: 'ev_as_2b' }],
  });
  expect(counts).toMatchObject({
    accepted: 3,
    stored: 3,
    published: 3,
    hazardsExpected: 5,
    hazardsApplied: 5,
    entitiesApplied: 3,
  });
  expect(counts.republished).toBe(1);
  expect(caughtUp(counts)).toBe(true);
  expect(judge(counts, 4.2, 120).map((v) => v.pass)).toEqual([true, true, true, true, true]);
});

test('each stage that misses a push is named, and the drill fails', () => {
  const accepted = [push(1), push(2), push(3), push(4)];
  const seen = everything(accepted);
  const counts = tally(accepted, {
    stored: seen.stored.filter((s) => s.id !== 'as_1'),
    published: seen.published.filter((p) => p.assessmentId !== 'as_2'),
    hazards: seen.hazards.filter((h) => h !== 'as_3#F-2'),
    entitiesApplied: new Set([...seen.entitiesApplied].filter((e) => e !== 'ev_as_4')),
  });
  expect(counts.lost).toEqual({ stored: 1, published: 1, hazards: 1, entities: 2 });
  expect(counts.hazardsApplied).toBe(7);
  expect(caughtUp(counts)).toBe(false);
  const [lost] = judge(counts, undefined, 120);
  expect(lost).toMatchObject({ what: 'accepted writes not applied', pass: false });
  expect(lost!.detail).toContain('not stored 1');
});

test('a second version of one push, or a finding recorded twice, is a double effect', () => {
  const accepted = [push(1), push(2)];
  const seen = everything(accepted);
  const counts = tally(accepted, {
    ...seen,
    stored: seen.stored.map((s) => (s.id === 'as_1' ? { ...s, versions: 2 } : s)),
    hazards: [...seen.hazards, 'as_2#F-1', 'as_2#F-1'],
  });
  expect(counts.doubled).toEqual({ versions: 1, hazards: 2 });
  expect(judge(counts, 3, 120)[1]).toMatchObject({ what: 'double effects', pass: false });
});

test('a stored assessment under another key is not the push that was accepted', () => {
  const accepted = [push(1)];
  const seen = everything(accepted);
  const counts = tally(accepted, { ...seen, stored: [{ id: 'as_1', idempotencyKey: 'other', versions: 1 }] });
  expect(counts.lost.stored).toBe(1);
});

test('catching up later than the bound fails the drill even with nothing lost', () => {
  const accepted = [push(1)];
  const counts = tally(accepted, everything(accepted));
  expect(judge(counts, 130.5, 120)[2]).toMatchObject({ pass: false, detail: '130.5 s after the load ended (bound 120 s)' });
  expect(judge(counts, undefined, 120)[2]).toMatchObject({ pass: false, detail: 'not within 120 s' });
});

test('a process that died on its own fails the drill, naming it', () => {
  const accepted = [push(1)];
  const verdict = judge(tally(accepted, everything(accepted)), 2, 120, [{ name: 'entities', how: 'exit code 1' }])[4];
  expect(verdict).toEqual({ what: 'processes that died on their own', pass: false, detail: 'entities (exit code 1)' });
});

test('a push the platform never accepted fails the drill, refused or still failing', () => {
  const accepted = [push(1), push(2)];
  const verdict = judge(tally(accepted, everything(accepted)), 2, 120, [], { sent: 5, refused: 1 })[3];
  expect(verdict).toEqual({
    what: 'pushes never accepted',
    pass: false,
    detail: '3 of 5 (refused 1, still failing after the grace 2)',
  });
});
