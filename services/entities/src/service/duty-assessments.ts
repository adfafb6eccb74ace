import type { Identity } from '@firegov/auth';
import { divisionCodeSchema, parseInput } from '@firegov/contracts';
import { AppError, fromDomain } from '@firegov/kit';
import { z } from 'zod';
import { statusOn } from '../domain/departments.ts';
import { dutyScore, hazardTally, tallyLists, trainingTally, type DutyScore, type DutySubjectKind } from '../domain/duty-score.ts';
import { int } from '../domain/fields.ts';
import type { DepartmentDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';

export interface DutyAssessment extends DutyScore {
  kind: DutySubjectKind;
  code: string;
  name: string;
  jurisdictionCode: string;
  year: number;
}

const argsSchema = z.object({ year: int(2000, 2100), jurisdictionCode: divisionCodeSchema.nullish() }).strict();

const KIND_ORDER: Record<DutySubjectKind, number> = { leader: 0, department: 1, village: 2 };

/**
 * 年度考核: a score per leader, department and village within the caller's jurisdiction (and under
 * `jurisdictionCode`): their list items of the year, the hazards found that year where they answer
 * for them (a department: the units it supervises; a leader or village: its jurisdiction) and the
 * training of those units as it stands.
 */
export function dutyAssessmentService(deps: EntitiesDeps) {
  const { departments, jurisdictions } = deps.models;

  async function tallies(code: string) {
    const [hazards, training] = await Promise.all([deps.duty.hazards(code), deps.duty.training(code)]);
    if (!hazards || !training) throw new AppError('UNAVAILABLE', 'the 考核 tallies are still being built; retry in a minute');
    return { hazards, training };
  }

  return {
    async dutyAssessments(
      identity: Identity,
      raw: { year: number; jurisdictionCode?: string | null },
    ): Promise<DutyAssessment[]> {
      assertCanRead(identity);
      const { year, jurisdictionCode } = fromDomain(() => parseInput(argsSchema, raw));
      const under = jurisdictionCode ? { $and: [{ scope: jurisdictionCode }] } : {};
      const now = deps.now();
      const [holders, villages] = await Promise.all([
        departments
          .find({ ...scopeFilter(identity), ...under })
          .select({ outbox: 0 })
          .lean<DepartmentDoc[]>(),
        jurisdictions
          .find({ ...scopeFilter(identity), ...under, level: 'village' })
          .select({ name: 1, scope: 1 })
          .lean<Array<Pick<JurisdictionDoc, '_id' | 'name'>>>(),
      ]);
      // Read on the clock, as everywhere: an unfinished item past its deadline is overdue.
      const items = (d: DepartmentDoc) => [...d.responsibilities, ...d.tasks].map((i) => ({ ...i, status: statusOn(i, now) }));
      const assess = async (
        subject: Omit<DutyAssessment, keyof DutyScore | 'year'>,
        own: readonly DepartmentDoc[],
        countedAt: string,
      ): Promise<DutyAssessment> => {
        const t = await tallies(countedAt);
        const lists = tallyLists(own.flatMap(items), year, now);
        return {
          ...subject,
          year,
          ...dutyScore({ lists, hazards: hazardTally(t.hazards, year), training: trainingTally(t.training) }),
        };
      };
      const rows = await Promise.all([
        ...holders.map((d) => {
          const kind: DutySubjectKind = d.holder === 'leader' ? 'leader' : 'department';
          const countedAt = kind === 'leader' ? `j:${d.jurisdictionCode}` : `d:${d._id}`;
          return assess({ kind, code: d._id, name: d.name, jurisdictionCode: d.jurisdictionCode }, [d], countedAt);
        }),
        ...villages.map((v) =>
          assess(
            { kind: 'village', code: v._id, name: v.name, jurisdictionCode: v._id },
            holders.filter((d) => d.jurisdictionCode === v._id),
            `j:${v._id}`,
          ),
        ),
      ]);
      // Lowest first within a kind: the 考核 is read to find who lags. Unscored rows last.
      const score = (a: DutyAssessment) => a.score ?? Number.POSITIVE_INFINITY;
      return rows.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || score(a) - score(b) || a.code.localeCompare(b.code));
    },
  };
}
