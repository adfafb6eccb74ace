import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { collectionOf, conflict, forbidden, fromDomain, notFound } from '@firegov/kit';
import {
  changedRequirement,
  changeRequirementInput,
  DEFAULT_REQUIREMENTS,
  seededRequirement,
  type Requirement,
} from '../domain/requirements.ts';
import { requirementChanged } from '../events/outbound.ts';
import { NO_OUTBOX } from './learning-access.ts';
import { assertReader } from './people.ts';
import type { PeopleDeps } from './people-deps.ts';

/** The only writer of the required-training rules (应训规则). */
export function requirementService(deps: Pick<PeopleDeps, 'models' | 'relay' | 'now'>) {
  const rules = collectionOf(deps.models.requirements);
  const collection = deps.models.requirements.collection;

  return {
    /** Seeds the default rules that are missing; rules a county has changed are left as they are. */
    async seedDefaults(): Promise<number> {
      let added = 0;
      for (const seed of DEFAULT_REQUIREMENTS) {
        const doc = seededRequirement(seed, deps.now());
        const res = await rules.updateOne(
          { _id: doc._id },
          { $setOnInsert: { ...doc, ...newOutbox([requirementChanged(doc)]) } },
          { upsert: true },
        );
        if (res.upsertedCount) {
          added += 1;
          deps.relay.kick(collection, [doc._id]);
        }
      }
      return added;
    },

    /** Every rule (active or not), for the compliance rules and readers. */
    all: (): Promise<Requirement[]> => rules.find({}, { projection: NO_OUTBOX }).sort({ _id: 1 }).toArray(),

    list(who: Identity): Promise<Requirement[]> {
      assertReader(who);
      return rules.find({}, { projection: NO_OUTBOX }).sort({ _id: 1 }).toArray();
    },

    /** A county admin changes a rule's courses, interval or whether it applies; announced on the compliance topic. */
    async change(who: Identity, raw: unknown): Promise<Requirement> {
      if (who.role !== 'county_admin') throw forbidden('only a county administrator changes required-training rules');
      const input = fromDomain(() => parseInput(changeRequirementInput, raw));
      return withDocumentLock(collection.collectionName, input.id, async () => {
        const current = await rules.findOne({ _id: input.id }, { projection: NO_OUTBOX });
        if (!current) throw notFound('requirement');
        const next = changedRequirement(current, input, { now: deps.now(), actor: who.subject });
        const { _id, ...fields } = next;
        const res = await rules.updateOne(
          { _id, version: current.version },
          withOutbox({ $set: fields }, [requirementChanged(next)]),
        );
        if (res.matchedCount === 0) throw conflict('the rule changed meanwhile: read it again');
        deps.relay.kick(collection, [_id]);
        return next;
      });
    },
  };
}

export type RequirementService = ReturnType<typeof requirementService>;
