import { KEY_UNIT_ROLES, type Person, type TrainingRole } from './people.ts';
import { premisesOf, ruleFor, type Requirement } from './requirements.ts';

// Whether the people a place needs trained are trained (合规/覆盖率). Pure: the caller loads the
// unit, its people, the rules and the evidence (certificates, learning records).

/** A certificate or learning record for a course: what satisfies a rule. */
export interface TrainingEvidence {
  personId: string;
  courseId: string;
  issuedAt: string;
  /** Null: no expiry of its own (the rule's interval still applies). */
  validUntil: string | null;
}

/** One required person-role assignment at a place, and whether it is covered. */
export interface Slot {
  role: TrainingRole;
  /** Absent for a key unit's role nobody is registered for (vacant). */
  personId?: string;
  requirementId: string | null;
  covered: boolean;
  /** Until when the evidence keeps it covered (null: no end). */
  coveredUntil: string | null;
  /** Why it is not covered, in Chinese for the people who act on it. */
  reason?: string;
}

export interface PlaceCoverage {
  required: number;
  covered: number;
  /** covered / required, or null when nothing is required. */
  coverage: number | null;
  vacantRoles: TrainingRole[];
  slots: Slot[];
}

function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** Until when a piece of evidence satisfies a rule (null: no end), or undefined when it does not at `at`. */
export function evidenceUntil(rule: Requirement, ev: TrainingEvidence, at: Date): string | null | undefined {
  if (!rule.courseIds.includes(ev.courseId)) return undefined;
  const ends = [
    ...(ev.validUntil ? [new Date(ev.validUntil)] : []),
    ...(rule.intervalMonths !== null ? [addMonths(ev.issuedAt, rule.intervalMonths)] : []),
  ];
  if (new Date(ev.issuedAt) > at) return undefined;
  const end = ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null;
  if (end && end <= at) return undefined;
  return end ? end.toISOString() : null;
}

// The evidence of a jurisdiction, by person: a county view has thousands of slots and thousands of
// certificates, and scanning all of them for every slot grows as their product. Built once per
// evidence array: callers pass the same array, built for the call and not changed, for every place.
const evidenceByPerson = new WeakMap<readonly TrainingEvidence[], Map<string, TrainingEvidence[]>>();

function evidenceOf(evidence: readonly TrainingEvidence[], personId: string): readonly TrainingEvidence[] {
  let index = evidenceByPerson.get(evidence);
  if (!index) {
    index = new Map();
    for (const ev of evidence) {
      const list = index.get(ev.personId);
      if (list) list.push(ev);
      else index.set(ev.personId, [ev]);
    }
    evidenceByPerson.set(evidence, index);
  }
  return index.get(personId) ?? [];
}

function slotFor(rule: Requirement, role: TrainingRole, personId: string, evidence: readonly TrainingEvidence[], at: Date): Slot {
  let best: string | null | undefined;
  for (const ev of evidenceOf(evidence, personId)) {
    const until = evidenceUntil(rule, ev, at);
    if (until === undefined) continue;
    if (until === null || best === null) best = null;
    else if (best === undefined || until > best) best = until;
  }
  return best === undefined
    ? { role, personId, requirementId: rule._id, covered: false, coveredUntil: null, reason: '无有效培训记录或证书' }
    : { role, personId, requirementId: rule._id, covered: true, coveredUntil: best };
}

function summarise(slots: Slot[], vacantRoles: TrainingRole[]): PlaceCoverage {
  const covered = slots.filter((s) => s.covered).length;
  return { required: slots.length, covered, coverage: slots.length ? covered / slots.length : null, vacantRoles, slots };
}

/**
 * A unit's coverage: every assignment at the unit a rule applies to is one slot; a key unit's
 * responsible person and safety manager are required even when nobody is registered (vacant).
 */
export function unitCoverage(
  unit: { _id: string; keyUnit: boolean; category: string },
  people: readonly Person[],
  rules: readonly Requirement[],
  evidence: readonly TrainingEvidence[],
  at: Date,
): PlaceCoverage {
  const premises = premisesOf(unit);
  const slots: Slot[] = [];
  const held = new Set<TrainingRole>();
  for (const person of people) {
    for (const a of person.assignments) {
      if (a.unitId !== unit._id) continue;
      held.add(a.role);
      const rule = ruleFor(rules, a.role, premises);
      if (rule) slots.push(slotFor(rule, a.role, person._id, evidence, at));
    }
  }
  const vacantRoles = unit.keyUnit ? KEY_UNIT_ROLES.filter((r) => !held.has(r)) : [];
  for (const role of vacantRoles) {
    slots.push({
      role,
      requirementId: ruleFor(rules, role, premises)?._id ?? null,
      covered: false,
      coveredUntil: null,
      reason: '未登记',
    });
  }
  return summarise(slots, vacantRoles);
}

/** A village's coverage: the village roles (grid managers, village team members, community micro stations). */
export function villageCoverage(
  villageCode: string,
  people: readonly Person[],
  rules: readonly Requirement[],
  evidence: readonly TrainingEvidence[],
  at: Date,
): PlaceCoverage {
  const slots: Slot[] = [];
  for (const person of people) {
    for (const a of person.assignments) {
      if (a.villageCode !== villageCode) continue;
      const rule = ruleFor(rules, a.role, ['any']);
      if (rule) slots.push(slotFor(rule, a.role, person._id, evidence, at));
    }
  }
  return summarise(slots, []);
}

/** True when the published coverage of a unit no longer matches the computed one. */
export function coverageChanged(
  previous: { coverage: number | null; required: number; covered: number; vacantRoles: readonly string[] } | null,
  next: PlaceCoverage,
): boolean {
  if (!previous) return true;
  return (
    previous.coverage !== next.coverage ||
    previous.required !== next.required ||
    previous.covered !== next.covered ||
    previous.vacantRoles.join(',') !== next.vacantRoles.join(',')
  );
}
