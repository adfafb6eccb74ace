import type { ErrorDetail } from '@firegov/contracts';
import type { Determination } from './gb35181.ts';
import { parseInstant, throwIfInvalid } from './hazard-state.ts';

// How a county settles a doubtful determination: 集体讨论 (collective discussion, at least 3 people)
// and 专家论证 (an expert panel of at least 7, two thirds for major). GB 35181-2017 set these out in
// its chapter 4 (判定原则和程序); GB 35181-2025 deleted that chapter, so they are the county's
// administrative procedure, not the standard, and are recorded and cited as such.

/** 集体讨论: the inspecting authority's own discussion of a doubtful case. */
export interface CollectiveDiscussion {
  at: string;
  participants: string[];
  conclusion: 'major' | 'general';
  notes?: string;
}

/** 专家论证: an outside panel for cases the collective discussion could not settle. */
export interface ExpertPanel {
  at: string;
  experts: string[];
  votesMajor: number;
  notes?: string;
}

export const MIN_DISCUSSION_PARTICIPANTS = 3;
export const MIN_PANEL_EXPERTS = 7;

// The same person typed twice (or with stray spaces) must not make up the quorum.
const distinctNames = (names: unknown): string[] | undefined =>
  Array.isArray(names) && names.every((n) => typeof n === 'string')
    ? [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))]
    : undefined;

export function checkCollectiveDiscussion(d: CollectiveDiscussion): void {
  const details: ErrorDetail[] = [];
  if (parseInstant(d.at) === undefined) details.push({ path: '$.at', reason: 'must be an ISO-8601 date-time with a time zone' });
  const participants = distinctNames(d.participants);
  if (!participants || participants.length < MIN_DISCUSSION_PARTICIPANTS) {
    details.push({
      path: '$.participants',
      reason: `needs at least ${MIN_DISCUSSION_PARTICIPANTS} distinct participants, got ${participants?.length ?? 0}`,
    });
  }
  if (d.conclusion !== 'major' && d.conclusion !== 'general') {
    details.push({ path: '$.conclusion', reason: 'must be major or general' });
  }
  throwIfInvalid(details, 'invalid collective discussion');
}

export function expertPanelOutcome(p: ExpertPanel): { grade: 'general' | 'major'; required: number } {
  const details: ErrorDetail[] = [];
  if (parseInstant(p.at) === undefined) details.push({ path: '$.at', reason: 'must be an ISO-8601 date-time with a time zone' });
  const experts = distinctNames(p.experts);
  const count = experts?.length ?? 0;
  if (count < MIN_PANEL_EXPERTS) {
    details.push({ path: '$.experts', reason: `needs at least ${MIN_PANEL_EXPERTS} distinct experts, got ${count}` });
  }
  if (!Number.isInteger(p.votesMajor) || p.votesMajor < 0 || p.votesMajor > count) {
    details.push({ path: '$.votesMajor', reason: `must be a whole number from 0 to ${count}` });
  }
  throwIfInvalid(details, 'invalid expert panel');
  // ceil(2n/3) in integers, so 7 experts need 5 votes without floating-point doubt.
  const required = Math.floor((2 * count + 2) / 3);
  return { grade: p.votesMajor >= required ? 'major' : 'general', required };
}

/** The expert panel, when held, decides; otherwise the collective discussion; otherwise the rule. */
export function finalGrade(
  det: Determination,
  discussion?: CollectiveDiscussion,
  panel?: ExpertPanel,
): { grade: 'general' | 'major'; decidedBy: 'rule' | 'collective_discussion' | 'expert_panel' } {
  if (discussion) checkCollectiveDiscussion(discussion);
  if (panel) return { grade: expertPanelOutcome(panel).grade, decidedBy: 'expert_panel' };
  if (discussion) return { grade: discussion.conclusion, decidedBy: 'collective_discussion' };
  return { grade: det.grade, decidedBy: 'rule' };
}
