import { UnitCategory } from '@firegov/contracts';
import { BuildingUse, CommitmentStatus, FireTeamKind, RiskGrade } from '../domain/enums.ts';
import { addSharedTypes, enumValues } from '@firegov/service';
import { builder } from './builder.ts';

// Shared GraphQL types: enums (values are the API's English keys; labels in zh-CN and English),
// the typed mutation error, and page info.

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

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);
