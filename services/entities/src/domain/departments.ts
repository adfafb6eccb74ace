import { ALWAYS_ON_ARRAYS, checkUnique, divisionCodeSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { ListItemStatus } from './enums.ts';
import { array, bool, changesOneOf, int, isoDateSchema, object } from './fields.ts';

// Departments and their lists: 责任清单 (standing responsibilities) and 任务清单 (tasks with a deadline).

export const listItemSchema = object({
  id: z.string({ error: typeError('a string') }).regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "_" or "-"'),
  title: textField(1, 200),
  owner: textField(1, 50),
  deadline: isoDateSchema.optional(),
  status: ListItemStatus.schema.default('pending'),
});
export type ListItem = z.output<typeof listItemSchema>;

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * 逾期 by the clock, not by hand: an item whose deadline (a Beijing calendar day) has passed and
 * that is not done reads as overdue, whatever status was last set; done stays done.
 */
export function statusOn(item: Pick<ListItem, 'status' | 'deadline'>, now: Date): ListItem['status'] {
  const today = new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
  if (item.status !== 'done' && item.deadline !== undefined && item.deadline < today) return 'overdue';
  return item.status;
}

export const departmentCodeSchema = z
  .string({ error: typeError('a string') })
  .regex(/^[a-z][a-z0-9_-]{1,30}$/, 'must be 2-31 characters: a lowercase letter, then lowercase letters, digits, "_" or "-"');

const itemList = (max: number) => array(listItemSchema, max).superRefine(checkUnique('id', 'id'), ALWAYS_ON_ARRAYS);

export const registerDepartmentSchema = object({
  code: departmentCodeSchema,
  name: textField(1, 50),
  jurisdictionCode: divisionCodeSchema,
  responsibilities: itemList(200), // 责任清单
  tasks: itemList(500), // 任务清单
  /** Absent: a sector department; `leader`: a leader's lists, with the leader's title. */
  holder: z.enum(['department', 'leader'], { error: 'must be department or leader' }).optional(),
  leaderTitle: textField(1, 30).optional(),
  demo: bool().default(false),
}).superRefine((d, ctx) => {
  if (d.holder === 'leader' && d.leaderTitle === undefined)
    ctx.addIssue({ code: 'custom', path: ['leaderTitle'], message: 'a leader’s lists name the leader’s title, e.g. 乡镇长' });
  if (d.holder !== 'leader' && d.leaderTitle !== undefined)
    ctx.addIssue({ code: 'custom', path: ['leaderTitle'], message: 'only for a leader (holder: leader)' });
});
export type RegisterDepartmentInput = z.output<typeof registerDepartmentSchema>;

/** A department's name or lists changed; lists are replaced whole (the code and jurisdiction stay). */
export const updateDepartmentSchema = object({
  name: textField(1, 50).optional(),
  responsibilities: itemList(200).optional(),
  tasks: itemList(500).optional(),
  expectedVersion: int(1, 1_000_000).optional(),
}).superRefine(changesOneOf(['name', 'responsibilities', 'tasks']));
export type UpdateDepartmentInput = z.output<typeof updateDepartmentSchema>;

/** Command: set the status of one item of a department's 责任清单 (responsibilities) or 任务清单 (tasks). */
export const setListItemStatusSchema = z
  .object({
    departmentCode: departmentCodeSchema,
    list: z.enum(['responsibilities', 'tasks']),
    itemId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 _ -'),
    status: ListItemStatus.schema,
  })
  .strict();
export type SetListItemStatusInput = z.output<typeof setListItemStatusSchema>;

/** Command: the 约谈 of an overdue item's holder was held. */
export const listInterviewSchema = z
  .object({
    departmentCode: departmentCodeSchema,
    list: z.enum(['responsibilities', 'tasks']),
    itemId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 _ -'),
  })
  .strict();

/**
 * What follows an overdue item by itself (seed tasks 3, 4 and the guarantee measures): after
 * `noticeAfterDays` past its deadline the holder is named in a notice (通报), after
 * `interviewAfterDays` an interview (约谈) of the holder falls due. Days count from the end of the
 * deadline day (Beijing). Configurable per deployment; the seed names the steps, not the days.
 */
export interface ListEscalationPolicy {
  noticeAfterDays: number;
  interviewAfterDays: number;
}
export const DEFAULT_LIST_ESCALATION: ListEscalationPolicy = { noticeAfterDays: 7, interviewAfterDays: 30 };

export interface ItemEscalation {
  /** 通报: when the notice naming the holder went out. */
  noticedAt?: string;
  /** 约谈: when the interview of the holder fell due, and when it was held. */
  interviewDueAt?: string;
  interviewedAt?: string;
}

export type EscalationStep = 'notice' | 'interview_due';

/** Days since the deadline day ended (Beijing), the first day after it being 1; 0 when not past or undated. */
export function daysOverdue(item: Pick<ListItem, 'deadline'>, now: Date): number {
  if (item.deadline === undefined) return 0;
  // The first day after the deadline day is day 1.
  const end = Date.parse(`${item.deadline}T00:00:00+08:00`) + 86_400_000;
  return now.getTime() < end ? 0 : Math.floor((now.getTime() - end) / 86_400_000) + 1;
}

/** The steps now due for an item and not taken yet, in order; none once it is done. */
export function dueSteps(
  item: Pick<ListItem, 'status' | 'deadline'> & { escalation?: ItemEscalation | undefined },
  now: Date,
  policy: ListEscalationPolicy = DEFAULT_LIST_ESCALATION,
): EscalationStep[] {
  if (statusOn(item, now) !== 'overdue') return [];
  const days = daysOverdue(item, now);
  const e = item.escalation ?? {};
  const steps: EscalationStep[] = [];
  if (days >= policy.noticeAfterDays && !e.noticedAt) steps.push('notice');
  if (days >= policy.interviewAfterDays && !e.interviewDueAt) steps.push('interview_due');
  return steps;
}
