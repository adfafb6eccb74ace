import type { LearningTopic } from './courses.ts';
import type { Attempt, Exam } from './exams.ts';

// 培训合格证书: a pass issues a certificate valid for the exam's months; a later pass of the same
// course supersedes the earlier one (年度复训). Pure rules, no I/O.

export interface Certificate {
  _id: string;
  personId: string;
  courseId: string;
  courseTitle: string;
  topic: LearningTopic;
  examId: string;
  attemptId: string;
  scorePercent: number;
  issuedAt: string;
  validUntil: string;
  /** The certificates of this person and course this one replaced. */
  supersedes: string[];
  supersededBy?: string;
  unitIds: string[];
  roles: string[];
  issuedBy: string;
  scope: string[];
}

/** Calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb), in UTC. */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** One certificate per passed attempt, so a repeated grading cannot issue two. */
export const certificateIdOf = (attemptId: string): string => `cert_${attemptId.replace(/^att_/, '')}`;

export function newCertificate(attempt: Attempt, exam: Exam, supersedes: string[]): Certificate {
  if (!attempt.passed || attempt.submittedAt === undefined || attempt.scorePercent === undefined) {
    throw new Error('only a passed, graded attempt earns a certificate');
  }
  return {
    _id: certificateIdOf(attempt._id),
    personId: attempt.personId,
    courseId: exam.courseId,
    courseTitle: exam.courseTitle,
    topic: exam.topic,
    examId: exam._id,
    attemptId: attempt._id,
    scorePercent: attempt.scorePercent,
    issuedAt: attempt.submittedAt,
    validUntil: addMonths(new Date(attempt.submittedAt), exam.certificateValidityMonths).toISOString(),
    supersedes,
    unitIds: attempt.unitIds,
    roles: attempt.roles,
    issuedBy: attempt.proctor.subject,
    scope: attempt.scope,
  };
}

/**
 * The certificate that counts for each person and course at `at`: the latest issued by then, if it
 * is still valid then. Earlier ones were superseded by it, even if their own validity had not ended.
 */
export function currentAt(certs: readonly Certificate[], at: Date): Certificate[] {
  const iso = at.toISOString();
  const latest = new Map<string, Certificate>();
  for (const c of certs) {
    if (c.issuedAt > iso) continue;
    const key = `${c.personId}\u0000${c.courseId}`;
    const seen = latest.get(key);
    if (!seen || c.issuedAt > seen.issuedAt || (c.issuedAt === seen.issuedAt && c._id > seen._id)) latest.set(key, c);
  }
  return [...latest.values()].filter((c) => c.validUntil > iso);
}
