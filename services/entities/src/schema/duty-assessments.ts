import { enumValues } from '@firegov/service';
import { DutyGrade, DutySubjectKind, type DutyFactor } from '../domain/duty-score.ts';
import type { DutyAssessment } from '../service/duty-assessments.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// 年度考核: a score per leader, department and village, explained factor by factor.

const DutyGradeEnum = builder.enumType('DutyGrade', { values: enumValues(DutyGrade.values, DutyGrade.labels) });
const DutySubjectKindEnum = builder.enumType('DutySubjectKind', {
  values: enumValues(DutySubjectKind.values, DutySubjectKind.labels),
});

const DutyFactorRef = builder.objectRef<DutyFactor>('DutyFactor').implement({
  description: 'One line of the explanation: a share (清单完成, 隐患整改, 培训覆盖) or a deduction (通报, 约谈)',
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    points: t.exposeFloat('points'),
    maxPoints: t.exposeFloat('maxPoints', { description: 'What the share can give; 0 for a deduction or nothing to assess' }),
    detail: t.exposeString('detail'),
  }),
});

const DutyAssessmentRef = builder.objectRef<DutyAssessment>('DutyAssessment').implement({
  description:
    '年度考核 out of 100: list completion 40, hazard closure 40, training coverage 20 (scaled to the shares with something to assess), less 2 per 通报 (at most 10) and 5 per 约谈 (at most 20); 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60. Weights and bands are this platform’s defaults: the plan sets none.',
  fields: (t) => ({
    kind: t.field({ type: DutySubjectKindEnum, resolve: (a) => a.kind }),
    code: t.exposeString('code', { description: 'Department code, or village code' }),
    name: t.exposeString('name'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    year: t.exposeInt('year'),
    score: t.exposeFloat('score', { nullable: true, description: 'Null when nothing was there to assess' }),
    grade: t.field({ type: DutyGradeEnum, nullable: true, resolve: (a) => a.grade }),
    factors: t.field({ type: [DutyFactorRef], resolve: (a) => a.factors }),
  }),
});

builder.queryFields((t) => ({
  dutyAssessments: t.field({
    type: [DutyAssessmentRef],
    description:
      '年度考核 of every leader, department and village within the caller’s jurisdiction (and under `jurisdictionCode`) for a year',
    args: { year: t.arg.int({ required: true }), jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.dutyAssessments(who(ctx), a),
  }),
}));
