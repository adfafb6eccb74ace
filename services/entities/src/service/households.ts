import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { conflict, fromDomain, newId, notFound } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerHouseholdSchema, updateHouseholdSchema } from '../domain/households.ts';
import { householdRegistered } from '../events/outbound.ts';
import type { HouseholdDoc, StoredHousehold } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { insertRecord } from './inserts.ts';
import { placeOf } from './places.ts';

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
      const patch = fromDomain(() => parseInput(updateHouseholdSchema, raw));
      return withDocumentLock(households.collection.collectionName, id, async () => {
        const current = await households
          .findOne({ _id: id, ...scopeFilter(identity) })
          .select({ outbox: 0 })
          .lean<HouseholdDoc>();
        if (!current) throw notFound(`household ${id}`);
        assertCanWrite(identity, 'household', current.villageCode);
        const version = current.version ?? 1;
        if (patch.expectedVersion !== undefined && patch.expectedVersion !== version) {
          throw conflict(`household ${id} is at version ${version}, not ${patch.expectedVersion}`, [
            { path: '$.expectedVersion', reason: `current version is ${version}` },
          ]);
        }
        const { expectedVersion: _v, ...changes } = patch;
        const next: HouseholdDoc = { ...current, ...changes, version: version + 1, updatedAt: deps.now().toISOString() };
        const { _id, ...fields } = next;
        // The version in the filter makes a concurrent update elsewhere fail loudly rather than be lost.
        const res = await households.collection.updateOne(
          { _id: id, ...(current.version === undefined ? { version: { $exists: false } } : { version }) } as never,
          withOutbox<StoredHousehold>({ $set: fields }, [householdRegistered(next, 'updated')]) as never,
        );
        if (res.matchedCount === 0) throw conflict(`household ${id} was changed concurrently; reload and retry`);
        deps.relay.kick(households.collection, [id]);
        return next;
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
