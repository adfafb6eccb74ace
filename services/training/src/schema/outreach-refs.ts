import type { PersonRef } from '../domain/outreach-fields.ts';
import { maskMobile } from '@firegov/contracts';
import { personal } from './personal.ts';
import { builder } from './refs.ts';

// Types the outreach schema files share: a person named inline, a period of days.

export const PersonRefRef = builder.objectRef<PersonRef>('OutreachPerson').implement({
  description: 'A person named on an outreach record; the phone is masked for roles that do not need it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.string({ nullable: true, resolve: (p, _a, ctx, info) => personal(ctx, info, p.phone, maskMobile) }),
    personId: t.exposeString('personId', { nullable: true }),
  }),
});

export const PersonInput = builder.inputType('OutreachPersonInput', {
  fields: (t) => ({ name: t.string({ required: true }), phone: t.string(), personId: t.string() }),
});

export const PeriodInput = builder.inputType('PeriodInput', {
  description: 'Whole days, both ends included (YYYY-MM-DD).',
  fields: (t) => ({ from: t.string({ required: true }), to: t.string({ required: true }) }),
});

export const CountRowRef = builder
  .objectRef<{ key: string; events: number; attendance: number; materials: number }>('PublicityCoverageRow')
  .implement({
    fields: (t) => ({
      key: t.exposeString('key', { description: 'the kind of 五进 or the village code' }),
      events: t.exposeInt('events'),
      attendance: t.exposeInt('attendance'),
      materials: t.exposeInt('materials'),
    }),
  });
