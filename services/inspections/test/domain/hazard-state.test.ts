import {
  ALLOWED,
  HAZARD_COMMANDS,
  HAZARD_STATUSES,
  applyHazardCommand,
  initialHazardState,
  isOpen,
  parseInstant,
  verifyByDevice,
} from '../../src/domain/hazard-state.ts';
import type { HazardCommand, HazardCommandKind, HazardState, HazardStatus } from '../../src/domain/hazard-state.ts';
import { DomainError } from '@firegov/contracts';

const DAY = 86_400_000;
const T0 = new Date('2025-06-01T02:00:00.000Z');
const later = (days: number) => new Date(T0.getTime() + days * DAY);
const iso = (days: number) => later(days).toISOString();
const ctx = (days: number, actor = '检查员甲') => ({ now: later(days), actor });

const issue: HazardCommand = {
  kind: 'issue_order',
  deadline: iso(15),
  responsibleParty: '某某商店 张老板',
  measures: '清理疏散通道',
};

// A command of each kind that would be accepted where the kind is allowed, so a refusal can only come from the table.
const SAMPLE: Record<HazardCommandKind, HazardCommand> = {
  issue_order: { kind: 'issue_order', deadline: iso(30), responsibleParty: '负责人' },
  report_rectified: { kind: 'report_rectified' },
  reinspect: { kind: 'reinspect', passed: true },
  dismiss: { kind: 'dismiss', reason: '误报，现场无隐患' },
  regrade: { kind: 'regrade', grade: 'major' },
};

function stateIn(status: HazardStatus): HazardState {
  const open = initialHazardState('general');
  if (status === 'open') return open;
  if (status === 'dismissed') return applyHazardCommand(open, { kind: 'dismiss', reason: '误报' }, ctx(0)).state;
  const rectifying = applyHazardCommand(open, issue, ctx(0)).state;
  if (status === 'rectifying') return rectifying;
  const awaiting = applyHazardCommand(rectifying, { kind: 'report_rectified' }, ctx(1)).state;
  if (status === 'awaiting_reinspection') return awaiting;
  return applyHazardCommand(awaiting, { kind: 'reinspect', passed: true }, ctx(2)).state;
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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('applyHazardCommand', () => {
  test('happy path: open → rectifying → awaiting re-inspection → closed', () => {
    const open = initialHazardState('major');
    expect(open).toEqual({ status: 'open', grade: 'major', round: 0, orders: [], reinspections: [] });

    const ordered = applyHazardCommand(open, issue, ctx(0, '所长乙'));
    expect(ordered.transition).toEqual({ from: 'open', to: 'rectifying', command: 'issue_order', at: iso(0), by: '所长乙' });
    expect(ordered.state).toMatchObject({
      status: 'rectifying',
      round: 1,
      order: {
        deadline: iso(15),
        responsibleParty: '某某商店 张老板',
        measures: '清理疏散通道',
        issuedAt: iso(0),
        issuedBy: '所长乙',
        round: 1,
      },
    });
    expect(ordered.state.orders).toHaveLength(1);

    const reported = applyHazardCommand(ordered.state, { kind: 'report_rectified', notes: '已清理' }, ctx(10, '张老板'));
    expect(reported.transition).toMatchObject({ from: 'rectifying', to: 'awaiting_reinspection' });
    expect(reported.state).toMatchObject({ rectifiedReportedAt: iso(10), rectifiedNotes: '已清理' });

    const closed = applyHazardCommand(reported.state, { kind: 'reinspect', passed: true, notes: '通道畅通' }, ctx(12));
    expect(closed.transition).toEqual({
      from: 'awaiting_reinspection',
      to: 'closed',
      command: 'reinspect',
      at: iso(12),
      by: '检查员甲',
    });
    expect(closed.state).toMatchObject({ status: 'closed', closedAt: iso(12), round: 1 });
    expect(closed.state.reinspections).toEqual([{ at: iso(12), by: '检查员甲', passed: true, notes: '通道畅通', round: 1 }]);
    expect(isOpen(closed.state.status)).toBe(false);
  });

  test('an inspector may re-inspect at the deadline without a report from the party', () => {
    const rectifying = stateIn('rectifying');
    expect(applyHazardCommand(rectifying, { kind: 'reinspect', passed: true }, ctx(15)).state.status).toBe('closed');
  });

  test('a failed re-inspection reopens rectification with round + 1 and the new deadline', () => {
    const awaiting = stateIn('awaiting_reinspection');
    const { state, transition } = applyHazardCommand(
      awaiting,
      { kind: 'reinspect', passed: false, notes: '仍堆放杂物', newDeadline: '2025-06-20T18:00:00+08:00' },
      ctx(3, '检查员丙'),
    );
    expect(transition).toMatchObject({ from: 'awaiting_reinspection', to: 'rectifying', command: 'reinspect' });
    expect(state.status).toBe('rectifying');
    expect(state.round).toBe(2);
    expect(state.order).toEqual({
      deadline: '2025-06-20T10:00:00.000Z',
      responsibleParty: '某某商店 张老板',
      measures: '清理疏散通道',
      issuedAt: iso(3),
      issuedBy: '检查员丙',
      round: 2,
    });
    expect(state.orders.map((o) => o.round)).toEqual([1, 2]);
    expect(state.reinspections).toEqual([{ at: iso(3), by: '检查员丙', passed: false, notes: '仍堆放杂物', round: 1 }]);
    // The report belonged to the failed round.
    expect(state.rectifiedReportedAt).toBeUndefined();
    expect(state.rectifiedNotes).toBeUndefined();
  });

  test('regrade changes the grade in any non-terminal status and keeps the status', () => {
    for (const status of ['open', 'rectifying', 'awaiting_reinspection'] as const) {
      const { state, transition } = applyHazardCommand(stateIn(status), { kind: 'regrade', grade: 'major' }, ctx(1));
      expect(state).toMatchObject({ status, grade: 'major' });
      expect(transition).toMatchObject({ from: status, to: status, command: 'regrade' });
    }
  });

  test('dismiss closes an open hazard as not a hazard, keeping the reason', () => {
    const { state } = applyHazardCommand(initialHazardState('general'), { kind: 'dismiss', reason: ' 误报 ' }, ctx(0));
    expect(state).toMatchObject({ status: 'dismissed', dismissedReason: '误报' });
    expect(isOpen('dismissed')).toBe(false);
  });

  test('isOpen holds for exactly the three non-terminal statuses', () => {
    expect(HAZARD_STATUSES.filter(isOpen)).toEqual(['open', 'rectifying', 'awaiting_reinspection']);
  });
});

describe('transition table', () => {
  const pairs = HAZARD_STATUSES.flatMap((status) => HAZARD_COMMANDS.map((command) => [status, command] as const));
  const refused = pairs.filter(([status, command]) => !ALLOWED[status].includes(command));
  const allowed = pairs.filter(([status, command]) => ALLOWED[status].includes(command));

  test('the table covers every status and leaves the terminal ones empty', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...HAZARD_STATUSES].sort());
    expect(ALLOWED.closed).toEqual([]);
    expect(ALLOWED.dismissed).toEqual([]);
    expect(refused.length + allowed.length).toBe(25);
  });

  test.each(refused)('%s refuses %s', (status, command) => {
    const err = thrown(() => applyHazardCommand(stateIn(status), SAMPLE[command], ctx(1)));
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toContain(status);
    expect(err.message).toContain(command);
  });

  test.each(allowed)('%s accepts %s', (status, command) => {
    expect(() => applyHazardCommand(stateIn(status), SAMPLE[command], ctx(1))).not.toThrow();
  });

  test('there is no close command: closing needs a passed re-inspection', () => {
    const err = thrown(() =>
      applyHazardCommand(stateIn('awaiting_reinspection'), { kind: 'close' } as unknown as HazardCommand, ctx(1)),
    );
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toContain('cannot close a hazard without a passed re-inspection');
  });

  test('re-inspecting an open hazard is refused: no skipping the order', () => {
    const err = thrown(() => applyHazardCommand(stateIn('open'), { kind: 'reinspect', passed: true }, ctx(1)));
    expect(err.message).toBe('cannot reinspect a hazard in status open (allowed: issue_order, dismiss, regrade)');
  });

  test('terminal states refuse every command, including a valid regrade', () => {
    for (const status of ['closed', 'dismissed'] as const) {
      for (const command of HAZARD_COMMANDS) {
        expect(thrown(() => applyHazardCommand(stateIn(status), SAMPLE[command], ctx(5))).message).toMatch(/it is final/);
      }
    }
  });
});

describe('validation', () => {
  test('an order with a past deadline and no responsible party lists both fields', () => {
    const err = thrown(() =>
      applyHazardCommand(
        initialHazardState('general'),
        { kind: 'issue_order', deadline: iso(-1), responsibleParty: '  ' },
        ctx(0),
      ),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([
      { path: '$.deadline', reason: 'must be after now' },
      { path: '$.responsibleParty', reason: 'must not be empty' },
    ]);
  });

  test('the deadline may be 365 days away but not a millisecond more, and must carry a time zone', () => {
    const open = initialHazardState('general');
    const at365 = new Date(T0.getTime() + 365 * DAY).toISOString();
    const over = new Date(T0.getTime() + 365 * DAY + 1).toISOString();
    expect(
      applyHazardCommand(open, { kind: 'issue_order', deadline: at365, responsibleParty: '甲' }, ctx(0)).state.order!.deadline,
    ).toBe(at365);
    expect(
      thrown(() => applyHazardCommand(open, { kind: 'issue_order', deadline: over, responsibleParty: '甲' }, ctx(0))).details,
    ).toEqual([{ path: '$.deadline', reason: 'must be at most 365 days from now' }]);
    for (const deadline of ['2025-06-30', '2025-06-30T18:00:00', '2025-02-30T18:00:00Z', 'soon']) {
      expect(
        thrown(() => applyHazardCommand(open, { kind: 'issue_order', deadline, responsibleParty: '甲' }, ctx(0))).details.map(
          (d) => d.path,
        ),
      ).toEqual(['$.deadline']);
    }
  });

  test('a failed re-inspection needs a future new deadline', () => {
    const rectifying = stateIn('rectifying');
    expect(thrown(() => applyHazardCommand(rectifying, { kind: 'reinspect', passed: false }, ctx(5))).details).toEqual([
      { path: '$.newDeadline', reason: 'is required when the re-inspection failed' },
    ]);
    expect(
      thrown(() => applyHazardCommand(rectifying, { kind: 'reinspect', passed: false, newDeadline: iso(5) }, ctx(5))).details,
    ).toEqual([{ path: '$.newDeadline', reason: 'must be after now' }]);
  });

  test('a passed re-inspection with a new deadline is contradictory and refused', () => {
    const err = thrown(() =>
      applyHazardCommand(stateIn('rectifying'), { kind: 'reinspect', passed: true, newDeadline: iso(40) }, ctx(5)),
    );
    expect(err.details.map((d) => d.path)).toEqual(['$.newDeadline']);
  });

  test('a dismissal needs a reason of at least two characters', () => {
    const err = thrown(() => applyHazardCommand(initialHazardState('general'), { kind: 'dismiss', reason: ' 错 ' }, ctx(0)));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.reason' }] });
  });

  test('regrade to an unknown grade is refused', () => {
    const err = thrown(() =>
      applyHazardCommand(stateIn('open'), { kind: 'regrade', grade: 'severe' } as unknown as HazardCommand, ctx(0)),
    );
    expect(err.details).toEqual([{ path: '$.grade', reason: 'must be general or major' }]);
  });

  test('parseInstant accepts zoned instants only', () => {
    expect(parseInstant('2025-06-20T18:00:00+08:00')).toBe(Date.parse('2025-06-20T10:00:00Z'));
    expect(parseInstant('2025-06-20T10:00:00.123Z')).toBe(Date.parse('2025-06-20T10:00:00.123Z'));
    expect(parseInstant('2025-06-20T24:00:00Z')).toBeUndefined();
    expect(parseInstant(20250620)).toBeUndefined();
  });
});

describe('immutability', () => {
  test('no command mutates the state it is given', () => {
    const steps: Array<[HazardState, HazardCommand]> = [
      [stateIn('open'), issue],
      [stateIn('rectifying'), { kind: 'report_rectified', notes: '已整改' }],
      [stateIn('awaiting_reinspection'), { kind: 'reinspect', passed: false, newDeadline: iso(40) }],
      [stateIn('awaiting_reinspection'), { kind: 'reinspect', passed: true }],
      [stateIn('rectifying'), { kind: 'regrade', grade: 'major' }],
      [stateIn('open'), { kind: 'dismiss', reason: '误报' }],
    ];
    for (const [state, cmd] of steps) {
      const before = structuredClone(state);
      // Frozen, so a write to the input would throw rather than pass unnoticed.
      const result = applyHazardCommand(deepFreeze(state), cmd, ctx(5));
      expect(state).toEqual(before);
      expect(result.state).not.toBe(state);
      expect(result.state.orders).not.toBe(state.orders);
      expect(result.state.reinspections).not.toBe(state.reinspections);
    }
  });
});

describe('verifyByDevice (设备复查 of a sensor hazard)', () => {
  const device = (days: number) => ({ now: later(days), actor: 'device:dev_1', notes: '设备恢复正常' });

  test('closes an open hazard, with or without an order, by a passed re-inspection the device made', () => {
    for (const status of ['open', 'rectifying', 'awaiting_reinspection'] as const) {
      const before = deepFreeze(stateIn(status));
      const verified = verifyByDevice(before, device(3))!;
      expect(verified.transition).toEqual({ from: status, to: 'closed', command: 'reinspect', at: iso(3), by: 'device:dev_1' });
      expect(verified.state).toMatchObject({ status: 'closed', closedAt: iso(3), orders: before.orders });
      expect(verified.state.reinspections.at(-1)).toEqual({
        at: iso(3),
        by: 'device:dev_1',
        passed: true,
        notes: '设备恢复正常',
        round: before.round,
      });
    }
  });

  test('changes nothing once the hazard is closed or dismissed, and only a device may take the step', () => {
    expect(verifyByDevice(stateIn('closed'), device(3))).toBeNull();
    expect(verifyByDevice(stateIn('dismissed'), device(3))).toBeNull();
    const err = thrown(() => verifyByDevice(stateIn('open'), { ...device(3), actor: '检查员甲' }));
    expect(err.code).toBe('INVALID_TRANSITION');
  });
});
