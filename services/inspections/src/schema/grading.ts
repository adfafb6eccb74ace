import { COMPREHENSIVE_FACTORS, DIRECT_FACTORS } from '../domain/gb35181.ts';
import { who } from './context.ts';
import { builder, DeterminationRef, HazardFactorRef, HazardGradeEnum } from './refs.ts';

// 重大火灾隐患判定 (GB 35181): the factor catalogue and a hazard's determination (determineHazardGrade,
// with its procedure steps, is in hazards.ts).

HazardFactorRef.implement({
  description: 'A GB 35181 determination factor (直接判定要素 or 综合判定要素)',
  fields: (t) => ({
    code: t.exposeString('code'),
    kind: t.exposeString('kind'),
    area: t.exposeString('area'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
  }),
});

DeterminationRef.implement({
  description: '重大火灾隐患判定 (GB 35181): the basis, the factors and the rule that decided',
  fields: (t) => ({
    grade: t.field({ type: HazardGradeEnum, resolve: (d) => d.grade }),
    basis: t.exposeString('basis'),
    matched: t.field({ type: [HazardFactorRef], resolve: (d) => d.matched }),
    threshold: t.int({ nullable: true, resolve: (d) => d.rule?.threshold ?? null }),
    count: t.int({ nullable: true, resolve: (d) => d.rule?.count ?? null }),
    explanation: t.exposeString('explanation'),
  }),
});

builder.queryFields((t) => ({
  majorHazardFactors: t.field({
    type: [HazardFactorRef],
    description: 'GB 35181 factor catalogue: direct factors, then comprehensive factors',
    resolve: (_r, _a, ctx) => {
      who(ctx);
      return [...DIRECT_FACTORS, ...COMPREHENSIVE_FACTORS];
    },
  }),
}));
