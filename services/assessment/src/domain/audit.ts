import { FindingCategory } from './inputs.ts';
import type { FindingSeverity } from './inputs.ts';

// Comparing a government re-inspection (抽查复核) with the agency's findings for the same unit.
// Findings are compared by category, not one by one: an inspector and an engineer describe the
// same defect in different words and places, but both file it under "安全疏散". The rule is kept
// simple enough to state in one sentence to the agency:
//   不符 (mismatch) iff the agency missed a major problem the inspector found (did not report that
//   category at all, or only as general), or did not report more than half of the categories in
//   which the inspector found general problems.
// Over-reporting (the agency calls major what the inspector found general or nothing) is listed
// but never a mismatch: erring towards caution is not what the audit punishes.

// Categories are plain strings here: findings come back from storage untyped, and a category this
// version does not know must still be compared (and shown by its raw value) rather than dropped.
export interface AgencyFindingRef {
  id: string;
  category: FindingCategory | (string & {});
  severity: FindingSeverity | (string & {});
}

export interface InspectorFinding {
  category: FindingCategory | (string & {});
  severity: FindingSeverity | (string & {});
}

export interface AuditComparison {
  outcome: 'match' | 'mismatch';
  /** Categories the inspector found major in that the agency reported only as general, or not at all. */
  missedMajor: string[];
  /** Categories the agency reported as major in which the inspector found no major problem. */
  overstated: string[];
  /** Categories of the inspector's general findings that the agency did not report at all. */
  missedGeneral: string[];
  /** Distinct categories of the inspector's general findings (the denominator of the half rule). */
  inspectorGeneralCategories: number;
  explanation: string;
}

const KNOWN: ReadonlySet<string> = new Set(FindingCategory.values);

/** Distinct categories in the declaration order of FindingCategory (unknown ones last, sorted), so outputs are stable. */
function ordered(categories: Iterable<string>): string[] {
  const set = new Set(categories);
  const unknown = [...set].filter((category) => !KNOWN.has(category)).sort();
  return [...FindingCategory.values.filter((category) => set.has(category)), ...unknown];
}

function names(categories: readonly string[]): string {
  return categories.map((category) => FindingCategory.label(category as FindingCategory)).join('、');
}

export function compareAudit(
  agencyFindings: readonly AgencyFindingRef[],
  inspectorFindings: readonly InspectorFinding[],
): AuditComparison {
  const agencyAny = new Set(agencyFindings.map((f) => f.category));
  const agencyMajor = new Set(agencyFindings.filter((f) => f.severity === 'major').map((f) => f.category));
  const inspectorMajor = new Set(inspectorFindings.filter((f) => f.severity === 'major').map((f) => f.category));
  const inspectorGeneral = ordered(inspectorFindings.filter((f) => f.severity === 'general').map((f) => f.category));

  const missedMajor = ordered([...inspectorMajor].filter((category) => !agencyMajor.has(category)));
  const overstated = ordered([...agencyMajor].filter((category) => !inspectorMajor.has(category)));
  const missedGeneral = inspectorGeneral.filter((category) => !agencyAny.has(category));
  const generalRuleBroken = missedGeneral.length * 2 > inspectorGeneral.length;
  const outcome = missedMajor.length > 0 || generalRuleBroken ? 'mismatch' : 'match';

  const sentences: string[] = [outcome === 'mismatch' ? '抽查结论：不符。' : '抽查结论：相符。'];
  if (missedMajor.length > 0) {
    sentences.push(`检查人员发现重大问题，机构未报告或仅报为一般问题的类别：${names(missedMajor)}。`);
  } else if (inspectorMajor.size > 0) {
    sentences.push('检查人员发现的重大问题机构均已按重大问题报告。');
  } else {
    sentences.push('检查人员未发现重大问题。');
  }
  if (inspectorGeneral.length > 0) {
    const verdict = generalRuleBroken ? '超过半数，判为不符' : '未超过半数';
    const which = missedGeneral.length > 0 ? `（${names(missedGeneral)}）` : '';
    sentences.push(
      `检查人员发现的一般问题涉及${inspectorGeneral.length}个类别，机构未报告其中${missedGeneral.length}个${which}，${verdict}。`,
    );
  }
  if (overstated.length > 0) {
    sentences.push(`机构报为重大而检查人员未发现重大问题的类别：${names(overstated)}（仅提示，不影响结论）。`);
  }

  return {
    outcome,
    missedMajor,
    overstated,
    missedGeneral,
    inspectorGeneralCategories: inspectorGeneral.length,
    explanation: sentences.join(''),
  };
}
