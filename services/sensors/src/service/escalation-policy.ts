import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from '../domain/escalation.ts';
import type { SensorsEnv } from '../env.ts';

/** The county's escalation clock from the environment; how high each severity climbs stays the default. */
export const escalationPolicyOf = (
  env: Pick<
    SensorsEnv,
    'ESCALATION_REMINDER_MINUTES' | 'ESCALATION_GRID_MINUTES' | 'ESCALATION_TOWNSHIP_MINUTES' | 'FIRE_CONFIRM_WINDOW_MINUTES'
  >,
): EscalationPolicy => ({
  ...DEFAULT_ESCALATION_POLICY,
  reminderEveryMinutes: env.ESCALATION_REMINDER_MINUTES,
  gridManagerAfterMinutes: env.ESCALATION_GRID_MINUTES,
  townshipAfterMinutes: env.ESCALATION_TOWNSHIP_MINUTES,
  fireConfirmWindowMinutes: env.FIRE_CONFIRM_WINDOW_MINUTES,
});
