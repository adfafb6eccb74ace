import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { AppError, fromDomain } from '@firegov/kit';
import { pageSize } from '@firegov/service';
import { z } from 'zod';
import type { PersonalDataTrail, TrailPage } from '../store/personal-data-trail.ts';

const argsSchema = z
  .object({
    reader: z.string().trim().min(1).max(200).nullish(),
    from: z.iso.datetime({ offset: true }).nullish(),
    to: z.iso.datetime({ offset: true }).nullish(),
    first: z.number().int().nullish(),
    after: z.string().min(1).nullish(),
  })
  .strict();

export type PersonalDataReadsArgs = z.input<typeof argsSchema>;

/**
 * 个人信息查询记录: who saw personal data unmasked, when, why and in which answer. Only a county
 * administrator reads the trail, and only of readers inside their own jurisdiction.
 */
export function personalDataReadService(trail: Pick<PersonalDataTrail, 'page'>) {
  return {
    async personalDataReads(who: Identity, args: PersonalDataReadsArgs): Promise<TrailPage> {
      if (who.role !== 'county_admin') {
        throw new AppError('FORBIDDEN', `role ${who.role} may not read the personal data audit trail`);
      }
      const a = fromDomain(() => parseInput(argsSchema, args));
      const from = a.from ? new Date(a.from) : undefined;
      const to = a.to ? new Date(a.to) : undefined;
      if (from && to && from > to) {
        throw new AppError('VALIDATION_FAILED', 'from is after to', {
          details: [{ path: '$.from', reason: 'must not be after to' }],
        });
      }
      return trail.page(who.jurisdiction, { reader: a.reader ?? undefined, from, to }, pageSize(a.first), a.after ?? undefined);
    },
  };
}

export type PersonalDataReadService = ReturnType<typeof personalDataReadService>;
