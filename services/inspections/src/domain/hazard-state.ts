// 隐患整改: the life of one fire hazard from discovery to closure. Pure: callers pass `now` and the actor,
// and persist the returned state and transition themselves.

import { DomainError, type ErrorDetail } from '@firegov/contracts';

/** Throws VALIDATION_FAILED when any detail was collected, so a client sees every bad field in one answer. */
export function throwIfInvalid(details: ErrorDetail[], message: string): void {
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', message, details);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of a full ISO-8601 instant, or undefined when `value` is not one.
 * A zone is required: a bare date or local time would be read as UTC by one component and as
 * China time (UTC+8) by another, moving deadlines by eight hours. Impossible dates are refused because
 * Date.parse quietly rolls 2025-02-30 over into March.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export type HazardStatus = 'open' | 'rectifying' | 'awaiting_reinspection' | 'closed' | 'dismissed';
export type HazardGrade = 'general' | 'major';

/** 整改通知 / 责令限期改正: what must be fixed, by whom, by when. */
export interface RectificationOrder {
  deadline: string;
  responsibleParty: string;
  measures?: string;
  issuedAt: string;
  issuedBy: string;
  round: number;
}

/** 复查: an inspector checks the rectification on site. */
export interface Reinspection {
  at: string;
  by: string;
  passed: boolean;
  notes?: string;
  round: number;
}

export interface HazardState {
  status: HazardStatus;
  grade: HazardGrade;
  /** Rectification round: 0 until the first order, then +1 for each failed re-inspection. */
  round: number;
  /** The order in force (the latest one). */
  order?: RectificationOrder;
  orders: RectificationOrder[];
  rectifiedReportedAt?: string;
  /** What the responsible party said it did, kept so the re-inspector can check against it. */
  rectifiedNotes?: string;
  reinspections: Reinspection[];
  closedAt?: string;
  dismissedReason?: string;
}

export type HazardCommand =
  | { kind: 'issue_order'; deadline: string; responsibleParty: string; measures?: string }
  | { kind: 'report_rectified'; notes?: string }
  | { kind: 'reinspect'; passed: boolean; notes?: string; newDeadline?: string }
  | { kind: 'dismiss'; reason: string }
  | { kind: 'regrade'; grade: HazardGrade };

export type HazardCommandKind = HazardCommand['kind'];

export interface Transition {
  from: HazardStatus;
  to: HazardStatus;
  command: HazardCommandKind;
  at: string;
  by: string;
}

export const HAZARD_STATUSES: readonly HazardStatus[] = ['open', 'rectifying', 'awaiting_reinspection', 'closed', 'dismissed'];
export const HAZARD_COMMANDS: readonly HazardCommandKind[] = [
  'issue_order',
  'report_rectified',
  'reinspect',
  'dismiss',
  'regrade',
];

// Closing has no command of its own: only a passed 复查 closes a hazard, so nobody can close one on paper
// (a sensor hazard's device may be that 复查: verifyByDevice).
// Issuing a second order while rectifying is not allowed either: a new deadline comes only from a failed
// re-inspection, so every extension is backed by someone having looked at the site.
export const ALLOWED: Readonly<Record<HazardStatus, readonly HazardCommandKind[]>> = {
  open: ['issue_order', 'dismiss', 'regrade'],
  rectifying: ['report_rectified', 'reinspect', 'regrade'],
  awaiting_reinspection: ['reinspect', 'regrade'],
  closed: [],
  dismissed: [],
};

// 责令限期改正 deadlines longer than a year are not credible; such hazards need 停产停业 or a plan instead.
export const MAX_DEADLINE_DAYS = 365;
const DAY_MS = 86_400_000;

export function initialHazardState(grade: HazardGrade): HazardState {
  return { status: 'open', grade, round: 0, orders: [], reinspections: [] };
}

export function isOpen(status: HazardStatus): boolean {
  return status === 'open' || status === 'rectifying' || status === 'awaiting_reinspection';
}

const isBlank = (value: unknown): boolean => typeof value !== 'string' || value.trim().length === 0;

function checkDeadline(value: unknown, path: string, now: Date, details: ErrorDetail[]): string | undefined {
  const ms = parseInstant(value);
  if (ms === undefined) {
    details.push({ path, reason: 'must be an ISO-8601 date-time with a time zone' });
    return undefined;
  }
  if (ms <= now.getTime()) {
    details.push({ path, reason: 'must be after now' });
    return undefined;
  }
  if (ms > now.getTime() + MAX_DEADLINE_DAYS * DAY_MS) {
    details.push({ path, reason: `must be at most ${MAX_DEADLINE_DAYS} days from now` });
    return undefined;
  }
  return new Date(ms).toISOString();
}

function refuse(state: HazardState, kind: string): never {
  if (kind === 'close') {
    throw new DomainError('INVALID_TRANSITION', `cannot close a hazard without a passed re-inspection (status ${state.status})`);
  }
  const allowed = ALLOWED[state.status];
  const hint = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'it is final';
  throw new DomainError('INVALID_TRANSITION', `cannot ${kind} a hazard in status ${state.status} (${hint})`);
}

/** Applies `cmd` to `state` without touching it; throws INVALID_TRANSITION or VALIDATION_FAILED. */
export function applyHazardCommand(
  state: HazardState,
  cmd: HazardCommand,
  ctx: { now: Date; actor: string },
): { state: HazardState; transition: Transition } {
  // Commands arrive from the API, so the kind is checked against the table rather than trusted.
  const kind = (cmd as { kind: unknown }).kind;
  if (typeof kind !== 'string' || !ALLOWED[state.status].includes(kind as HazardCommandKind)) {
    refuse(state, String(kind));
  }
  const at = ctx.now.toISOString();
  const base: HazardState = { ...state, orders: [...state.orders], reinspections: [...state.reinspections] };
  const next = ((): HazardState => {
    switch (cmd.kind) {
      case 'issue_order':
        return issueOrder(base, cmd, ctx, at);
      case 'report_rectified':
        return reportRectified(base, cmd, at);
      case 'reinspect':
        return reinspect(base, cmd, ctx, at);
      case 'dismiss':
        return dismiss(base, cmd);
      case 'regrade':
        return regrade(base, cmd);
    }
  })();
  return { state: next, transition: { from: state.status, to: next.status, command: cmd.kind, at, by: ctx.actor } };
}

/**
 * 设备复查: a sensor hazard's own device reports healthy again, and that is its re-inspection — the
 * reading that raised the fault is the one a person on site would check. Recorded as a passed
 * re-inspection by the device (`device:<id>`), so the register shows a machine, not a person,
 * verified it, and closes the hazard from any open status: a fault hazard usually has no order yet,
 * so the re-inspection needs none. Only the system's sensor consumer takes this step (not an API
 * command). Null when the hazard is no longer open (a person closed or dismissed it first, or this
 * is a redelivery): nothing to verify.
 */
export function verifyByDevice(
  state: HazardState,
  ctx: { now: Date; actor: string; notes: string },
): { state: HazardState; transition: Transition } | null {
  if (!ctx.actor.startsWith('device:')) {
    throw new DomainError('INVALID_TRANSITION', `only a device verifies its own fault, not ${ctx.actor}`);
  }
  if (!isOpen(state.status)) return null;
  const at = ctx.now.toISOString();
  const reinspection: Reinspection = { at, by: ctx.actor, passed: true, notes: ctx.notes, round: state.round };
  const next: HazardState = { ...state, status: 'closed', reinspections: [...state.reinspections, reinspection], closedAt: at };
  return { state: next, transition: { from: state.status, to: 'closed', command: 'reinspect', at, by: ctx.actor } };
}

function issueOrder(
  state: HazardState,
  cmd: Extract<HazardCommand, { kind: 'issue_order' }>,
  ctx: { now: Date; actor: string },
  at: string,
): HazardState {
  const details: ErrorDetail[] = [];
  const deadline = checkDeadline(cmd.deadline, '$.deadline', ctx.now, details);
  if (isBlank(cmd.responsibleParty)) details.push({ path: '$.responsibleParty', reason: 'must not be empty' });
  if (cmd.measures !== undefined && typeof cmd.measures !== 'string') {
    details.push({ path: '$.measures', reason: 'must be a string' });
  }
  throwIfInvalid(details, 'invalid rectification order');
  const round = state.round + 1;
  const order: RectificationOrder = {
    deadline: deadline!,
    responsibleParty: cmd.responsibleParty.trim(),
    ...(cmd.measures !== undefined ? { measures: cmd.measures } : {}),
    issuedAt: at,
    issuedBy: ctx.actor,
    round,
  };
  return { ...state, status: 'rectifying', round, order, orders: [...state.orders, order] };
}

function reportRectified(state: HazardState, cmd: Extract<HazardCommand, { kind: 'report_rectified' }>, at: string): HazardState {
  const next: HazardState = { ...state, status: 'awaiting_reinspection', rectifiedReportedAt: at };
  delete next.rectifiedNotes;
  if (cmd.notes !== undefined) next.rectifiedNotes = cmd.notes;
  return next;
}

function reinspect(
  state: HazardState,
  cmd: Extract<HazardCommand, { kind: 'reinspect' }>,
  ctx: { now: Date; actor: string },
  at: string,
): HazardState {
  const details: ErrorDetail[] = [];
  if (typeof cmd.passed !== 'boolean') details.push({ path: '$.passed', reason: 'must be true or false' });
  let newDeadline: string | undefined;
  if (cmd.passed === false) {
    if (cmd.newDeadline === undefined)
      details.push({ path: '$.newDeadline', reason: 'is required when the re-inspection failed' });
    else newDeadline = checkDeadline(cmd.newDeadline, '$.newDeadline', ctx.now, details);
  } else if (cmd.newDeadline !== undefined) {
    details.push({ path: '$.newDeadline', reason: 'must not be given when the re-inspection passed' });
  }
  throwIfInvalid(details, 'invalid re-inspection');
  if (!state.order) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `cannot reinspect a hazard in status ${state.status} that has no rectification order`,
    );
  }
  const reinspection: Reinspection = {
    at,
    by: ctx.actor,
    passed: cmd.passed,
    ...(cmd.notes !== undefined ? { notes: cmd.notes } : {}),
    round: state.round,
  };
  const reinspections = [...state.reinspections, reinspection];
  if (cmd.passed) return { ...state, status: 'closed', reinspections, closedAt: at };

  // The party stays the same; only the deadline moves, and the new round starts with no report yet.
  const round = state.round + 1;
  const order: RectificationOrder = { ...state.order, deadline: newDeadline!, issuedAt: at, issuedBy: ctx.actor, round };
  const next: HazardState = { ...state, status: 'rectifying', round, order, orders: [...state.orders, order], reinspections };
  delete next.rectifiedReportedAt;
  delete next.rectifiedNotes;
  return next;
}

function dismiss(state: HazardState, cmd: Extract<HazardCommand, { kind: 'dismiss' }>): HazardState {
  // 误报 or not a hazard at all; a reason of one character would not tell an auditor anything.
  if (typeof cmd.reason !== 'string' || cmd.reason.trim().length < 2) {
    throwIfInvalid([{ path: '$.reason', reason: 'must be at least 2 characters' }], 'invalid dismissal');
  }
  return { ...state, status: 'dismissed', dismissedReason: cmd.reason.trim() };
}

function regrade(state: HazardState, cmd: Extract<HazardCommand, { kind: 'regrade' }>): HazardState {
  if (cmd.grade !== 'general' && cmd.grade !== 'major') {
    throwIfInvalid([{ path: '$.grade', reason: 'must be general or major' }], 'invalid grade');
  }
  return { ...state, grade: cmd.grade };
}
