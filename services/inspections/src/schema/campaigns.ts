import { AppError } from '@firegov/kit';
import { dropNulls, enumValues } from '@firegov/service';
import { TARGET_FLAG_LABELS, TARGET_FLAGS, type TargetFlag } from '../domain/campaigns.ts';
import type { CampaignDoc } from '../store/models.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 专项行动: target categories and derived flags, jurisdiction, period and checklist.

const ChecklistItemRef = builder.objectRef<CampaignDoc['checklist'][number]>('ChecklistItem').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
    factorCode: t.exposeString('factorCode', { nullable: true }),
  }),
});

const TargetFlagEnum = builder.enumType('CampaignTargetFlag', {
  description: 'A flag entities derives from the building, which a campaign may target beyond categories',
  values: enumValues(TARGET_FLAGS, TARGET_FLAG_LABELS),
});

const CampaignRef = builder.objectRef<CampaignDoc>('Campaign').implement({
  description: '专项行动: target categories and flags, jurisdiction, period and the checklist inspectors use',
  fields: (t) => ({
    key: t.exposeID('_id'),
    nameZh: t.string({ resolve: (c) => c.name.zh }),
    nameEn: t.string({ resolve: (c) => c.name.en }),
    targetCategories: t.exposeStringList('targetCategories'),
    targetFlags: t.field({
      type: [TargetFlagEnum],
      resolve: (c) => (c.targetFlags ?? []).filter((f): f is TargetFlag => (TARGET_FLAGS as readonly string[]).includes(f)),
    }),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    from: t.string({ resolve: (c) => c.period.from }),
    to: t.string({ resolve: (c) => c.period.to }),
    checklist: t.field({ type: [ChecklistItemRef], resolve: (c) => c.checklist }),
    basis: t.exposeString('basis', { nullable: true }),
    seed: t.exposeBoolean('seed'),
  }),
});

builder.queryFields((t) => ({
  campaigns: t.field({ type: [CampaignRef], resolve: (_r, _a, ctx) => ctx.services.campaigns.list(who(ctx)) }),
}));

const ChecklistItemInput = builder.inputType('ChecklistItemInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    zh: t.string({ required: true }),
    en: t.string({ required: true }),
    factorCode: t.string({ required: false }),
  }),
});
const DefineCampaignInput = builder.inputType('DefineCampaignInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    nameZh: t.string({ required: true }),
    nameEn: t.string({ required: true }),
    targetCategories: t.stringList({ required: true }),
    targetFlags: t.field({
      type: [TargetFlagEnum],
      required: false,
      description: 'Also target units carrying any of these derived flags',
    }),
    jurisdictionCode: t.string({ required: true }),
    from: t.string({ required: true }),
    to: t.string({ required: true }),
    checklist: t.field({ type: [ChecklistItemInput], required: true }),
    basis: t.string({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  defineCampaign: t.field({
    type: CampaignRef,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: DefineCampaignInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      const { nameZh, nameEn, from, to, ...rest } = dropNulls(input);
      return ctx.services.campaigns.define(who(ctx), { ...rest, name: { zh: nameZh, en: nameEn }, period: { from, to } });
    },
  }),
}));
