import { invalidInput, invalidTransition } from '@firegov/contracts';
import { beijingDate, daysBetween, isCalendarDate } from './inputs.ts';

// An assessment result is a legal record: a correction never overwrites it, it adds a version, and
// a withdrawal keeps every version. `bodyHash` of a version is the content hash (inputs.contentHash),
// so the unit and an amendment's reason do not count as content.

export interface AssessmentVersion {
  version: number;
  bodyHash: string;
  submittedAt: string;
  kind: 'submitted' | 'amended';
  reason?: string;
  receiptHash: string;
}

export interface AssessmentState {
  status: 'active' | 'withdrawn';
  version: number;
  versions: AssessmentVersion[];
  withdrawnReason?: string;
  withdrawnAt?: string;
}

export interface VersionInput {
  bodyHash: string;
  at: Date;
  receiptHash: string;
}

export interface AmendInput extends VersionInput {
  reason: string;
}

const REASON_MIN = 4;
const REASON_MAX = 500;

/** The trimmed reason; amendments and withdrawals are audited, so a token reason is refused. */
function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < REASON_MIN || trimmed.length > REASON_MAX) {
    throw invalidInput('the reason is missing or too long', [
      { path: '$.reason', reason: `must be ${REASON_MIN}-${REASON_MAX} characters, got ${trimmed.length}` },
    ]);
  }
  return trimmed;
}

/** Version 1 of a newly received assessment. */
export function firstVersion(input: VersionInput): AssessmentState {
  return {
    status: 'active',
    version: 1,
    versions: [
      {
        version: 1,
        bodyHash: input.bodyHash,
        submittedAt: input.at.toISOString(),
        kind: 'submitted',
        receiptHash: input.receiptHash,
      },
    ],
  };
}

/** The version the state says is current (the last one, as versions only grow). */
export function currentVersion(state: AssessmentState): AssessmentVersion {
  const current = state.versions.find((v) => v.version === state.version) ?? state.versions.at(-1);
  if (current === undefined) throw new Error('assessment state has no versions');
  return current;
}

/**
 * A corrected version: number + 1, earlier versions kept as they were. Refused on a withdrawn
 * assessment (nothing to correct) and when the content equals the current version's, since an
 * empty version would only blur the history and reset nothing.
 */
export function amend(state: AssessmentState, input: AmendInput): AssessmentState {
  if (state.status !== 'active') throw invalidTransition('amend', state.status, ['active']);
  const reason = requireReason(input.reason);
  const current = currentVersion(state);
  if (input.bodyHash === current.bodyHash) {
    throw invalidInput('nothing changed', [
      { path: '$', reason: `nothing changed: the content equals version ${current.version}; send only real corrections` },
    ]);
  }
  const version = current.version + 1;
  return {
    ...state,
    version,
    versions: [
      ...state.versions,
      {
        version,
        bodyHash: input.bodyHash,
        submittedAt: input.at.toISOString(),
        kind: 'amended',
        reason,
        receiptHash: input.receiptHash,
      },
    ],
  };
}

/** Withdraws the assessment (撤回); its versions stay for the record. Refused when already withdrawn. */
export function withdraw(state: AssessmentState, reason: string, at: Date): AssessmentState {
  if (state.status !== 'active') throw invalidTransition('withdraw', state.status, ['active']);
  return { ...state, status: 'withdrawn', withdrawnReason: requireReason(reason), withdrawnAt: at.toISOString() };
}

export const DEFAULT_GRACE_DAYS = 15;

/**
 * 迟报: submitted more than `graceDays` calendar days after the assessment date. Days are counted
 * on Beijing's calendar, because the rule is read by local staff in local days: with 15 days, an
 * assessment of 03-01 is on time until 03-16 23:59:59 Beijing time (15:59:59Z) and late from 03-17.
 */
export function isLate(assessedOn: string, submittedAt: Date, graceDays = DEFAULT_GRACE_DAYS): boolean {
  const problems = [];
  if (!isCalendarDate(assessedOn)) problems.push({ path: '$.assessedOn', reason: 'must be a real date written YYYY-MM-DD' });
  if (!Number.isInteger(graceDays) || graceDays < 0) {
    problems.push({ path: '$.graceDays', reason: `must be a whole number of days, 0 or more, got ${graceDays}` });
  }
  if (Number.isNaN(submittedAt.getTime())) problems.push({ path: '$.submittedAt', reason: 'must be a valid date' });
  if (problems.length > 0) throw invalidInput('cannot tell whether the submission is late', problems);
  return daysBetween(assessedOn, beijingDate(submittedAt)) > graceDays;
}
