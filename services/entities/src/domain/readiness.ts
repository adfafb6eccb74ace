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
