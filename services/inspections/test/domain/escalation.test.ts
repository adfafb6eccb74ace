import {
  DEFAULT_POLICY,
  escalate,
  initialEscalation,
  recordAction,
  recordInterview,
  resetOnNewDeadline,
} from '../../src/domain/escalation.ts';
import type { EscalationLevel, EscalationPolicy, EscalationState, WarningInterview } from '../../src/domain/escalation.ts';
import { DomainError } from '@firegov/contracts';
import type { HazardStatus } from '../../src/domain/hazard-state.ts';

const DAY = 86_400_000;
const DEADLINE = '2025-07-01T10:00:00.000Z';
const D = Date.parse(DEADLINE);
const at = (offsetMs: number) => new Date(D + offsetMs);
const iso = (offsetMs: number) => at(offsetMs).toISOString();

function run(escalation: EscalationState, offsetMs: number, status: HazardStatus = 'rectifying', deadline = DEADLINE) {
  return escalate({ status, deadline, escalation }, at(offsetMs));
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

/** Follows nextCheckAt from `fromMs` until `untilMs`, as the sweep would, returning each action with its offset from the deadline. */
function sweep(escalation: EscalationState, fromMs: number, untilMs: number, deadline = DEADLINE) {
  const log: string[] = [];
  let state = escalation;
  let now = fromMs;
  while (now <= untilMs) {
    const result = escalate({ status: 'rectifying', deadline, escalation: state }, at(now));
    for (const action of result.actions) {
      const when = `${Math.floor(now / DAY)}d+${now % DAY}ms`;
      if (action.kind === 'mark_overdue') log.push(`${when} overdue`);
      if (action.kind === 'list_supervision') log.push(`${when} list ${action.level}`);
      if (action.kind === 'remind') log.push(`${when} remind #${action.reminderNo} → ${action.to}`);
    }
    state = result.escalation;
    if (result.nextCheckAt === null) break;
    now = Date.parse(result.nextCheckAt) - D;
  }
  return { log, state };
}

describe('escalate', () => {
  test('nothing happens before the deadline; the next check is the deadline itself', () => {
    const result = run(initialEscalation(), -1);
    expect(result).toEqual({ escalation: initialEscalation(), actions: [], nextCheckAt: DEADLINE });
  });

  test('the full ladder in time-travel steps', () => {
    const step1 = run(initialEscalation(), 1);
    expect(step1.actions).toEqual([{ kind: 'mark_overdue', at: iso(1) }]);
    expect(step1.escalation).toMatchObject({ level: 'overdue', overdueSince: iso(1), reminders: 0 });
    expect(step1.nextCheckAt).toBe(iso(3 * DAY + 1));

    const step2 = run(step1.escalation, 3 * DAY + 1);
    expect(step2.actions).toEqual([{ kind: 'remind', at: iso(3 * DAY + 1), reminderNo: 1, to: 'responsible_party' }]);

    const step3 = run(step2.escalation, 6 * DAY);
    expect(step3.actions).toEqual([]);
    expect(step3.nextCheckAt).toBe(iso(6 * DAY + 1));

    const step4 = run(step3.escalation, 7 * DAY + 5);
    expect(step4.actions).toEqual([
      { kind: 'list_supervision', level: 'township', at: iso(7 * DAY + 5) },
      { kind: 'remind', at: iso(7 * DAY + 5), reminderNo: 2, to: 'township' },
    ]);
    expect(step4.escalation).toMatchObject({ level: 'township_supervision', townshipListedAt: iso(7 * DAY + 5), reminders: 2 });

    const step5 = run(step4.escalation, 30 * DAY);
    expect(step5.actions).toEqual([
      { kind: 'list_supervision', level: 'county', at: iso(30 * DAY) },
      { kind: 'remind', at: iso(30 * DAY), reminderNo: 3, to: 'county' },
    ]);
    expect(step5.escalation).toMatchObject({ level: 'county_supervision', countyListedAt: iso(30 * DAY) });
    expect(step5.nextCheckAt).toBe(iso(33 * DAY));
  });

  test('a sweep that follows nextCheckAt sees every rung and a reminder every 3 days', () => {
    const { log, state } = sweep(initialEscalation(), -2 * DAY, 34 * DAY);
    expect(log).toEqual([
      '0d+0ms overdue',
      '3d+0ms remind #1 → responsible_party',
      '6d+0ms remind #2 → responsible_party',
      '7d+0ms list township',
      '9d+0ms remind #3 → township',
      '12d+0ms remind #4 → township',
      '15d+0ms remind #5 → township',
      '18d+0ms remind #6 → township',
      '21d+0ms remind #7 → township',
      '24d+0ms remind #8 → township',
      '27d+0ms remind #9 → township',
      '30d+0ms list county',
      '30d+0ms remind #10 → county',
      '33d+0ms remind #11 → county',
    ]);
    expect(state.reminders).toBe(11);
  });

  test('someone acting on the hazard restarts the reminder clock', () => {
    const overdue = run(initialEscalation(), 0).escalation;
    const acted = recordAction(overdue, iso(2 * DAY));
    expect(run(acted, 3 * DAY).actions).toEqual([]);
    expect(run(acted, 3 * DAY).nextCheckAt).toBe(iso(5 * DAY));
    // An older action does not move the clock back.
    expect(recordAction(acted, iso(DAY)).lastActionAt).toBe(iso(2 * DAY));
  });

  test('catch-up: 40 days late, one call marks overdue and lists at both levels, in order, stamped now', () => {
    const result = run(initialEscalation(), 40 * DAY);
    expect(result.actions).toEqual([
      { kind: 'mark_overdue', at: iso(40 * DAY) },
      { kind: 'list_supervision', level: 'township', at: iso(40 * DAY) },
      { kind: 'list_supervision', level: 'county', at: iso(40 * DAY) },
    ]);
    expect(result.escalation).toMatchObject({
      level: 'county_supervision',
      overdueSince: iso(40 * DAY),
      townshipListedAt: iso(40 * DAY),
      countyListedAt: iso(40 * DAY),
      reminders: 0,
    });
    expect(result.nextCheckAt).toBe(iso(43 * DAY));
  });

  test('a sweep that was down for a week sends one reminder, not two', () => {
    const overdue = run(initialEscalation(), 0).escalation;
    const result = run(overdue, 6 * DAY + 1);
    expect(result.actions.filter((a) => a.kind === 'remind')).toHaveLength(1);
    expect(result.nextCheckAt).toBe(iso(7 * DAY));
  });

  test('idempotent: a second call at the same instant does nothing', () => {
    const first = run(initialEscalation(), 40 * DAY);
    const second = run(first.escalation, 40 * DAY);
    expect(second.actions).toEqual([]);
    expect(second.escalation).toEqual(first.escalation);
    expect(second.nextCheckAt).toBe(first.nextCheckAt);
  });

  test.each<[HazardStatus, string | undefined]>([
    ['closed', DEADLINE],
    ['dismissed', undefined],
    ['open', undefined],
    ['rectifying', undefined],
  ])('%s with deadline %s: nothing to do, nextCheckAt null', (status, deadline) => {
    const listed = run(initialEscalation(), 10 * DAY).escalation;
    const result = escalate({ status, deadline, escalation: listed }, at(50 * DAY));
    expect(result).toEqual({ escalation: listed, actions: [], nextCheckAt: null });
  });

  test('awaiting re-inspection keeps its level but climbs no further and is not reminded', () => {
    const township = run(initialEscalation(), 8 * DAY).escalation;
    expect(township.level).toBe('township_supervision');
    const result = run(township, 45 * DAY, 'awaiting_reinspection');
    expect(result).toEqual({ escalation: township, actions: [], nextCheckAt: null });
  });

  test('the input state is not mutated', () => {
    const state = Object.freeze({ ...initialEscalation(), interviews: Object.freeze([]) as unknown as WarningInterview[] });
    const result = run(state, 40 * DAY);
    expect(state).toEqual(initialEscalation());
    expect(result.escalation).not.toBe(state);
  });

  test('a bad deadline or policy is refused, naming the field', () => {
    expect(thrown(() => run(initialEscalation(), 0, 'rectifying', '2025-07-01')).details).toEqual([
      { path: '$.deadline', reason: expect.any(String) },
    ]);
    const bad: EscalationPolicy = { townshipAfterDays: 10, countyAfterDays: 5, reminderEveryDays: 0 };
    const err = thrown(() => escalate({ status: 'rectifying', deadline: DEADLINE, escalation: initialEscalation() }, at(0), bad));
    expect(err.details.map((d) => d.path)).toEqual(['$.policy.countyAfterDays', '$.policy.reminderEveryDays']);
  });
});

describe('warning interviews (警示约谈)', () => {
  const interview = (level: 'township' | 'county', offsetMs: number, interviewee = '张老板'): WarningInterview => ({
    at: iso(offsetMs),
    by: '镇长',
    interviewee,
    level,
  });

  test('no interview before any listing; a county interview needs a county listing', () => {
    const overdue = run(initialEscalation(), 1).escalation;
    expect(thrown(() => recordInterview(overdue, interview('township', DAY))).details).toEqual([
      { path: '$.level', reason: expect.stringContaining('乡镇挂牌督办') },
    ]);
    const township = run(overdue, 7 * DAY).escalation;
    expect(recordInterview(township, interview('township', 8 * DAY)).interviews).toHaveLength(1);
    expect(thrown(() => recordInterview(township, interview('county', 8 * DAY))).details.map((d) => d.path)).toEqual(['$.level']);
    const county = run(township, 30 * DAY).escalation;
    expect(recordInterview(county, interview('county', 31 * DAY)).interviews).toEqual([
      { at: iso(31 * DAY), by: '镇长', interviewee: '张老板', level: 'county' },
    ]);
  });

  test('an interview dated before the listing is refused', () => {
    const township = run(initialEscalation(), 7 * DAY).escalation;
    expect(thrown(() => recordInterview(township, interview('township', 6 * DAY))).details.map((d) => d.path)).toEqual(['$.at']);
  });

  test('every bad field is listed at once', () => {
    const township = run(initialEscalation(), 7 * DAY).escalation;
    const err = thrown(() => recordInterview(township, { at: 'yesterday', by: '', interviewee: ' ', level: 'county' }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.map((d) => d.path)).toEqual(['$.at', '$.by', '$.interviewee', '$.level']);
  });

  test('an interview counts as acting on the hazard and delays the next reminder', () => {
    const township = run(initialEscalation(), 7 * DAY).escalation;
    const after = recordInterview(township, interview('township', 8 * DAY));
    expect(after.lastActionAt).toBe(iso(8 * DAY));
    expect(run(after, 8 * DAY).nextCheckAt).toBe(iso(11 * DAY));
  });
});

describe('resetOnNewDeadline', () => {
  test('back to none for the new deadline, keeping listings, interviews and the reminder count', () => {
    const { state: county } = sweep(initialEscalation(), 0, 31 * DAY);
    const interviewed = recordInterview(county, {
      at: iso(31 * DAY),
      by: '县消防救援大队',
      interviewee: '张老板',
      level: 'county',
    });
    const reset = resetOnNewDeadline(interviewed);
    expect(reset).toMatchObject({
      level: 'none',
      townshipListedAt: iso(7 * DAY),
      countyListedAt: iso(30 * DAY),
      reminders: interviewed.reminders,
      interviews: interviewed.interviews,
    });
    expect(reset.overdueSince).toBeUndefined();
    expect(interviewed.level).toBe('county_supervision');

    // The county's standing to hold an interview survives the new deadline.
    expect(
      recordInterview(reset, { at: iso(32 * DAY), by: '县', interviewee: '张老板', level: 'county' }).interviews,
    ).toHaveLength(2);

    // Missing the new deadline climbs the ladder again; the listing times stay those of the first listing.
    const newDeadline = iso(45 * DAY);
    const first = escalate({ status: 'rectifying', deadline: newDeadline, escalation: reset }, at(40 * DAY));
    expect(first).toMatchObject({ actions: [], nextCheckAt: newDeadline });
    const { log, state } = sweep(reset, 45 * DAY, 52 * DAY, newDeadline);
    expect(log.slice(0, 2)).toEqual(['45d+0ms overdue', `48d+0ms remind #${interviewed.reminders + 1} → responsible_party`]);
    expect(log).toContain('52d+0ms list township');
    expect(state.townshipListedAt).toBe(iso(7 * DAY));
  });
});

describe('nextCheckAt is exact', () => {
  // mulberry32: a tiny seeded generator, so a failure reproduces.
  function rng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const LEVELS: EscalationLevel[] = ['none', 'overdue', 'township_supervision', 'county_supervision'];
  const POLICIES: EscalationPolicy[] = [
    DEFAULT_POLICY,
    { townshipAfterDays: 0, countyAfterDays: 0, reminderEveryDays: 1 },
    { townshipAfterDays: 2.5, countyAfterDays: 10, reminderEveryDays: 0.5 },
    { townshipAfterDays: 5, countyAfterDays: 5, reminderEveryDays: 7 },
  ];

  test('at nextCheckAt something happens, 1 ms before nothing does, and a repeat call is idempotent', () => {
    const random = rng(35181);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const instant = () => iso(Math.floor((random() * 55 - 10) * DAY));
    const maybe = () => (random() < 0.5 ? instant() : undefined);
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const level = pick(LEVELS);
      const escalation: EscalationState = {
        level,
        reminders: Math.floor(random() * 10),
        interviews: [],
        ...(level !== 'none' || random() < 0.2 ? { overdueSince: maybe() } : {}),
        ...(random() < 0.5 ? { lastReminderAt: instant() } : {}),
        ...(random() < 0.5 ? { lastActionAt: instant() } : {}),
        ...(random() < 0.3 ? { townshipListedAt: instant() } : {}),
      };
      if (escalation.overdueSince === undefined) delete escalation.overdueSince;
      const policy = pick(POLICIES);
      const now = at(Math.floor((random() * 60 - 10) * DAY));
      const input = { status: 'rectifying' as const, deadline: DEADLINE, escalation };

      const result = escalate(input, now, policy);
      expect(escalate({ ...input, escalation: result.escalation }, now, policy).actions).toEqual([]);
      expect(result.nextCheckAt).not.toBeNull();
      const next = Date.parse(result.nextCheckAt!);
      expect(next).toBeGreaterThan(now.getTime());
      const settled = { ...input, escalation: result.escalation };
      expect(escalate(settled, new Date(next - 1), policy).actions).toEqual([]);
      expect(escalate(settled, new Date(next), policy).actions.length).toBeGreaterThanOrEqual(1);
      checked++;
    }
    expect(checked).toBe(3000);
  });
});
