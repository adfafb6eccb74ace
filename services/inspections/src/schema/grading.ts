import { EDITIONS, editionOn, type Edition } from '../domain/gb35181.ts';
import { builder, DeterminationRef, HazardFactorRef, HazardGradeEnum } from './refs.ts';

// 重大火灾隐患判定 (GB 35181): the factor catalogue per edition and a hazard's determination
// (determineHazardGrade, with the county's procedure steps, is in hazards.ts).

const EditionEnum = builder.enumType('GB35181Edition', {
  description: 'GB 35181 edition: 2017 (重大火灾隐患判定方法, until 2025-10-31) or 2025 (重大火灾隐患判定规则, from 2025-11-01)',
  // GraphQL names cannot start with a digit: the values are ed2017 and ed2025.
  values: {
    ed2017: {
      value: '2017',
      description: 'GB 35181-2017《重大火灾隐患判定方法》 / GB 35181-2017, in force until 2025-10-31',
    },
    ed2025: {
      value: '2025',
      description: 'GB 35181-2025《重大火灾隐患判定规则》 / GB 35181-2025, in force from 2025-11-01',
    },
  } as const,
});

const IgnoredRef = builder.objectRef<{ code: string; reason: string }>('IgnoredFinding').implement({
  description: 'A finding the determination did not count, and why',
  fields: (t) => ({ code: t.exposeString('code'), reason: t.exposeString('reason') }),
});

HazardFactorRef.implement({
  description: 'A GB 35181 determination factor (直接判定要素 or 综合判定要素)',
  fields: (t) => ({
    code: t.exposeString('code'),
    kind: t.exposeString('kind'),
    area: t.exposeString('area'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
    clause: t.exposeString('clause', { nullable: true, description: 'Where the edition puts it; an unconfirmed place says so' }),
    verified: t.boolean({
      description: 'False when the entry is not confirmed from the edition’s text',
      resolve: (f) => f.verified !== false,
    }),
    premisesClasses: t.stringList({
      nullable: true,
      description: 'Direct factors set out for some premises groups only (2025)',
      resolve: (f) => (f.premises ? [...f.premises] : null),
    }),
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
    edition: t.field({
      type: EditionEnum,
      description: 'The edition in force on the day of the determination (2017 for those recorded before editions were)',
      resolve: (d) => d.edition ?? '2017',
    }),
    clauses: t.stringList({ description: 'The clauses that decided', resolve: (d) => d.clauses ?? [] }),
    provisional: t.boolean({
      description: 'True when the outcome rests on an entry not confirmed from the edition’s text',
      resolve: (d) => d.provisional ?? false,
    }),
    ignored: t.field({ type: [IgnoredRef], resolve: (d) => d.ignored ?? [] }),
    premisesClasses: t.stringList({ nullable: true, resolve: (d) => d.premisesClasses ?? null }),
  }),
});

builder.queryFields((t) => ({
  majorHazardFactors: t.field({
    type: [HazardFactorRef],
    description:
      'GB 35181 factor catalogue of an edition (default: the one in force today): direct factors, then comprehensive factors',
    args: { edition: t.arg({ type: EditionEnum, required: false }) },
    // Public (policy.ts): a national standard's table, so no caller is required.
    resolve: (_r, a, ctx) => {
      const edition: Edition = a.edition ?? editionOn(ctx.services.supervision.now());
      return [...EDITIONS[edition].factors];
    },
  }),
}));
