import { canSeePersonalData, inScope, isUserRole, type Identity } from '@firegov/auth';
import { divisionScope, parseInput } from '@firegov/contracts';
import { withDocumentLock } from '@firegov/events';
import { collectionOf, conflict, forbidden, fromDomain, isDuplicateKeyError, newId, notFound } from '@firegov/kit';
import type { Page } from '@firegov/service';
import {
  assignRolesInput,
  maskPerson,
  newPerson,
  registerPersonInput,
  withAssignments,
  type AssignmentInput,
  type Person,
} from '../domain/people.ts';
import { NO_OUTBOX, pageIn } from './learning-access.ts';
import type { PeopleDeps } from './people-deps.ts';

// Registering people enters names, phones and ID numbers: the tiers that work with personal data.
const REGISTRARS: ReadonlySet<string> = new Set(['county_admin', 'township_officer', 'village_grid_manager']);

function assertRegistrar(who: Identity): void {
  if (!REGISTRARS.has(who.role)) throw forbidden(`role ${who.role} may not register training people`);
}

/** Reads by people of the county's organisation only; outside parties (platform, agencies) see none. */
export function assertReader(who: Identity): void {
  if (!isUserRole(who.role)) throw forbidden(`role ${who.role} may not read training people`);
}

/** The only writer of people (培训对象). */
export function peopleService(deps: PeopleDeps & { unitsChanged: (unitIds: readonly string[]) => Promise<unknown> }) {
  const people = collectionOf(deps.models.people);
  const mask = (who: Identity, p: Person): Person => maskPerson(p, canSeePersonalData(who.role));

  /** Where each assignment lies: the registry unit's scope or the village's chain, if in the caller's jurisdiction. */
  async function placesFor(
    who: Identity,
    assignments: readonly AssignmentInput[],
  ): Promise<(a: AssignmentInput) => string[] | null> {
    const unitIds = assignments.flatMap((a) => (a.unitId ? [a.unitId] : []));
    const units = new Map((await deps.registry.units(unitIds)).map((u) => [u._id, u]));
    const villages = new Set<string>();
    for (const code of new Set(assignments.flatMap((a) => (a.villageCode ? [a.villageCode] : [])))) {
      if (await deps.registry.jurisdictionName(code)) villages.add(code);
    }
    return (a) => {
      if (a.unitId !== undefined) {
        const unit = units.get(a.unitId);
        return unit && unit.status === 'active' && unit.scope.includes(who.jurisdiction) ? unit.scope : null;
      }
      const code = a.villageCode ?? '';
      return villages.has(code) && inScope(who, code) ? divisionScope(code) : null;
    };
  }

  return {
    /**
     * Registers a person with their roles. Each assignment's scope comes from the registry (the
     * unit's) or the village code, and must lie in the caller's jurisdiction. `opts.id` is for the
     * demo loader's stable ids only.
     */
    async register(who: Identity, raw: unknown, opts: { id?: string; demo?: boolean } = {}): Promise<Person> {
      assertRegistrar(who);
      const input = fromDomain(() => parseInput(registerPersonInput, raw));
      const placeOf = await placesFor(who, input.assignments);
      const doc = fromDomain(() =>
        newPerson(input, placeOf, { id: opts.id ?? newId('p'), now: deps.now(), actor: who.subject, demo: opts.demo ?? false }),
      );
      // One record per person: a second role is added to the first record (assignRoles).
      const same = await people.findOne({ phone: doc.phone, scope: who.jurisdiction }, { projection: { _id: 1 } });
      if (same)
        throw conflict('this mobile number is already registered', [
          { path: '$.phone', reason: `is registered for person ${same._id}: add the role to them` },
        ]);
      try {
        await people.insertOne(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) throw conflict(`person ${doc._id} is already registered`);
        throw err;
      }
      // A new person changes the coverage of the units they hold roles at.
      await deps.unitsChanged(doc.unitIds);
      return mask(who, doc);
    },

    /** Adds roles to a registered person in the caller's jurisdiction. */
    async assignRoles(who: Identity, raw: unknown): Promise<Person> {
      assertRegistrar(who);
      const input = fromDomain(() => parseInput(assignRolesInput, raw));
      const placeOf = await placesFor(who, input.assignments);
      const next = await withDocumentLock(deps.models.people.collection.collectionName, input.personId, async () => {
        const current = await people.findOne({ _id: input.personId });
        if (!current || !current.scope.includes(who.jurisdiction)) throw notFound('person');
        const updated = fromDomain(() => withAssignments(current, input.assignments, placeOf));
        const { _id, ...fields } = updated;
        const res = await people.updateOne({ _id, version: current.version }, { $set: fields });
        if (res.matchedCount === 0) throw conflict('the person changed meanwhile: read them again');
        return updated;
      });
      await deps.unitsChanged(next.unitIds);
      return mask(who, next);
    },

    async byId(who: Identity, id: string): Promise<Person> {
      assertReader(who);
      const doc = await people.findOne({ _id: id }, { projection: NO_OUTBOX });
      // Out of scope reads as absent.
      if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('person');
      return mask(who, doc);
    },

    /** People with a role in the caller's jurisdiction, a page at a time. */
    async list(who: Identity, first?: number | null, after?: string | null): Promise<Page<Person>> {
      assertReader(who);
      const page = await pageIn(people, { scope: who.jurisdiction }, first, after);
      return { ...page, nodes: page.nodes.map((p) => mask(who, p)) };
    },

    /** Unmasked, unscoped: for the compliance rules and xAPI, which scope and mask themselves. */
    atUnits: (unitIds: readonly string[]): Promise<Person[]> =>
      unitIds.length ? people.find({ unitIds: { $in: [...unitIds] } }).toArray() : Promise.resolve([]),
    atVillages: (codes: readonly string[]): Promise<Person[]> =>
      codes.length ? people.find({ villageCodes: { $in: [...codes] } }).toArray() : Promise.resolve([]),
    /** The person an xAPI actor names: by platform account or person id, or by e-mail. */
    async byActor(key: { account: string } | { email: string }): Promise<Person | null> {
      if ('email' in key) return people.findOne({ email: key.email });
      return (await people.findOne({ platformAccount: key.account })) ?? people.findOne({ _id: key.account });
    },
    mask,
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
