import type { PersonalDataReadDoc } from '../store/models.ts';
import type { TrailPage } from '../store/personal-data-trail.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 个人信息查询记录: the county's audit trail of personal data shown unmasked, from every service.

type Reader = PersonalDataReadDoc['reader'];
type Revealed = PersonalDataReadDoc['revealed'][number];
type RootField = PersonalDataReadDoc['operation']['rootFields'][number];

const ReaderRef = builder.objectRef<Reader>('PersonalDataReader').implement({
  description: 'Who read: the verified caller, as its token named it',
  fields: (t) => ({
    subject: t.exposeString('subject'),
    role: t.exposeString('role'),
    jurisdiction: t.exposeString('jurisdiction'),
    name: t.string({ nullable: true, resolve: (r) => r.name ?? null }),
    agencyId: t.string({ nullable: true, resolve: (r) => r.agencyId ?? null }),
  }),
});

const RevealedRef = builder.objectRef<Revealed>('PersonalDataRevealed').implement({
  description: 'A personal field the answer showed unmasked, and how many values of it',
  fields: (t) => ({ field: t.exposeString('field'), count: t.exposeInt('count') }),
});

const RootFieldRef = builder.objectRef<RootField>('PersonalDataRootField').implement({
  description: 'A root field of the operation that was answered, with its arguments as JSON',
  fields: (t) => ({
    field: t.exposeString('field'),
    arguments: t.string({ resolve: (f) => JSON.stringify(f.args) }),
  }),
});

const PersonalDataReadRef = builder.objectRef<PersonalDataReadDoc>('PersonalDataRead').implement({
  description: 'One answer that showed personal data (姓名, 身份证号, 手机号) unmasked',
  fields: (t) => ({
    id: t.exposeID('_id'),
    at: t.exposeString('at'),
    service: t.exposeString('service'),
    reader: t.field({ type: ReaderRef, resolve: (r) => r.reader }),
    purpose: t.string({
      nullable: true,
      description: '查询事由: what the caller declared in the X-Access-Purpose header; null when none was given',
      resolve: (r) => r.purpose,
    }),
    operationType: t.string({ resolve: (r) => r.operation.type }),
    operationName: t.string({ nullable: true, resolve: (r) => r.operation.name }),
    rootFields: t.field({ type: [RootFieldRef], resolve: (r) => r.operation.rootFields }),
    revealed: t.field({ type: [RevealedRef], resolve: (r) => r.revealed }),
    traceId: t.string({ nullable: true, resolve: (r) => r.traceId }),
  }),
});

const PersonalDataReadConnectionRef = builder.objectRef<TrailPage>('PersonalDataReadConnection').implement({
  fields: (t) => ({
    nodes: t.field({ type: [PersonalDataReadRef], resolve: (p) => p.nodes }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({ nullable: true, resolve: (p) => p.endCursor }),
    totalCount: t.int({ resolve: (p) => p.totalCount() }),
  }),
});

builder.queryFields((t) => ({
  personalDataReads: t.field({
    type: PersonalDataReadConnectionRef,
    description:
      '个人信息查询记录: every answer of any service that showed personal data unmasked to a reader inside the caller’s jurisdiction, newest first; county administrators only',
    args: {
      reader: t.arg.string({ required: false, description: 'Only this reader (their token subject)' }),
      from: t.arg.string({ required: false, description: 'ISO date-time, inclusive' }),
      to: t.arg.string({ required: false, description: 'ISO date-time, inclusive' }),
      first: t.arg.int({ required: false }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => ctx.services.personalData.personalDataReads(who(ctx), a),
  }),
}));
