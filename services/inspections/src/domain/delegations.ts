import { z } from 'zod';
import {
  ALWAYS_ON_ARRAYS,
  divisionCodeSchema,
  DomainError,
  parseInput,
  stringFirst,
  textField,
  typeError,
} from '@firegov/contracts';
import { EnforcementMeasure } from './cases.ts';
import { calendarDateSchema, listedOnce, requireActor } from './fields.ts';

// 委托/赋权执法 (seed task 16): the county delegates some of its enforcement powers to a township
// for a period, by a written decision. While a delegation is in force, the township's officers open,
// decide and close enforcement cases in the township, with the measures it names; the county and
// the fire brigade keep theirs. Detention is never delegated: only the police detain.

export const DELEGABLE_MEASURES = EnforcementMeasure.values.filter((m) => m !== 'detention');

export const delegationInputSchema = z
  .strictObject(
    {
      townshipCode: stringFirst(divisionCodeSchema),
      measures: z
        .array(
          z.enum(DELEGABLE_MEASURES as [string, ...string[]], {
            error: `must be one of ${DELEGABLE_MEASURES.join(', ')} (detention is never delegated)`,
          }),
          { error: typeError('an array') },
        )
        .min(1, 'must name at least one measure')
        .superRefine(listedOnce, ALWAYS_ON_ARRAYS),
      from: calendarDateSchema,
      to: calendarDateSchema,
      /** The county's written decision, e.g. 丰都县人民政府关于赋予乡镇部分县级行政执法权的决定. */
      basis: textField(2, 300),
    },
    { error: typeError('an object') },
  )
  .superRefine((d, ctx) => {
    // Both are YYYY-MM-DD, so string order is date order.
    if (typeof d.from === 'string' && typeof d.to === 'string' && d.to < d.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is ${d.to}, before the start ${d.from}` });
    }
  });
export type DelegationInput = z.output<typeof delegationInputSchema>;

export interface DelegationState {
  townshipCode: string;
  measures: string[];
  from: string;
  to: string;
  basis: string;
  grantedBy: string;
  grantedAt: string;
  revokedAt?: string;
  revokedBy?: string;
}

export function grantDelegation(input: unknown, ctx: { now: Date; actor: string }): DelegationState {
  const d = parseInput(delegationInputSchema, input);
  return { ...d, grantedBy: requireActor(ctx.actor), grantedAt: ctx.now.toISOString() };
}

/** Ends a delegation from now on; cases opened under it stay valid. */
export function revokeDelegation<S extends DelegationState>(state: S, ctx: { now: Date; actor: string }): S {
  if (state.revokedAt) {
    throw new DomainError('INVALID_TRANSITION', `revoked already, on ${state.revokedAt}`, [
      { path: '$.delegationId', reason: `revoked on ${state.revokedAt}` },
    ]);
  }
  return { ...state, revokedAt: ctx.now.toISOString(), revokedBy: requireActor(ctx.actor) };
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** The Beijing calendar day of an instant: a delegation "to 2026-12-31" holds until midnight in the township. */
export const beijingDay = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** Whether the delegation is in force at `at`: inside its period (Beijing days, both ends) and not revoked. */
export function inForce(d: DelegationState, at: Date): boolean {
  const day = beijingDay(at);
  if (day < d.from || day > d.to) return false;
  return d.revokedAt === undefined || Date.parse(d.revokedAt) > at.getTime();
}

/** The measures a township may decide at `at` under the delegations it holds (none: it may not enforce). */
export function delegatedMeasures(delegations: readonly DelegationState[], townshipCode: string, at: Date): Set<string> {
  const measures = new Set<string>();
  for (const d of delegations) {
    if (d.townshipCode === townshipCode && inForce(d, at)) for (const m of d.measures) measures.add(m);
  }
  return measures;
}
