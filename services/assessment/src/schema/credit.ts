import { AppError } from '@firegov/kit';
import { who } from './context.ts';
import { AgencyCreditRef, AgencyRef, builder, CreditEventRef } from './refs.ts';

// An agency's credit (信用管理): its score with the factors behind it, its history, and complaints.

const CreditFactorRef = builder
  .objectRef<{ kind: string; count: number; points: number; zh?: string; label?: string }>('CreditFactor')
  .implement({
    fields: (t) => ({
      kind: t.exposeString('kind'),
      count: t.exposeInt('count'),
      points: t.exposeFloat('points'),
      label: t.string({ resolve: (f) => f.zh ?? f.label ?? f.kind }),
    }),
  });

AgencyCreditRef.implement({
  description: '信用管理: 100 less the listed factors over the last 365 days',
  fields: (t) => ({
    score: t.exposeFloat('score'),
    level: t.exposeString('level'),
    suspendRecommended: t.exposeBoolean('suspendRecommended'),
    factors: t.field({ type: [CreditFactorRef], resolve: (c) => c.factors }),
  }),
});

CreditEventRef.implement({
  fields: (t) => ({
    kind: t.exposeString('kind'),
    at: t.exposeString('at'),
    ref: t.exposeString('ref', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

builder.mutationFields((t) => ({
  recordAgencyComplaint: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    args: {
      agencyId: t.arg.id({ required: true }),
      upheld: t.arg.boolean({ required: true }),
      detail: t.arg.string({ required: true }),
    },
    resolve: (_r, a, ctx) => ctx.services.agencies.recordComplaint(who(ctx), String(a.agencyId), a.upheld, a.detail),
  }),
}));
