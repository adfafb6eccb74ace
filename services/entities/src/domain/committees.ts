import { defineEnum, divisionCodeSchema, divisionLevel, mobileSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { daysOverdue, departmentCodeSchema } from './departments.ts';
import { array, bool, changesOneOf, int, isoDateSchema, object } from './fields.ts';

// 消防安全委员会 (消安委, seed task 6): township and village committees with their members; the
// 双定期 mechanism (seed task 3: 党委政府定期研究消防安全, 消防救援机构定期报告) as sessions on a
// schedule, whose decisions become items of a department's 任务清单; and 预警提示 (holiday, seasonal,
// major-event and typical-fire warnings) sent down to every grid, each of which acknowledges it.

export const CommitteeRole = defineEnum({
  director: { zh: '主任', en: 'Director' },
  deputy_director: { zh: '副主任', en: 'Deputy director' },
  office_head: { zh: '办公室主任', en: 'Head of the committee office' },
  member: { zh: '成员', en: 'Member' },
});
export type CommitteeRole = (typeof CommitteeRole.values)[number];

// The two halves of 双定期.
export const CommitteeSessionKind = defineEnum({
  meeting: { zh: '定期研究（工作例会、会商研判）', en: 'Regular meeting (study, consultation)' },
  report: { zh: '定期报告（消防救援机构报告）', en: 'Regular report (by the fire and rescue service)' },
});
export type CommitteeSessionKind = (typeof CommitteeSessionKind.values)[number];

export const FireWarningKind = defineEnum({
  holiday: { zh: '节假日预警', en: 'Holiday warning' },
  seasonal: { zh: '季节性火灾预警', en: 'Seasonal fire warning' },
  major_event: { zh: '重大活动预警', en: 'Major event warning' },
  typical_fire: { zh: '典型火灾事故警示', en: 'Warning after a typical fire' },
});
export type FireWarningKind = (typeof FireWarningKind.values)[number];

const recordId = z
  .string({ error: typeError('a string') })
  .regex(/^[A-Za-z0-9_-]{1,30}$/, 'must be 1-30 letters, digits, "_" or "-"');

/** A committee sits at a township or a village (乡、村（居）消防安全委员会). */
const committeePlace = divisionCodeSchema.refine(
  (code) => ['township', 'village'].includes(divisionLevel(code) ?? ''),
  'must be a township or village code: committees sit at those levels',
);

export const committeeMemberSchema = object({
  name: textField(1, 50),
  phone: mobileSchema,
  role: CommitteeRole.schema,
  /** The member's post, e.g. 乡长, 派出所所长. */
  title: textField(1, 30).optional(),
  /** The department the member speaks for, when one is registered. */
  departmentCode: departmentCodeSchema.optional(),
});
export type CommitteeMember = z.output<typeof committeeMemberSchema>;

/**
 * The interval defaults are this platform's, not the seed's: the seed asks for regular meetings
 * and reports without naming how often. A committee (or its county) sets its own.
 */
export const DEFAULT_MEETING_EVERY_DAYS = 90;
export const DEFAULT_REPORT_EVERY_DAYS = 90;

const members = array(committeeMemberSchema, 60)
  .min(1, 'must have at least one member')
  .superRefine((list, ctx) => {
    const directors = list.filter((m) => m.role === 'director').length;
    if (directors !== 1) ctx.addIssue({ code: 'custom', message: `must have exactly one director (主任), not ${directors}` });
  });

export const registerCommitteeSchema = object({
  code: departmentCodeSchema,
  name: textField(1, 50),
  jurisdictionCode: committeePlace,
  members,
  meetingEveryDays: int(7, 366).default(DEFAULT_MEETING_EVERY_DAYS),
  reportEveryDays: int(7, 366).default(DEFAULT_REPORT_EVERY_DAYS),
  demo: bool().default(false),
});
export type RegisterCommitteeInput = z.output<typeof registerCommitteeSchema>;

/** 及时调整消防安全委员会成员: members are replaced whole; the code and place stay. */
export const updateCommitteeSchema = object({
  name: textField(1, 50).optional(),
  members: members.optional(),
  meetingEveryDays: int(7, 366).optional(),
  reportEveryDays: int(7, 366).optional(),
  expectedVersion: int(1, 1_000_000).optional(),
}).superRefine(changesOneOf(['name', 'members', 'meetingEveryDays', 'reportEveryDays']));
export type UpdateCommitteeInput = z.output<typeof updateCommitteeSchema>;

export const sessionDecisionSchema = object({
  title: textField(1, 200),
  /** The department (or leader) whose 任务清单 receives the decision. */
  departmentCode: departmentCodeSchema,
  owner: textField(1, 50),
  deadline: isoDateSchema,
});

export const recordSessionSchema = object({
  committeeCode: departmentCodeSchema,
  /** Chosen by the caller, unique within the committee, so a retried request is recognised. */
  id: recordId,
  kind: CommitteeSessionKind.schema,
  heldOn: isoDateSchema,
  attendees: array(textField(1, 50), 100).min(1, 'must name at least one attendee'),
  minutes: textField(1, 5000),
  decisions: array(sessionDecisionSchema, 50).default([]),
});
export type RecordSessionInput = z.output<typeof recordSessionSchema>;

/** The list item a session's nth decision becomes: its id is derived, so applying it twice adds it once. */
export const decisionItemId = (sessionId: string, index: number): string => `${sessionId}-d${index + 1}`;

/** Why a session cannot be recorded as of `today` (Beijing), by field; empty when it can. */
export function sessionProblems(input: RecordSessionInput, today: string): Array<{ path: string; reason: string }> {
  const problems: Array<{ path: string; reason: string }> = [];
  if (input.heldOn > today) problems.push({ path: '$.heldOn', reason: `${input.heldOn} is after today (${today})` });
  input.decisions.forEach((d, i) => {
    if (d.deadline < input.heldOn)
      problems.push({ path: `$.decisions[${i}].deadline`, reason: `${d.deadline} is before the session (${input.heldOn})` });
  });
  return problems;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export interface SessionSchedule {
  /** The Beijing day by which the next session of this kind is due. */
  nextDue: string;
  /** Past that day with no session since: 双定期 not kept. */
  overdue: boolean;
  daysOverdue: number;
}

/**
 * 双定期 on the clock: the next session of a kind is due `everyDays` after the last one held (or
 * after the committee was set up, before the first); a day past that without one is overdue.
 */
export function sessionSchedule(last: string | undefined, since: string, everyDays: number, now: Date): SessionSchedule {
  const nextDue = addDays(last ?? since, everyDays);
  // Overdue like a list item whose deadline is that day (departments.ts).
  const days = daysOverdue({ deadline: nextDue }, now);
  return { nextDue, overdue: days > 0, daysOverdue: days };
}

export const issueWarningSchema = object({
  /** Chosen by the caller, unique, so a retried request is recognised. */
  id: recordId,
  /** Every grid under this township, village or county receives the warning. */
  jurisdictionCode: divisionCodeSchema,
  kind: FireWarningKind.schema,
  title: textField(1, 100),
  body: textField(1, 2000),
  validFrom: isoDateSchema,
  validTo: isoDateSchema,
  /** Hours each grid has to acknowledge before the issuer is told which have not. */
  acknowledgeWithinHours: int(1, 168).default(24),
  demo: bool().default(false),
}).superRefine((w, ctx) => {
  if (w.validTo < w.validFrom)
    ctx.addIssue({ code: 'custom', path: ['validTo'], message: `must not be before validFrom (${w.validFrom})` });
});
export type IssueWarningInput = z.output<typeof issueWarningSchema>;

export const acknowledgeWarningSchema = z
  .object({
    warningId: recordId,
    gridCode: z.string({ error: typeError('a string') }).regex(/^\d{12}-G\d{2}$/, 'must be a grid code'),
  })
  .strict();

/** The filters of a warning list, as the caller sent them. */
export const warningListSchema = z
  .object({
    jurisdictionCode: divisionCodeSchema.nullish(),
    activeOn: isoDateSchema.nullish(),
    limit: int(1, 100),
  })
  .strict();
