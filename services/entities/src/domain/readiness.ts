import { z } from 'zod';
import type { FireTeamKind } from './enums.ts';

export interface FireForceReadiness {
  villageCode: string;
  /** Members of the village's full-time and part-time teams (专职 + 兼职消防队员). */
  memberCount: number;
  required: number;
  shortBy: number;
  hasMicroStation: boolean;
  ready: boolean;
  /** zh-CN reasons the village is not ready; empty when it is. */
  gaps: string[];
}

// The seed plan asks every village for a team of 20-30 people; 20 is the floor it can be held to.
export const DEFAULT_REQUIRED_MEMBERS = 20;

/** Pass only the teams of `villageCode`; the code is echoed so results can be listed per village. */
export function fireForceReadiness(
  villageCode: string,
  teams: ReadonlyArray<{ kind: FireTeamKind; members: readonly unknown[] }>,
  required: number = DEFAULT_REQUIRED_MEMBERS,
): FireForceReadiness {
  // Micro-station staff are usually the same people as the part-time team, so they are not added again.
  const memberCount = teams
    .filter((team) => team.kind === 'full_time' || team.kind === 'part_time')
    .reduce((total, team) => total + team.members.length, 0);
  const shortBy = Math.max(0, required - memberCount);
  const hasMicroStation = teams.some((team) => team.kind === 'micro_station');
  const gaps: string[] = [];
  if (shortBy > 0) gaps.push(`专兼职消防队员不足：差 ${shortBy} 人`);
  if (!hasMicroStation) gaps.push('未建微型消防站');
  return { villageCode, memberCount, required, shortBy, hasMicroStation, ready: shortBy === 0 && hasMicroStation, gaps };
}

/**
 * Village readiness policy: the team-size target (the seed's 20–30 has no source [U]; 20 is the
 * floor) and the training hours a village's teams should log per year. No national interval exists
 * for village teams [U]; an old Chongqing rule asked a full day per quarter [L, possibly superseded],
 * so the training criterion is off (0) unless a county sets it.
 */
export interface ReadinessPolicy {
  requiredMembers: number;
  minTrainingHoursPerYear: number;
}
/** A county's policy as configured: never below the floor of 20 members. */
export const readinessPolicySchema = z.object({
  requiredMembers: z.number().int().min(DEFAULT_REQUIRED_MEMBERS, `must be at least ${DEFAULT_REQUIRED_MEMBERS}`).max(100),
  minTrainingHoursPerYear: z.number().min(0).max(2000),
});
export const DEFAULT_READINESS_POLICY: ReadinessPolicy = {
  requiredMembers: DEFAULT_REQUIRED_MEMBERS,
  minTrainingHoursPerYear: 0,
};

export interface TrainingReadiness {
  /** Hours of the village's team training sessions in the 365 days up to `today` (training service). */
  trainingHours: number;
  trainingTargetHours: number;
  trainingGap: string | null;
}

/** Training hours logged in the last year against the policy's target; a gap only when a target is set. */
export function trainingReadiness(
  sessions: ReadonlyArray<{ date: string; hours: number }>,
  today: string,
  policy: Pick<ReadinessPolicy, 'minTrainingHoursPerYear'>,
): TrainingReadiness {
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const hours = Math.round(sessions.filter((s) => s.date > since && s.date <= today).reduce((n, s) => n + s.hours, 0) * 10) / 10;
  const target = policy.minTrainingHoursPerYear;
  return {
    trainingHours: hours,
    trainingTargetHours: target,
    trainingGap: target > 0 && hours < target ? `队伍训练不足：近一年 ${hours} 小时，应不少于 ${target} 小时` : null,
  };
}
