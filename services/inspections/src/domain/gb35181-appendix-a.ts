// GB 35181-2025 Appendix A: when the automatic fire alarm system (火灾自动报警系统) and the fixed
// extinguishing systems (固定灭火设施) count as "not operating normally" (不能正常运行). The appendix
// exists and closes the gap the 2017 text left open (7.7.2 used the bare phrase), but its criteria
// were not available here. So this evaluator turns what an inspector or the sensors service saw into
// the finding it suggests, and says what it cannot decide: every outcome is provisional, and shares
// of faulty or shielded points are reported, never judged, until the appendix's thresholds are keyed
// in (`APPENDIX_A.faultyShareAtLeast`).

export const APPENDIX_A = {
  clause: '附录A（判据未确认）',
  verified: false,
  /** The share of faulty, shielded or offline points from which a system does not operate normally; unknown. */
  faultyShareAtLeast: null as number | null,
} as const;

export interface SystemFacts {
  system: 'fire_alarm' | 'fixed_extinguishing';
  /** The controller (or the extinguishing control panel) is switched off or reports a fault. */
  controllerDown?: boolean;
  /** Fire pump cannot start, a control valve is closed, or there is no water or agent. */
  supplyDown?: boolean;
  pointsTotal?: number;
  /** Detectors or nozzles faulty, shielded (屏蔽) or offline. */
  pointsDown?: number;
}

export interface AppendixAOutcome {
  /** The comprehensive factor it points to: C-7.2 (alarm) or C-4.6 (fixed extinguishing). */
  code: 'C-7.2' | 'C-4.6';
  /** True: not operating normally; null: the appendix's criteria are needed to decide. */
  notOperating: boolean | null;
  reasons: string[];
  clause: string;
  provisional: true;
}

export function appendixA(facts: SystemFacts): AppendixAOutcome {
  const code = facts.system === 'fire_alarm' ? 'C-7.2' : 'C-4.6';
  const reasons: string[] = [];
  if (facts.controllerDown) reasons.push('控制器关闭或故障');
  if (facts.supplyDown) reasons.push('消防水泵不能启动、阀门关闭或无水/无灭火剂');
  let undecided = false;
  if (facts.pointsTotal !== undefined && facts.pointsDown !== undefined && facts.pointsTotal > 0) {
    const share = facts.pointsDown / facts.pointsTotal;
    const pct = `${Math.round(share * 1000) / 10}%`;
    if (APPENDIX_A.faultyShareAtLeast === null) {
      if (facts.pointsDown > 0) {
        undecided = true;
        reasons.push(`故障、屏蔽或离线点位占 ${pct}：附录A 的比例判据未确认，需人工判定`);
      }
    } else if (share >= APPENDIX_A.faultyShareAtLeast) {
      reasons.push(`故障、屏蔽或离线点位占 ${pct}`);
    }
  }
  const decided = reasons.length > 0 && !(undecided && reasons.length === 1);
  return { code, notOperating: decided ? true : undecided ? null : false, reasons, clause: APPENDIX_A.clause, provisional: true };
}
