import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox } from '@firegov/events';
import { fromDomain, newId } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerHouseholdSchema, updateHouseholdSchema } from '../domain/households.ts';
import { householdRegistered } from '../events/outbound.ts';
import type { HouseholdDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { insertRecord } from './inserts.ts';
import { placeOf } from './places.ts';
import { updateUnderVersion } from './versioned-update.ts';

/** Vulnerable households (空巢老人, 留守儿童, 老弱病残) and the devices given to them. */
export function householdService(deps: EntitiesDeps) {
  const { households, jurisdictions } = deps.models;

  return {
    async registerHousehold(identity: Identity, raw: unknown): Promise<HouseholdDoc> {
      const input = fromDomain(() => parseInput(registerHouseholdSchema, raw));
      assertCanWrite(identity, 'household', input.jurisdictionCode);
      const { scope } = await placeOf(jurisdictions, input);
      const doc: HouseholdDoc = {
        _id: newId('h'),
        villageCode: input.jurisdictionCode,
        ...(input.gridCode ? { gridCode: input.gridCode } : {}),
        scope,
        address: input.address,
        members: input.members,
        devices: input.devices,
        ...(input.helper ? { helper: input.helper } : {}),
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      await insertRecord(households, { ...doc, ...newOutbox([householdRegistered(doc)]) });
      deps.relay.kick(households.collection, [doc._id]);
      return doc;
    },

    /** Members, devices, helper or address changed; announced with the whole household (entities.household.updated). */
    async updateHousehold(identity: Identity, id: string, raw: unknown): Promise<HouseholdDoc> {
      const { expectedVersion, ...changes } = fromDomain(() => parseInput(updateHouseholdSchema, raw));
      return updateUnderVersion<HouseholdDoc>(deps, {
        model: households,
        kind: 'household',
        label: 'household',
        identity,
        id,
        expectedVersion,
        changes,
        placeOf: (record) => record.villageCode,
        event: (next) => householdRegistered(next, 'updated'),
      });
    },

    /** One household by id for federation (Household.devices from sensors); out of scope reads as absent. */
    async household(identity: Identity, id: string): Promise<HouseholdDoc | null> {
      assertCanRead(identity);
      return households.findOne({ _id: id, ...scopeFilter(identity) }).lean<HouseholdDoc>();
    },

    async households(
      identity: Identity,
      jurisdictionCode?: string | null,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<HouseholdDoc>> {
      assertCanRead(identity);
      const query: FilterQuery<HouseholdDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      const limit = pageSize(first);
      const pageQuery = after ? { ...query, _id: { $gt: decodeCursor(after) } } : query;
      const docs = await households
        .find(pageQuery)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean<HouseholdDoc[]>();
      return pageOf(docs, limit, () => households.countDocuments(query));
    },
  };
}
