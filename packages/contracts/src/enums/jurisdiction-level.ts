import { defineEnum } from './define-enum.ts';

// Ordered from the widest to the narrowest tier of fire-safety responsibility.
export const JurisdictionLevel = defineEnum({
  county: { zh: '县', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村（社区）', en: 'Village (community)' },
  grid: { zh: '网格', en: 'Grid' },
});

export type JurisdictionLevel = (typeof JurisdictionLevel.values)[number];
