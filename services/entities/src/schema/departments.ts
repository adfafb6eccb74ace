import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { ListItemStatus } from '../domain/enums.ts';
import { daysOverdue } from '../domain/departments.ts';
import type { DepartmentDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// Departments with their 责任清单 (responsibilities) and 任务清单 (tasks).

const ListItemRef = builder.objectRef<DepartmentDoc['tasks'][number]>('ListItem').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    title: t.exposeString('title'),
    owner: t.exposeString('owner'),
    deadline: t.exposeString('deadline', { nullable: true }),
    status: t.exposeString('status'),
    daysOverdue: t.int({ resolve: (i, _a, ctx) => daysOverdue(i, ctx.services.registry.now()) }),
    noticedAt: t.string({
      nullable: true,
      description: '通报: the notice naming the holder',
      resolve: (i) => i.escalation?.noticedAt ?? null,
    }),
    interviewDueAt: t.string({
      nullable: true,
      description: '约谈 fell due',
      resolve: (i) => i.escalation?.interviewDueAt ?? null,
    }),
    interviewedAt: t.string({ nullable: true, description: '约谈 held', resolve: (i) => i.escalation?.interviewedAt ?? null }),
    fromSession: t.string({
      nullable: true,
      description: 'The committee session whose decision this item is: <committee code>/<session id>',
      resolve: (i) => (i.origin ? `${i.origin.committeeCode}/${i.origin.sessionId}` : null),
    }),
  }),
});
const DepartmentRef = builder.objectRef<DepartmentDoc>('Department').implement({
  fields: (t) => ({
    code: t.exposeString('_id'),
    name: t.exposeString('name'),
    holder: t.string({ description: 'department, or leader (a leader’s own lists)', resolve: (d) => d.holder ?? 'department' }),
    leaderTitle: t.exposeString('leaderTitle', { nullable: true }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    responsibilities: t.field({ type: [ListItemRef], description: '责任清单', resolve: (d) => d.responsibilities }),
    tasks: t.field({ type: [ListItemRef], description: '任务清单', resolve: (d) => d.tasks }),
    version: t.int({ description: 'For updateDepartment(expectedVersion)', resolve: (d) => d.version ?? 1 }),
  }),
});

const ListNameEnum = builder.enumType('DepartmentList', {
  description: 'responsibilities = 责任清单, tasks = 任务清单',
  values: enumValues(['responsibilities', 'tasks'], {
    responsibilities: { zh: '责任清单', en: 'List of responsibilities' },
    tasks: { zh: '任务清单', en: 'List of tasks' },
  }),
});
const ListItemStatusEnum = builder.enumType('ListItemStatus', {
  values: enumValues(ListItemStatus.values, ListItemStatus.labels),
});
const ListItemInput = builder.inputType('ListItemInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    title: t.string({ required: true }),
    owner: t.string({ required: true }),
    deadline: t.string({ required: false }),
    status: t.field({ type: ListItemStatusEnum, required: false }),
  }),
});

/** Which item of which list of which department (or leader). */
const itemArgs = builder.args((t) => ({
  departmentCode: t.string({ required: true }),
  list: t.field({ type: ListNameEnum, required: true }),
  itemId: t.string({ required: true }),
}));

builder.queryFields((t) => ({
  departments: t.field({
    type: [DepartmentRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.departments(who(ctx), a.jurisdictionCode),
  }),
}));

builder.mutationFields((t) => ({
  registerDepartment: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterDepartmentInput', {
          fields: (f) => ({
            code: f.string({ required: true }),
            name: f.string({ required: true }),
            jurisdictionCode: f.string({ required: true }),
            responsibilities: f.field({ type: [ListItemInput], required: true }),
            tasks: f.field({ type: [ListItemInput], required: true }),
            holder: f.string({ required: false, description: 'department (default) or leader' }),
            leaderTitle: f.string({ required: false, description: 'for a leader: e.g. 乡镇党委书记, 乡镇长, 村主任' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerDepartment(who(ctx), dropNulls(input)),
  }),
  updateDepartment: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    description: 'Name or lists changed: lists are replaced whole; announced as entities.department.updated',
    args: {
      code: t.arg.string({ required: true }),
      input: t.arg({
        type: builder.inputType('UpdateDepartmentInput', {
          fields: (f) => ({
            name: f.string({ required: false }),
            responsibilities: f.field({ type: [ListItemInput], required: false }),
            tasks: f.field({ type: [ListItemInput], required: false }),
            expectedVersion: f.int({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { code, input }, ctx) => ctx.services.registry.updateDepartment(who(ctx), code, dropNulls(input)),
  }),
  recordListInterview: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    description: '约谈 held with the holder of an overdue item whose interview fell due',
    args: itemArgs,
    resolve: (_r, args, ctx) => ctx.services.registry.recordListInterview(who(ctx), args),
  }),
  setListItemStatus: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    args: { ...itemArgs, status: t.arg({ type: ListItemStatusEnum, required: true }) },
    resolve: (_r, args, ctx) => ctx.services.registry.setListItemStatus(who(ctx), args),
  }),
}));
