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
  demo: bool().default(false),
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
