export { defineEnum, type DefinedEnum, type EnumDefinition, type EnumLabel, type Locale } from './define-enum.ts';
export { JurisdictionLevel } from './jurisdiction-level.ts';
export { UnitCategory } from './unit-category.ts';
export { RiskGrade } from './risk-grade.ts';
