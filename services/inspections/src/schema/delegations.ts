import { AppError } from '@firegov/kit';
import type { DelegationDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 委托/赋权执法: the county's delegations of enforcement powers to townships.

const DelegationRef = builder.objectRef<DelegationDoc>('EnforcementDelegation').implement({
  description: '委托/赋权执法: enforcement measures the county delegates to a township for a period',
  fields: (t) => ({
    id: t.exposeID('_id'),
    townshipCode: t.exposeString('townshipCode'),
    measures: t.exposeStringList('measures', { description: 'EnforcementMeasure values the township may decide' }),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    basis: t.exposeString('basis', { description: 'The county decision that grants the powers' }),
    grantedAt: t.exposeString('grantedAt'),
    revokedAt: t.exposeString('revokedAt', { nullable: true }),
  }),
});

const GrantDelegationInput = builder.inputType('GrantEnforcementDelegationInput', {
  fields: (t) => ({
    townshipCode: t.string({ required: true }),
    measures: t.stringList({ required: true }),
    from: t.string({ required: true, description: 'YYYY-MM-DD, Beijing calendar day, included' }),
    to: t.string({ required: true, description: 'YYYY-MM-DD, included' }),
    basis: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  enforcementDelegations: t.field({
    type: [DelegationRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.delegations.list(who(ctx), a.jurisdictionCode),
  }),
}));

builder.mutationFields((t) => ({
  grantEnforcementDelegation: t.field({
    type: DelegationRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: GrantDelegationInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.delegations.grant(who(ctx), input),
  }),
  revokeEnforcementDelegation: t.field({
    type: DelegationRef,
    errors: { types: [AppError] },
    args: { delegationId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.delegations.revoke(who(ctx), String(a.delegationId)),
  }),
}));
