import { AppError, type ErrorDetail } from '@firegov/kit';
import { UnitCategory } from '@firegov/contracts';
import { BuildingUse, CommitmentStatus, FireTeamKind, RiskGrade } from '../domain/enums.ts';
import { builder } from './builder.ts';

// Shared GraphQL types: enums (values are the API's English keys; labels in zh-CN and English),
// the typed mutation error, and page info.

const enumValues = (values: readonly string[], labels: Record<string, { zh: string; en: string }>) =>
  Object.fromEntries(values.map((v) => [v, { value: v, description: `${labels[v]?.zh ?? ''} / ${labels[v]?.en ?? ''}` }]));

export const UnitCategoryEnum = builder.enumType('UnitCategory', {
  description: '单位/场所类别 (unit or premises category)',
  values: enumValues(UnitCategory.values, UnitCategory.labels),
});
export const RiskGradeEnum = builder.enumType('RiskGrade', {
  description: '风险等级 (four-colour risk grade)',
  values: enumValues(RiskGrade.values, RiskGrade.labels),
});
export const BuildingUseEnum = builder.enumType('BuildingUse', { values: enumValues(BuildingUse.values, BuildingUse.labels) });
export const CommitmentStatusEnum = builder.enumType('CommitmentStatus', {
  description: '公示承诺 status',
  values: enumValues(CommitmentStatus.values, CommitmentStatus.labels),
});
export const FireTeamKindEnum = builder.enumType('FireTeamKind', {
  values: enumValues(FireTeamKind.values, FireTeamKind.labels),
});
export const LocaleEnum = builder.enumType('Locale', { values: { zh_CN: { value: 'zh-CN' }, en: { value: 'en' } } as const });

// Shared by every subgraph (same name and fields), hence @shareable for composition.
export const ErrorDetailRef = builder.objectRef<ErrorDetail>('ErrorDetail').implement({
  shareable: true,
  description: 'One refused field: where (a JSON path into the input) and why.',
  fields: (t) => ({ path: t.exposeString('path'), reason: t.exposeString('reason') }),
});

builder.objectType(AppError, {
  name: 'MutationError',
  shareable: true,
  description: 'An expected refusal. `code` is stable: VALIDATION_FAILED, CONFLICT, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED.',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    details: t.field({ type: [ErrorDetailRef], resolve: (e) => e.details }),
  }),
});

export const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  shareable: true,
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});
