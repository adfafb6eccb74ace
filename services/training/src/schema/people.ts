import { maskMobile, maskResidentId } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { TrainingRole, type Assignment, type Person } from '../domain/people.ts';
import type { XapiLearningRecordDoc } from '../store/people.ts';
import { who } from './context.ts';
import { orNull, pageRef } from './learning-refs.ts';
import { personal } from './personal.ts';
import { builder } from './refs.ts';

// People with training roles (培训对象). Phones and ID numbers are masked for roles that do not
// work with personal data (masking happens in the service, so every read path gets it).

export const TrainingRoleRef = builder.enumType('TrainingRole', {
  description: '应训岗位',
  values: enumValues(TrainingRole.values, TrainingRole.labels),
});

const AssignmentRef = builder.objectRef<Assignment>('TrainingAssignment').implement({
  fields: (t) => ({
    role: t.field({ type: TrainingRoleRef, resolve: (a) => a.role }),
    unitId: t.exposeID('unitId', { nullable: true }),
    villageCode: t.exposeString('villageCode', { nullable: true }),
  }),
});

const LearningRecordRef = builder.objectRef<XapiLearningRecordDoc>('PlatformLearningRecord').implement({
  description: 'A course completed on the national learning platform (全民消防学习云平台), from an xAPI statement',
  fields: (t) => ({
    id: t.exposeID('_id'),
    statementId: t.exposeString('statementId'),
    courseId: t.exposeID('courseId'),
    completedAt: t.exposeString('issuedAt'),
    scaledScore: t.exposeFloat('scaledScore', { nullable: true }),
  }),
});

export const TrainingPersonRef = builder.objectRef<Person>('TrainingPerson').implement({
  description: '培训对象: a person with roles that require training',
  fields: (t) => ({
    id: t.exposeID('_id'),
    name: t.exposeString('name'),
    phone: t.string({
      description: 'Masked unless your role works with personal data',
      resolve: (p, _a, ctx, info) => personal(ctx, info, p.phone, maskMobile) ?? '',
    }),
    residentId: t.string({
      nullable: true,
      description: '身份证号; masked unless your role works with personal data',
      resolve: (p, _a, ctx, info) => personal(ctx, info, p.residentId, maskResidentId),
    }),
    platformAccount: t.exposeString('platformAccount', { nullable: true }),
    assignments: t.field({ type: [AssignmentRef], resolve: (p) => p.assignments }),
    platformRecords: t.field({
      type: [LearningRecordRef],
      description: 'Newest first (certificates from exams: Query.certificates(personId))',
      resolve: (p, _a, ctx) => ctx.services.xapi.recordsOf(who(ctx), p._id),
    }),
    createdAt: t.exposeString('createdAt'),
  }),
});

const TrainingPersonPageRef = pageRef('TrainingPerson', TrainingPersonRef);

const AssignmentInput = builder.inputType('TrainingAssignmentInput', {
  fields: (t) => ({
    role: t.field({ type: TrainingRoleRef, required: true }),
    unitId: t.id(),
    villageCode: t.string(),
  }),
});

const RegisterPersonInput = builder.inputType('RegisterTrainingPersonInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    residentId: t.string(),
    email: t.string(),
    platformAccount: t.string(),
    assignments: t.field({ type: [AssignmentInput], required: true }),
  }),
});

builder.queryFields((t) => ({
  trainingPerson: t.field({
    type: TrainingPersonRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => orNull(ctx.services.people.byId(who(ctx), String(id))),
  }),
  trainingPeople: t.field({
    type: TrainingPersonPageRef,
    description: 'People with a training role in your jurisdiction, oldest first',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.people.list(who(ctx), a.first, a.after),
  }),
}));

const AssignRolesInput = builder.inputType('AssignTrainingRolesInput', {
  fields: (t) => ({
    personId: t.id({ required: true }),
    assignments: t.field({ type: [AssignmentInput], required: true }),
  }),
});

builder.mutationFields((t) => ({
  assignTrainingRoles: t.field({
    type: TrainingPersonRef,
    description: 'Adds roles to a registered person (a person is registered once, with every role they hold)',
    errors: { types: [AppError] },
    args: { input: t.arg({ type: AssignRolesInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.people.assignRoles(who(ctx), { ...input, assignments: input.assignments.map((a) => dropNulls(a)) }),
  }),
  registerTrainingPerson: t.field({
    type: TrainingPersonRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: RegisterPersonInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.people.register(who(ctx), dropNulls({ ...input, assignments: input.assignments.map((a) => dropNulls(a)) })),
  }),
}));
