import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import { who } from './context.ts';
import { builder, ContactInput, phoneFor } from './refs.ts';

// The jurisdiction tree: county → township → village/community → grid, with grid managers (网格员).

interface TreeNode {
  code: string;
  name: string;
  level: string;
  gridManagers?: Array<{ name: string; phone: string }>;
  children: TreeNode[];
}

const GridManagerRef = builder.objectRef<{ name: string; phone: string }>('GridManager').implement({
  description: '网格员',
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.string({ resolve: (g, _a, ctx, info) => phoneFor(ctx, g.phone, info) ?? '' }),
  }),
});

const JurisdictionNodeRef = builder.objectRef<TreeNode>('JurisdictionNode');
JurisdictionNodeRef.implement({
  description: 'county → township → village/community → grid',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    level: t.exposeString('level'),
    gridManagers: t.field({ type: [GridManagerRef], resolve: (n) => n.gridManagers ?? [] }),
    children: t.field({ type: [JurisdictionNodeRef], resolve: (n) => n.children }),
  }),
});

const JurisdictionRef = builder
  .objectRef<{ _id: string; name: string; level: string; parentCode?: string }>('Jurisdiction')
  .implement({
    fields: (t) => ({
      code: t.exposeString('_id'),
      name: t.exposeString('name'),
      level: t.exposeString('level'),
      parentCode: t.exposeString('parentCode', { nullable: true }),
    }),
  });

builder.queryFields((t) => ({
  jurisdictionTree: t.field({
    type: [JurisdictionNodeRef],
    description: 'The tree under `code` (default: your jurisdiction).',
    args: { code: t.arg.string({ required: false }) },
    resolve: (_r, { code }, ctx) => ctx.services.registry.jurisdictionTree(who(ctx), code),
  }),
}));

builder.mutationFields((t) => ({
  registerJurisdiction: t.field({
    type: JurisdictionRef,
    description:
      'County administrators: a township, village/community or grid (with its grid managers) under an existing parent.',
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterJurisdictionInput', {
          fields: (f) => ({
            code: f.string({ required: true }),
            name: f.string({ required: true }),
            level: f.string({ required: true }),
            parentCode: f.string({ required: false }),
            gridManagers: f.field({ type: [ContactInput], required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerJurisdiction(who(ctx), dropNulls(input)),
  }),
}));
