import { z } from 'zod';
import {
  ALWAYS_ON_OBJECTS,
  defineEnum,
  DomainError,
  idSchema,
  invalidTransition,
  parseInput,
  textField,
  typeError,
} from '@firegov/contracts';
import { instantOf, isoDateTimeSchema, requireActor } from './fields.ts';

// 执法 (seed task 16, "清零": every hazard the unit would not fix ends in a decided, closed case) and
// 事故调查 (task 7: fires with deaths or public impact are investigated and someone is held to account).

// ─── Enforcement ────────────────────────────────────────────────────────────────────────────────

export const EnforcementMeasure = defineEnum({
  warning: { zh: '警告', en: 'Warning' },
  fine: { zh: '罚款', en: 'Fine' },
  suspension: { zh: '责令停产停业', en: 'Order to suspend production or business' },
  seal_up: { zh: '查封', en: 'Sealing up of the premises' },
  // Fire authorities cannot detain anyone: this records the referral to the police (移送公安机关).
  detention: { zh: '拘留', en: 'Detention (referred to the police)' },
  other: { zh: '其他', en: 'Other measure' },
});
export type EnforcementMeasure = (typeof EnforcementMeasure.values)[number];

export const CaseStatus = defineEnum({
  opened: { zh: '已立案', en: 'Opened' },
  decided: { zh: '已作出决定', en: 'Decided' },
  closed: { zh: '已结案', en: 'Closed' },
});
export type CaseStatus = (typeof CaseStatus.values)[number];

const int = (min: number, max: number) =>
  z
    .number({ error: typeError('a number') })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const openCaseSchema = z.strictObject(
  {
    hazardId: idSchema,
    unitId: idSchema,
    /** The legal basis, e.g. 《中华人民共和国消防法》第六十条. */
    basis: textField(2, 500),
  },
  { error: typeError('an object') },
);
export type OpenCaseInput = z.output<typeof openCaseSchema>;

/** The fields of an enforcement case the transitions read and write; stores may keep more. */
export interface EnforcementCaseState {
  hazardId: string;
  unitId: string;
  basis: string;
  status: CaseStatus;
  measures: EnforcementMeasure[];
  fineYuan?: number;
  note?: string;
  decidedBy?: string;
  decidedAt?: string;
  outcome?: string;
  openedAt: string;
  openedBy: string;
  closedAt?: string;
}

export function openCase(input: unknown, ctx: { now: Date; actor: string }): EnforcementCaseState {
  const openedBy = requireActor(ctx.actor);
  const parsed = parseInput(openCaseSchema, input);
  return { ...parsed, status: 'opened', measures: [], openedAt: ctx.now.toISOString(), openedBy };
}

export const caseDecisionSchema = z
  .strictObject(
    {
      measures: z
        .array(EnforcementMeasure.schema, { error: typeError('an array') })
        .min(1, 'must list at least one measure')
        .superRefine((list, ctx) => {
          const seen = new Set<string>();
          list.forEach((measure, index) => {
            if (seen.has(measure)) ctx.addIssue({ code: 'custom', path: [index], message: `"${measure}" is listed twice` });
            seen.add(measure);
          });
        }),
      // Whole yuan: penalty decisions are written in yuan.
      fineYuan: int(1, Number.MAX_SAFE_INTEGER).optional(),
      note: textField(1, 1000).optional(),
      decidedBy: textField(1, 50),
    },
    { error: typeError('an object') },
  )
  .superRefine((value, ctx) => {
    const measures = Array.isArray(value.measures) ? value.measures : [];
    const fined = measures.includes('fine');
    if (fined && value.fineYuan === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fineYuan'], message: 'is required when the measures include "fine"' });
    }
    if (!fined && value.fineYuan !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['fineYuan'], message: 'must be left out unless the measures include "fine"' });
    }
    // "Other" says nothing by itself; the decision must still be readable later.
    if (measures.includes('other') && value.note === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'is required when the measures include "other": say which measure',
      });
    }
  }, ALWAYS_ON_OBJECTS);
export type CaseDecision = z.output<typeof caseDecisionSchema>;

/** 处罚决定: records the measures taken. Decided once; a change of decision is a new case (复议 is outside). */
export function decideCase<S extends EnforcementCaseState>(state: S, decision: unknown, now: Date): S {
  if (state.status !== 'opened') throw invalidTransition('decide', state.status, ['opened']);
  const parsed = parseInput(caseDecisionSchema, decision);
  const next: S = {
    ...state,
    status: 'decided',
    measures: [...parsed.measures],
    decidedBy: parsed.decidedBy,
    decidedAt: now.toISOString(),
  };
  if (parsed.fineYuan !== undefined) next.fineYuan = parsed.fineYuan;
  if (parsed.note !== undefined) next.note = parsed.note;
  return next;
}

export const caseCloseSchema = z.strictObject({ outcome: textField(2, 1000) }, { error: typeError('an object') });

/** 结案: the decision has been carried out (fine paid, premises reopened after rectification, …). */
export function closeCase<S extends EnforcementCaseState>(state: S, input: unknown, now: Date): S {
  if (state.status !== 'decided') throw invalidTransition('close', state.status, ['decided']);
  const { outcome } = parseInput(caseCloseSchema, input);
  return { ...state, status: 'closed', outcome, closedAt: now.toISOString() };
}

// ─── Incidents ──────────────────────────────────────────────────────────────────────────────────

// The national grading of accidents (生产安全事故报告和调查处理条例, art. 3), which fire incidents follow.
export const IncidentSeverity = defineEnum({
  especially_major: { zh: '特别重大', en: 'Especially major' },
  major: { zh: '重大', en: 'Major' },
  large: { zh: '较大', en: 'Large' },
  general: { zh: '一般', en: 'General' },
});
export type IncidentSeverity = (typeof IncidentSeverity.values)[number];

// Thresholds from the most severe down. "以上" includes the number itself, so each is a ≥ test;
// injuries are serious injuries (重伤, including acute poisoning), the only ones the grading counts.
const SEVERITY_THRESHOLDS: ReadonlyArray<{ severity: IncidentSeverity; deaths: number; injuries: number; lossYuan: number }> = [
  { severity: 'especially_major', deaths: 30, injuries: 100, lossYuan: 100_000_000 },
  { severity: 'major', deaths: 10, injuries: 50, lossYuan: 50_000_000 },
  { severity: 'large', deaths: 3, injuries: 10, lossYuan: 10_000_000 },
];

/** The grade set by whichever of deaths, serious injuries and direct loss reaches the highest band. */
export function incidentSeverity(deaths: number, injuries: number, directLossYuan: number): IncidentSeverity {
  const band = SEVERITY_THRESHOLDS.find((t) => deaths >= t.deaths || injuries >= t.injuries || directLossYuan >= t.lossYuan);
  return band?.severity ?? 'general';
}

export const incidentInputSchema = z.strictObject(
  {
    unitId: idSchema,
    occurredAt: isoDateTimeSchema,
    cause: textField(1, 500).optional(),
    deaths: int(0, 100_000),
    /** Serious injuries (重伤). */
    injuries: int(0, 100_000),
    directLossYuan: z
      .number({ error: typeError('a number') })
      .min(0, 'must be at least 0')
      .max(1e13, 'must be at most 10000000000000'),
    summary: textField(1, 2000),
    /** 有影响火灾: a fire the public noticed (media, crowded premises) though no one died. */
    influential: z.boolean({ error: typeError('true or false') }).optional(),
  },
  { error: typeError('an object') },
);
export type IncidentInput = z.output<typeof incidentInputSchema>;

export const InvestigationStatus = defineEnum({
  reported: { zh: '已报告', en: 'Reported' },
  investigating: { zh: '调查中', en: 'Under investigation' },
  concluded: { zh: '已作出调查结论', en: 'Concluded' },
  closed: { zh: '已结案', en: 'Closed' },
});
export type InvestigationStatus = (typeof InvestigationStatus.values)[number];

export interface Accountability {
  party: string;
  measure: string;
}

/**
 * What the plan (task 7) requires of an incident, fixed when it is recorded: 亡人和有影响火灾 are
 * investigated (调查处理); 较大以上 fires are also reported upward (处理信息通报) and their
 * rectification is assessed (整改情况评估) within a year of the investigation's conclusion.
 */
export interface IncidentObligations {
  investigation: boolean;
  upwardNotice: boolean;
  rectificationAssessment: boolean;
}

/** Months after the conclusion by which a 较大以上 fire's rectification is assessed (one year). */
export const RECTIFICATION_ASSESSMENT_MONTHS = 12;

/** The fields of an incident the transitions read and write; stores may keep more. */
export interface IncidentState extends IncidentInput {
  severity: IncidentSeverity;
  status: InvestigationStatus;
  obligations?: IncidentObligations;
  investigation?: { leadBy?: string; startedAt?: string; findings?: string; concludedAt?: string };
  accountability: Accountability[];
  /** 信息通报: to whom and when the incident was reported upward. */
  upwardNotice?: { to: string; at: string; by: string };
  /** 整改情况评估: due a year after the conclusion; done when `assessedAt` is set. */
  rectificationAssessment?: { dueBy: string; assessedAt?: string; by?: string; findings?: string };
  recordedBy: string;
  recordedAt: string;
  closedAt?: string;
}

/** What task 7 requires of an incident of this severity, with these deaths, influential or not. */
export function incidentObligations(severity: IncidentSeverity, deaths: number, influential: boolean): IncidentObligations {
  const large = needsUpwardNotice(severity);
  return { investigation: large || deaths > 0 || influential, upwardNotice: large, rectificationAssessment: large };
}

/** Incidents recorded before obligations were kept: derived again from what they hold. */
export const obligationsOf = (s: IncidentState): IncidentObligations =>
  s.obligations ?? incidentObligations(s.severity, s.deaths, s.influential === true);

// Clocks of the reporting devices drift a little; an incident further in the future is a typo.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Records a fire incident (reported) with its severity derived from the casualties and loss. */
export function recordIncident(input: unknown, ctx: { now: Date; actor: string }): IncidentState {
  const schema = incidentInputSchema.superRefine((value, issueCtx) => {
    const at = instantOf(value.occurredAt);
    if (at !== undefined && at > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
      issueCtx.addIssue({ code: 'custom', path: ['occurredAt'], message: `is after now (${ctx.now.toISOString()})` });
    }
  }, ALWAYS_ON_OBJECTS);
  const recordedBy = requireActor(ctx.actor);
  const incident = parseInput(schema, input);
  const severity = incidentSeverity(incident.deaths, incident.injuries, incident.directLossYuan);
  return {
    ...incident,
    severity,
    obligations: incidentObligations(severity, incident.deaths, incident.influential === true),
    status: 'reported',
    accountability: [],
    recordedBy,
    recordedAt: ctx.now.toISOString(),
  };
}

export const startInvestigationSchema = z.strictObject({ leadBy: textField(1, 100) }, { error: typeError('an object') });

export function startInvestigation<S extends IncidentState>(state: S, input: unknown, now: Date): S {
  if (state.status !== 'reported') throw invalidTransition('start the investigation of', state.status, ['reported']);
  const { leadBy } = parseInput(startInvestigationSchema, input);
  return { ...state, status: 'investigating', investigation: { leadBy, startedAt: now.toISOString() } };
}

export const conclusionSchema = z.strictObject(
  {
    findings: textField(10, 5000),
    // May be empty: a fire can have no one to blame (lightning), and the findings must then say so.
    accountability: z
      .array(z.strictObject({ party: textField(1, 100), measure: textField(1, 200) }, { error: typeError('an object') }), {
        error: typeError('an array'),
      })
      .max(200, 'must have at most 200 entries'),
  },
  { error: typeError('an object') },
);
export type Conclusion = z.output<typeof conclusionSchema>;

/** 调查结论: what happened and who answers for it (责任追究). */
export function concludeInvestigation<S extends IncidentState>(state: S, input: unknown, now: Date): S {
  if (state.status !== 'investigating') throw invalidTransition('conclude', state.status, ['investigating']);
  const { findings, accountability } = parseInput(conclusionSchema, input);
  const due = new Date(now);
  due.setUTCMonth(due.getUTCMonth() + RECTIFICATION_ASSESSMENT_MONTHS);
  return {
    ...state,
    status: 'concluded',
    investigation: { ...state.investigation, findings, concludedAt: now.toISOString() },
    accountability: accountability.map((a) => ({ ...a })),
    ...(obligationsOf(state).rectificationAssessment ? { rectificationAssessment: { dueBy: due.toISOString() } } : {}),
  };
}

export const upwardNoticeSchema = z.strictObject({ to: textField(2, 200) }, { error: typeError('an object') });

/** 信息通报 of a 较大以上 fire: recorded once, at any stage before it is closed. */
export function notifyUpward<S extends IncidentState>(state: S, input: unknown, ctx: { now: Date; actor: string }): S {
  if (!obligationsOf(state).upwardNotice) {
    throw new DomainError('INVALID_TRANSITION', `a ${state.severity} fire is not reported upward`, [
      { path: '$.incidentId', reason: 'only 较大以上 (large and above) fires are reported upward' },
    ]);
  }
  if (state.upwardNotice) {
    throw new DomainError('INVALID_TRANSITION', `reported upward already, on ${state.upwardNotice.at}`, [
      { path: '$.incidentId', reason: `reported to ${state.upwardNotice.to} on ${state.upwardNotice.at}` },
    ]);
  }
  if (state.status === 'closed')
    throw invalidTransition('report upward', state.status, ['reported', 'investigating', 'concluded']);
  const { to } = parseInput(upwardNoticeSchema, input);
  return { ...state, upwardNotice: { to, at: ctx.now.toISOString(), by: requireActor(ctx.actor) } };
}

export const rectificationAssessmentSchema = z.strictObject({ findings: textField(10, 5000) }, { error: typeError('an object') });

/** 整改情况评估: how the rectification the investigation required was carried out, after its conclusion. */
export function assessRectification<S extends IncidentState>(state: S, input: unknown, ctx: { now: Date; actor: string }): S {
  const due = state.rectificationAssessment;
  if (!due) {
    throw new DomainError('INVALID_TRANSITION', 'no rectification assessment is due for this incident', [
      { path: '$.incidentId', reason: 'due only for 较大以上 fires, once their investigation is concluded' },
    ]);
  }
  if (due.assessedAt) {
    throw new DomainError('INVALID_TRANSITION', `rectification assessed already, on ${due.assessedAt}`, [
      { path: '$.incidentId', reason: `assessed on ${due.assessedAt}` },
    ]);
  }
  const { findings } = parseInput(rectificationAssessmentSchema, input);
  return {
    ...state,
    rectificationAssessment: { ...due, assessedAt: ctx.now.toISOString(), by: requireActor(ctx.actor), findings },
  };
}

/**
 * 结案. An incident that must be investigated closes once its investigation is concluded and, for
 * a 较大以上 fire, reported upward; any other fire (no death, not influential, general) may be
 * closed straight from `reported`. The rectification assessment follows within the year, closed or not.
 */
export function closeIncident<S extends IncidentState>(state: S, now: Date): S {
  const must = obligationsOf(state);
  const from: InvestigationStatus[] = must.investigation ? ['concluded'] : ['reported', 'concluded'];
  if (!from.includes(state.status)) {
    if (state.status === 'reported' && must.investigation) {
      throw new DomainError('INVALID_TRANSITION', 'this fire must be investigated before it is closed', [
        { path: '$.incidentId', reason: 'a fatal, influential or 较大以上 fire is investigated (调查处理) first' },
      ]);
    }
    throw invalidTransition('close', state.status, from);
  }
  if (must.upwardNotice && !state.upwardNotice) {
    throw new DomainError('INVALID_TRANSITION', 'a 较大以上 fire is reported upward (信息通报) before it is closed', [
      { path: '$.incidentId', reason: 'not yet reported upward' },
    ]);
  }
  return { ...state, status: 'closed', closedAt: now.toISOString() };
}

// Task 7: larger-and-above fires are reported upward with how their rectification was assessed.
export function needsUpwardNotice(severity: IncidentSeverity): boolean {
  return severity !== 'general';
}
