// The fault drill's books: what the agencies were told was accepted, against what each stage holds
// afterwards. Pure: run.ts reads the stores and the topic, this module counts and judges.

/** A push the assessment service answered 201 (or replayed as 201) for. */
export interface AcceptedPush {
  idempotencyKey: string;
  assessmentId: string;
  unitId: string;
  findingIds: readonly string[];
}

/** What the stages held when the drill looked. */
export interface Observed {
  /** The drill agency's stored assessments: id, key and how many versions each has. */
  stored: ReadonlyArray<{ id: string; idempotencyKey: string; versions: number }>;
  /** `assessment.assessment.submitted` events on the topic (redeliveries included): assessment id and event id. */
  published: ReadonlyArray<{ assessmentId: string; eventId: string }>;
  /** Inspections' hazards from assessments: their `sourceRef.id` (`<assessment>#<finding>`), one entry per document. */
  hazards: readonly string[];
  /** Event ids entities folded into the drill units' grades (`appliedEventIds`). */
  entitiesApplied: ReadonlySet<string>;
}

export interface DrillCounts {
  accepted: number;
  stored: number;
  published: number;
  /** Findings of accepted pushes, each of which must be exactly one hazard. */
  hazardsExpected: number;
  hazardsApplied: number;
  entitiesApplied: number;
  /** Accepted pushes missing at a stage. */
  lost: { stored: number; published: number; hazards: number; entities: number };
  /** Effects applied more than once: a second version of one push, or a finding's hazard twice. */
  doubled: { versions: number; hazards: number };
  /** Published events beyond one per assessment: at-least-once delivery, harmless when consumers apply once. */
  republished: number;
}

export function tally(accepted: readonly AcceptedPush[], seen: Observed): DrillCounts {
  const stored = new Map(seen.stored.map((s) => [s.id, s]));
  const eventsOf = new Map<string, string[]>();
  for (const p of seen.published) {
    const list = eventsOf.get(p.assessmentId) ?? [];
    list.push(p.eventId);
    eventsOf.set(p.assessmentId, list);
  }
  const hazardCount = new Map<string, number>();
  for (const ref of seen.hazards) hazardCount.set(ref, (hazardCount.get(ref) ?? 0) + 1);

  const lost = { stored: 0, published: 0, hazards: 0, entities: 0 };
  const doubled = { versions: 0, hazards: 0 };
  let hazardsExpected = 0;
  let hazardsApplied = 0;
  let entitiesApplied = 0;
  let published = 0;
  let republished = 0;
  for (const a of accepted) {
    const doc = stored.get(a.assessmentId);
    if (!doc || doc.idempotencyKey !== a.idempotencyKey) lost.stored += 1;
    else if (doc.versions > 1) doubled.versions += 1;
    const events = eventsOf.get(a.assessmentId) ?? [];
    if (events.length === 0) lost.published += 1;
    else {
      published += 1;
      republished += new Set(events).size - 1;
    }
    let complete = true;
    for (const f of a.findingIds) {
      hazardsExpected += 1;
      const n = hazardCount.get(`${a.assessmentId}#${f}`) ?? 0;
      if (n === 0) complete = false;
      else hazardsApplied += 1;
      if (n > 1) doubled.hazards += n - 1;
    }
    if (!complete) lost.hazards += 1;
    if (events.some((id) => seen.entitiesApplied.has(id))) entitiesApplied += 1;
    else lost.entities += 1;
  }
  return {
    accepted: accepted.length,
    stored: accepted.length - lost.stored,
    published,
    hazardsExpected,
    hazardsApplied,
    entitiesApplied,
    lost,
    doubled,
    republished,
  };
}

/** Every accepted push reached every stage. */
export const caughtUp = (c: DrillCounts): boolean => c.lost.stored + c.lost.published + c.lost.hazards + c.lost.entities === 0;

export interface Verdict {
  what: string;
  pass: boolean;
  detail: string;
}

/**
 * The drill passes with nothing lost, nothing applied twice, every consumer caught up within the
 * bound, and no process dead but the ones the drill killed (a supervisor would restart it, but a
 * crash under a fault is a bug).
 */
export function judge(
  c: DrillCounts,
  catchUpS: number | undefined,
  boundS: number,
  died: ReadonlyArray<{ name: string; how: string }> = [],
  pushes: { sent: number; refused: number } = { sent: c.accepted, refused: 0 },
): Verdict[] {
  const unaccepted = pushes.sent - c.accepted;
  const lostTotal = c.lost.stored + c.lost.published + c.lost.hazards + c.lost.entities;
  return [
    {
      // Missing when the drill ended: lost, or applied later than the bound (the third verdict tells which).
      what: 'accepted writes not applied',
      pass: lostTotal === 0,
      detail: `${lostTotal} (not stored ${c.lost.stored}, not published ${c.lost.published}, hazards missing ${c.lost.hazards}, not in entities ${c.lost.entities})`,
    },
    {
      what: 'double effects',
      pass: c.doubled.versions + c.doubled.hazards === 0,
      detail: `${c.doubled.versions + c.doubled.hazards} (second versions ${c.doubled.versions}, duplicate hazards ${c.doubled.hazards})`,
    },
    {
      what: 'consumers caught up',
      pass: catchUpS !== undefined && catchUpS <= boundS,
      detail:
        catchUpS === undefined ? `not within ${boundS} s` : `${catchUpS.toFixed(1)} s after the load ended (bound ${boundS} s)`,
    },
    {
      // A push refused (a 4xx the agency cannot fix by retrying) or still unanswered after the
      // retries' grace: the platform did not take a write it should have.
      what: 'pushes never accepted',
      pass: unaccepted === 0,
      detail: `${unaccepted} of ${pushes.sent} (refused ${pushes.refused}, still failing after the grace ${unaccepted - pushes.refused})`,
    },
    {
      what: 'processes that died on their own',
      pass: died.length === 0,
      detail: died.length === 0 ? 'none' : died.map((d) => `${d.name} (${d.how})`).join(', '),
    },
  ];
}

export interface FaultOutcome {
  fault: string;
  /** From the fault's start until what was broken answers again. */
  recoveredS: number;
  /** Pushes accepted while the fault lasted and in the steady period after it. */
  acceptedDuring: number;
}

/** What `npm run drill` writes to reports/drill.json (the capacity report shows it). */
export interface DrillReport {
  at: string;
  conditions: string;
  faults: FaultOutcome[];
  push: {
    sent: number;
    accepted: number;
    retries: number;
    refused: number;
    longestWaitS: number;
    /** Answers other than 201 by status or error (absent from drills run before it was counted). */
    answers?: Record<string, number>;
  };
  counts: DrillCounts;
  catchUpS: number | null;
  verdicts: Verdict[];
}
