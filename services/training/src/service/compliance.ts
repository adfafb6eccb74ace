import { inScope, type Identity } from '@firegov/auth';
import { withDocumentLock, withOutbox, newOutbox } from '@firegov/events';
import { collectionOf, validationFailed } from '@firegov/kit';
import type { RegistryUnitDoc } from '@firegov/registry';
import {
  coverageChanged as differs,
  unitCoverage,
  villageCoverage,
  type PlaceCoverage,
  type Slot,
  type TrainingEvidence,
} from '../domain/compliance.ts';
import type { Person } from '../domain/people.ts';
import type { Requirement } from '../domain/requirements.ts';
import { coverageChanged } from '../events/outbound.ts';
import type { UnitCoverageDoc } from '../store/people.ts';
import { assertReader, type PeopleService } from './people.ts';
import type { PeopleDeps } from './people-deps.ts';
import type { RequirementService } from './requirements.ts';

export interface UnitTraining extends PlaceCoverage {
  unitId: string;
  unitName: string;
  keyUnit: boolean;
  people: Person[];
}

export interface GroupCoverage {
  key: string;
  required: number;
  covered: number;
  coverage: number | null;
}

export interface ExpiringSlot {
  person: Person;
  role: Slot['role'];
  requirementId: string | null;
  unitId?: string;
  villageCode?: string;
  expiresAt: string;
}

/** People by each key they have (a unit id, a village code), once, rather than a filter per place. */
function groupedBy(people: readonly Person[], keysOf: (p: Person) => readonly string[]): Map<string, Person[]> {
  const out = new Map<string, Person[]>();
  for (const p of people) {
    for (const k of new Set(keysOf(p))) {
      const list = out.get(k);
      if (list) list.push(p);
      else out.set(k, [p]);
    }
  }
  return out;
}

// A county has thousands of people with roles, not millions: one scope's people fit in memory.
const MAX_PEOPLE_PER_QUERY = 20_000;

/** Compliance reads (合规/覆盖率) and the coverage each unit announces to entities' risk grade. */
export function complianceService(deps: PeopleDeps & { people: PeopleService; requirements: RequirementService }) {
  const records = collectionOf(deps.models.xapiLearningRecords);
  const coverageDocs = collectionOf(deps.models.unitCoverage);

  /** Certificates (learning area) and learning-platform records of these people that count at `at`. */
  async function evidenceFor(personIds: readonly string[], at: Date): Promise<TrainingEvidence[]> {
    if (personIds.length === 0) return [];
    const iso = at.toISOString();
    const [certs, xapi] = await Promise.all([
      deps.certificates.validFor(personIds, undefined, at),
      records.find({ personId: { $in: [...personIds] }, issuedAt: { $lte: iso } }).toArray(),
    ]);
    const fromPlatform = xapi
      // A record without an end of its own may come back with the field absent rather than null.
      .filter((r) => !r.validUntil || r.validUntil > iso)
      .map((r) => ({ personId: r.personId, courseId: r.courseId, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null }));
    return [
      ...certs.map((c) => ({ personId: c.personId, courseId: c.courseId, issuedAt: c.issuedAt, validUntil: c.validUntil })),
      ...fromPlatform,
    ];
  }

  async function evaluate(units: readonly RegistryUnitDoc[], at: Date, rules?: Requirement[]): Promise<UnitTraining[]> {
    if (units.length === 0) return [];
    const people = await deps.people.atUnits(units.map((u) => u._id));
    const [allRules, evidence] = await Promise.all([
      rules ?? deps.requirements.all(),
      evidenceFor(
        people.map((p) => p._id),
        at,
      ),
    ]);
    const atUnit = groupedBy(people, (p) => p.unitIds);
    return units.map((unit) => {
      const here = atUnit.get(unit._id) ?? [];
      return {
        unitId: unit._id,
        unitName: unit.name,
        keyUnit: unit.keyUnit === true,
        people: here,
        ...unitCoverage({ ...unit, keyUnit: unit.keyUnit === true }, here, allRules, evidence, at),
      };
    });
  }

  /** Every unit and village place in a jurisdiction that has people with roles, and its key units. */
  async function placesIn(jurisdiction: string, at: Date) {
    // Independent reads run together: on the local store each costs tens of milliseconds.
    const [people, keyUnits, rules] = await Promise.all([
      deps.models.people.find({ scope: jurisdiction }).limit(MAX_PEOPLE_PER_QUERY).lean<Person[]>(),
      deps.models.units.find({ keyUnit: true, scope: jurisdiction, status: 'active' }).lean<RegistryUnitDoc[]>(),
      deps.requirements.all(),
    ]);
    const known = new Set(keyUnits.map((u) => u._id));
    // Only the units people hold roles at that are not key units are still to be read.
    const [others, evidence] = await Promise.all([
      deps.registry.units([...new Set(people.flatMap((p) => p.unitIds))].filter((id) => !known.has(id))),
      evidenceFor(
        people.map((p) => p._id),
        at,
      ),
    ]);
    const units = [...keyUnits, ...others].filter((u) => u.scope.includes(jurisdiction) && u.status === 'active');
    const atUnit = groupedBy(people, (p) => p.unitIds);
    const inVillage = groupedBy(people, (p) => p.villageCodes);
    const unitResults = units.map((unit) => ({
      unit,
      cov: unitCoverage({ ...unit, keyUnit: unit.keyUnit === true }, atUnit.get(unit._id) ?? [], rules, evidence, at),
    }));
    const villageCodes = [...new Set(people.flatMap((p) => p.villageCodes))].filter((c) => inScope({ jurisdiction }, c));
    const villageResults = villageCodes.map((code) => ({
      code,
      cov: villageCoverage(code, inVillage.get(code) ?? [], rules, evidence, at),
    }));
    return { units: unitResults, villages: villageResults };
  }

  function group(entries: Array<{ key: string; cov: PlaceCoverage }>): GroupCoverage[] {
    const sums = new Map<string, { required: number; covered: number }>();
    for (const { key, cov } of entries) {
      const s = sums.get(key) ?? { required: 0, covered: 0 };
      s.required += cov.required;
      s.covered += cov.covered;
      sums.set(key, s);
    }
    return [...sums.entries()]
      .map(([key, s]) => ({ key, ...s, coverage: s.required ? s.covered / s.required : null }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /**
   * Recomputes these units' coverage and announces each change (training.coverage.changed) in the
   * same write as the new coverage document. Unchanged coverage writes and announces nothing.
   */
  async function recompute(unitIds: readonly string[]): Promise<number> {
    const units = (await deps.registry.units([...new Set(unitIds)])).filter((u) => u.status === 'active');
    const rules = await deps.requirements.all();
    let changed = 0;
    for (const r of await evaluate(units, deps.now(), rules)) {
      const unit = units.find((u) => u._id === r.unitId)!;
      const wrote = await withDocumentLock(deps.models.unitCoverage.collection.collectionName, r.unitId, async () => {
        const current = await coverageDocs.findOne({ _id: r.unitId }, { projection: { outbox: 0 } });
        if (!differs(current, r)) return false;
        const next: Omit<UnitCoverageDoc, 'outbox' | 'outboxPending'> = {
          _id: r.unitId,
          version: (current?.version ?? 0) + 1,
          coverage: r.coverage,
          required: r.required,
          covered: r.covered,
          vacantRoles: r.vacantRoles,
          scope: unit.scope,
          computedAt: deps.now().toISOString(),
        };
        if (current) {
          const { _id, ...fields } = next;
          await coverageDocs.updateOne({ _id, version: current.version }, withOutbox({ $set: fields }, [coverageChanged(next)]));
        } else {
          await coverageDocs.insertOne({ ...next, ...newOutbox([coverageChanged(next)]) });
        }
        return true;
      });
      if (wrote) {
        changed += 1;
        deps.relay.kick(deps.models.unitCoverage.collection, [r.unitId]);
      }
    }
    return changed;
  }

  return {
    evidenceFor,

    /** Unit.training for a page of units: null for a unit outside the caller's jurisdiction or unknown. */
    async unitTraining(who: Identity, unitIds: readonly string[]): Promise<Array<UnitTraining | null>> {
      assertReader(who);
      const units = (await deps.registry.units(unitIds)).filter((u) => u.scope.includes(who.jurisdiction));
      const results = new Map((await evaluate(units, deps.now())).map((r) => [r.unitId, r]));
      return unitIds.map((id) => {
        const r = results.get(id);
        return r ? { ...r, people: r.people.map((p) => deps.people.mask(who, p)) } : null;
      });
    },

    /** Key units (registry: keyUnit) whose responsible person or safety manager is vacant or untrained. */
    async keyUnitsMissing(who: Identity, first = 50): Promise<UnitTraining[]> {
      assertReader(who);
      const limit = Math.min(Math.max(1, first), 200);
      const out: UnitTraining[] = [];
      let after = '';
      // Small batches first (most asked pages are short, and many key units lack someone), then larger.
      let size = Math.min(200, Math.max(20, limit * 2));
      for (;;) {
        const batch = await deps.models.units
          .find({ keyUnit: true, scope: who.jurisdiction, status: 'active', _id: { $gt: after } })
          .sort({ _id: 1 })
          .limit(size)
          .lean<RegistryUnitDoc[]>();
        size = Math.min(200, size * 4);
        if (batch.length === 0) break;
        for (const r of await evaluate(batch, deps.now())) {
          const keyMissing = r.slots.some((s) => !s.covered && (s.role === 'responsible_person' || s.role === 'safety_manager'));
          if (keyMissing) out.push({ ...r, people: r.people.map((p) => deps.people.mask(who, p)) });
          if (out.length >= limit) return out;
        }
        after = batch[batch.length - 1]!._id;
      }
      return out;
    },

    /** People whose training for a role they hold stops counting within `days` days (复训提醒). */
    async expiring(who: Identity, days: number): Promise<ExpiringSlot[]> {
      assertReader(who);
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        throw validationFailed([{ path: '$.withinDays', reason: 'must be a whole number of days from 1 to 366' }]);
      }
      const now = deps.now();
      const horizon = new Date(now.getTime() + days * 86_400_000).toISOString();
      const { units, villages } = await placesIn(who.jurisdiction, now);
      const people = new Map(
        (await deps.models.people.find({ scope: who.jurisdiction }).limit(MAX_PEOPLE_PER_QUERY).lean<Person[]>()).map((p) => [
          p._id,
          p,
        ]),
      );
      const out: ExpiringSlot[] = [];
      const collect = (slots: Slot[], place: { unitId?: string; villageCode?: string }) => {
        for (const s of slots) {
          const person = s.personId ? people.get(s.personId) : undefined;
          if (!person || !s.covered || s.coveredUntil === null || s.coveredUntil > horizon) continue;
          out.push({
            person: deps.people.mask(who, person),
            role: s.role,
            requirementId: s.requirementId,
            ...place,
            expiresAt: s.coveredUntil,
          });
        }
      };
      for (const u of units) collect(u.cov.slots, { unitId: u.unit._id });
      for (const v of villages) collect(v.cov.slots, { villageCode: v.code });
      return out.sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : 1));
    },

    /** Coverage per village (units located there and village roles), per unit category and per supervising department. */
    async coverageBy(who: Identity, by: 'village' | 'category' | 'department'): Promise<GroupCoverage[]> {
      assertReader(who);
      const { units, villages } = await placesIn(who.jurisdiction, deps.now());
      const keyOf = (u: RegistryUnitDoc) =>
        by === 'village' ? u.villageCode : by === 'category' ? u.category : (u.supervisingDepartment ?? 'unassigned');
      return group([
        ...units.map((u) => ({ key: keyOf(u.unit), cov: u.cov })),
        ...(by === 'village' ? villages.map((v) => ({ key: v.code, cov: v.cov })) : []),
      ]);
    },

    recompute,

    /** Recomputes the units these people hold roles at (a certificate was issued to one of them). */
    async recomputeForPeople(personIds: readonly string[]): Promise<number> {
      const people = await deps.models.people
        .find({ _id: { $in: [...personIds] } }, { unitIds: 1 })
        .lean<Array<Pick<Person, 'unitIds'>>>();
      return recompute(people.flatMap((p) => p.unitIds));
    },

    /** The units a sweep looks at: every unit someone holds a role at, and every key unit. */
    async sweepTargets(): Promise<string[]> {
      const withPeople = (await deps.models.people.distinct('unitIds')).filter((x): x is string => typeof x === 'string');
      const keyUnits = await deps.models.units
        .find({ keyUnit: true, status: 'active' }, { _id: 1 })
        .lean<Array<{ _id: string }>>();
      return [...new Set([...withPeople, ...keyUnits.map((u) => u._id)])];
    },
  };
}

export type ComplianceService = ReturnType<typeof complianceService>;
