import { pageSize } from '@firegov/service';
import type { InspectionDoc } from '../store/models.ts';
import { builder, HazardRef, InspectionRef } from './refs.ts';

/** The registry's Unit (owned by entities), extended with what this service knows about it. */
export const UnitRef = builder.externalRef('Unit', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    openHazardCount: t.int({
      nullable: true,
      description: 'Hazards not yet closed (null when the unit is outside your jurisdiction)',
      resolve: (u, _a, ctx) => ctx.loaders.openCount.load(u.id),
    }),
    hazards: t.field({
      type: [HazardRef],
      description: 'Newest first',
      args: { openOnly: t.arg.boolean({ required: false }), first: t.arg.int({ required: false }) },
      resolve: (u, args, ctx) =>
        ctx.loaders.unitHazards.load({ unitId: u.id, openOnly: args.openOnly ?? false, limit: pageSize(args.first) }),
    }),
    inspections: t.field({
      type: [InspectionRef],
      description: 'Newest first',
      args: { first: t.arg.int({ required: false }) },
      resolve: (u, args, ctx): Promise<InspectionDoc[]> =>
        ctx.loaders.unitInspections.load({ unitId: u.id, limit: pageSize(args.first) }),
    }),
  }),
});
