import { maskMobile } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { dropNulls, showPersonalData } from '@firegov/service';
import type { AgencyDoc } from '../store/models.ts';
import { who } from './context.ts';
import { AgencyApiClientRef, AgencyCreditRef, AgencyRef, builder, CreditEventRef } from './refs.ts';

// Agencies (消防技术服务机构) as the county registers and reads them: engineers, contracts, status.

const EngineerRef = builder.objectRef<AgencyDoc['engineers'][number]>('FireEngineer').implement({
  description: '注册消防工程师',
  fields: (t) => ({
    name: t.exposeString('name'),
    licenceNo: t.exposeString('licenceNo'),
    validFrom: t.exposeString('validFrom'),
    validUntil: t.exposeString('validUntil'),
  }),
});
const ContractRef = builder.objectRef<AgencyDoc['contracts'][number]>('AgencyContract').implement({
  description: 'Which units or jurisdictions the agency may assess, and when',
  fields: (t) => ({
    id: t.exposeID('id'),
    unitIds: t.exposeStringList('unitIds'),
    jurisdictionCodes: t.exposeStringList('jurisdictionCodes'),
    validFrom: t.exposeString('validFrom'),
    validUntil: t.exposeString('validUntil'),
  }),
});

AgencyRef.implement({
  description: '消防技术服务机构: a third-party assessment agency',
  fields: (t) => ({
    id: t.exposeID('_id'),
    name: t.exposeString('name'),
    creditCode: t.exposeString('creditCode', { description: '统一社会信用代码' }),
    qualification: t.exposeString('qualification'),
    status: t.exposeString('status'),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    contactPhone: t.string({
      nullable: true,
      resolve: (a, _x, ctx) =>
        a.contactPhone
          ? showPersonalData(ctx, who(ctx), 'Agency.contactPhone')
            ? a.contactPhone
            : maskMobile(a.contactPhone)
          : null,
    }),
    engineers: t.field({ type: [EngineerRef], resolve: (a) => a.engineers }),
    contracts: t.field({ type: [ContractRef], resolve: (a) => a.contracts }),
    clients: t.field({ type: [AgencyApiClientRef], resolve: (a) => a.clients }),
    credit: t.field({ type: AgencyCreditRef, resolve: (a, _x, ctx) => ctx.services.agencies.credit(a) }),
    creditHistory: t.field({ type: [CreditEventRef], resolve: (a) => [...a.credit].reverse() }),
  }),
});

builder.queryFields((t) => ({
  agencies: t.field({ type: [AgencyRef], resolve: (_r, _a, ctx) => ctx.services.agencies.list(who(ctx)) }),
  agency: t.field({
    type: AgencyRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.agencies.byId(who(ctx), String(id)),
  }),
}));

const AgencyInput = builder.inputType('RegisterAgencyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    creditCode: t.string({ required: true }),
    qualification: t.string({ required: true, description: 'class_1, class_2 or provisional' }),
    contactPhone: t.string({ required: false }),
  }),
});
const EngineerInput = builder.inputType('RegisterEngineerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    licenceNo: t.string({ required: true }),
    validFrom: t.string({ required: true }),
    validUntil: t.string({ required: true }),
  }),
});
const ContractInput = builder.inputType('RegisterContractInput', {
  fields: (t) => ({
    agencyId: t.string({ required: true }),
    unitIds: t.stringList({ required: false }),
    jurisdictionCodes: t.stringList({ required: false }),
    validFrom: t.string({ required: true }),
    validUntil: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  registerAgency: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: AgencyInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.agencies.register(who(ctx), dropNulls(input)),
  }),
  registerFireEngineer: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { agencyId: t.arg.id({ required: true }), input: t.arg({ type: EngineerInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.registerEngineer(who(ctx), String(a.agencyId), dropNulls(a.input)),
  }),
  registerAgencyContract: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: ContractInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.agencies.registerContract(who(ctx), dropNulls(input)),
  }),
  setAgencyStatus: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    description: 'active, suspended (pushes refused) or revoked',
    args: {
      agencyId: t.arg.id({ required: true }),
      status: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_r, a, ctx) =>
      ctx.services.agencies.setStatus(who(ctx), String(a.agencyId), { status: a.status, reason: a.reason }),
  }),
}));
