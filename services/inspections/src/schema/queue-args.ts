import type { EnumRef, SchemaTypes } from '@pothos/core';
import { pageSize } from '@firegov/service';
import { builder } from './refs.ts';

// What every work queue (hazards, inspections due) takes: which queue, where, how far ahead, a page.

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

export const queueArgs = <Q extends string>(queue: EnumRef<Types, Q, Q>) =>
  builder.args((t) => ({
    queue: t.field({ type: queue, required: true }),
    jurisdictionCode: t.string({ required: false }),
    withinDays: t.int({ required: false }),
    first: t.int({ required: false }),
    after: t.string({ required: false }),
  }));

/** The page request a queue service reads, defaults applied. */
export const queueRequest = <Q>(args: {
  queue: Q;
  jurisdictionCode?: string | null | undefined;
  withinDays?: number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}) => ({
  queue: args.queue,
  jurisdictionCode: args.jurisdictionCode ?? null,
  withinDays: args.withinDays ?? null,
  first: pageSize(args.first),
  after: args.after ?? null,
});
