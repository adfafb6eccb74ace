import { defineEnum } from './define-enum.ts';

// The four-colour levels (blue, yellow, orange, red) of 分级分类 supervision, lowest first. Shared:
// entities grades units, inspections schedules their inspections by the grade.
export const RiskGrade = defineEnum({
  low: { zh: '低风险', en: 'Low risk' },
  general: { zh: '一般风险', en: 'General risk' },
  significant: { zh: '较大风险', en: 'Significant risk' },
  major: { zh: '重大风险', en: 'Major risk' },
});
export type RiskGrade = (typeof RiskGrade.values)[number];
