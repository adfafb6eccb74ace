// The unit lists, lookups and name search of the dashboards are served from a read model
// (store/unit-index.ts) instead of the store: the local store reads documents at a few thousand a
// second and cannot page a county of 100,000 units fast. This module is its pure half: what a unit
// contributes to the index, and how a list filter becomes the sets and tests that answer it.
import { characterPairs } from './search-grams.ts';

/** The fields of a unit the index needs; the snapshot itself is the whole document. */
export interface IndexedUnit {
  _id: string;
  version: number;
  status: string;
  name: string;
  category: string;
  scope: readonly string[];
  risk: { grade: string; gradedAt: string };
  keyUnit: boolean;
  highRise: boolean;
  selfBuiltTarget: boolean;
}

// Sets are named by short members: `s:<code>` every active unit under a jurisdiction code,
// `c:<code>:<category>` those of one category, `g:<pair>` every active unit whose name holds a
// character pair. Members are joined by SEP in the stored membership, so a pair holding it (or
// any other control character) is not indexed; a search for it falls back to the substring test.
export const SEP = '\t';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

export const scopeSet = (code: string) => `s:${code}`;
export const categorySet = (code: string, category: string) => `c:${code}:${category}`;
export const pairSet = (pair: string) => `g:${pair}`;

const flag = (b: boolean) => (b ? '1' : '0');

/** What one unit writes into the index: ordering stamp, set memberships and its line for filter tests. */
export interface IndexEntry {
  id: string;
  /** Writes of one unit are applied newest first wins: version, then the time it was last graded. */
  version: number;
  stamp: number;
  /** Sets the unit belongs to ([] when deregistered: lists show active units). */
  members: string[];
  /** `grade SEP key SEP highRise SEP selfBuilt SEP lower-cased name`, '' when not listed. */
  line: string;
}

export function indexEntry(unit: IndexedUnit): IndexEntry {
  const stamp = Date.parse(unit.risk.gradedAt);
  const base = { id: unit._id, version: unit.version, stamp: Number.isFinite(stamp) ? stamp : 0 };
  if (unit.status !== 'active') return { ...base, members: [], line: '' };
  const members = new Set<string>();
  for (const code of unit.scope) {
    members.add(scopeSet(code));
    members.add(categorySet(code, unit.category));
  }
  for (const pair of characterPairs(unit.name)) if (!CONTROL.test(pair)) members.add(pairSet(pair));
  const line = [unit.risk.grade, flag(unit.keyUnit), flag(unit.highRise), flag(unit.selfBuiltTarget), unit.name.toLowerCase()];
  return { ...base, members: [...members], line: line.join(SEP) };
}

/** The list filters the index answers (active units only; `includeDeregistered` goes to the store). */
export interface IndexFilter {
  category?: string | null;
  riskGrade?: string | null;
  keyUnit?: boolean | null;
  highRise?: boolean | null;
  selfBuiltTarget?: boolean | null;
  search?: string | null;
}

/** How to answer a filter under one jurisdiction code: the sets to intersect and the line tests. */
export interface IndexPlan {
  /** Every listed unit is in all of these sets (the first one alone when there is one). */
  sets: string[];
  /** Per line field (grade, key, highRise, selfBuilt) the value wanted, '' for any. */
  wants: [string, string, string, string];
  /** Lower-cased substring the name must hold, '' for none. */
  needle: string;
}

export function indexPlan(code: string, filter: IndexFilter): IndexPlan {
  const needle = (filter.search ?? '').trim().toLowerCase();
  const pairs = needle ? characterPairs(needle).filter((p) => !CONTROL.test(p)) : [];
  const want = (b: boolean | null | undefined) => (typeof b === 'boolean' ? flag(b) : '');
  return {
    sets: [filter.category ? categorySet(code, filter.category) : scopeSet(code), ...pairs.map(pairSet)],
    wants: [filter.riskGrade ?? '', want(filter.keyUnit), want(filter.highRise), want(filter.selfBuiltTarget)],
    needle,
  };
}
