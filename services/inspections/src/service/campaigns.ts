import { divisionScope } from '@firegov/contracts';
import type { Identity } from '@firegov/auth';
import { collectionOf, conflict, fromDomain, isDuplicateKeyError } from '@firegov/kit';
import { SEED_CAMPAIGNS, validateCampaign, type CampaignDef } from '../domain/campaigns.ts';
import type { CampaignDoc } from '../store/models.ts';
import { assertCan, visible } from './access.ts';
import type { InspectionsDeps } from './deps.ts';

/**
 * The seed plan's three campaigns run in the home county. The plan is annual, so each is seeded for
 * the current year (its checklist is the plan's); a campaign already stored is left as it is.
 */
export function seedCampaignDocs(homeJurisdiction: string, now: Date): CampaignDoc[] {
  const year = now.getUTCFullYear();
  return SEED_CAMPAIGNS.map((c: CampaignDef) => ({
    _id: c.key,
    name: { ...c.name },
    targetCategories: [...c.targetCategories],
    targetFlags: [...c.targetFlags],
    jurisdictionCode: homeJurisdiction,
    scope: divisionScope(homeJurisdiction),
    period: { from: `${year}-01-01`, to: `${year}-12-31` },
    checklist: c.checklist.map((i) => ({ ...i })),
    basis: c.basis,
    seed: true,
    createdAt: now.toISOString(),
  }));
}

export function campaignService(deps: InspectionsDeps) {
  const { campaigns } = deps.models;
  const collection = collectionOf(campaigns);
  return {
    async seed(): Promise<number> {
      let added = 0;
      for (const doc of seedCampaignDocs(deps.homeJurisdiction, deps.now())) {
        const res = await collection.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
        added += res.upsertedCount;
        // Seed campaigns stored before targeting by derived flags get their flags once.
        await collection.updateOne(
          { _id: doc._id, seed: true, targetFlags: { $exists: false } },
          { $set: { targetFlags: doc.targetFlags } },
        );
      }
      return added;
    },

    /** Campaigns that apply inside the caller's jurisdiction: those of an enclosing or enclosed jurisdiction. */
    async list(identity: Identity): Promise<CampaignDoc[]> {
      const all = await campaigns.find({}).lean<CampaignDoc[]>();
      return all.filter(
        (c) => visible(identity, c.scope) || identity.jurisdiction.startsWith(c.jurisdictionCode.replace(/0+$/, '')),
      );
    },

    async byKey(key: string): Promise<CampaignDoc | null> {
      return campaigns.findById(key).lean<CampaignDoc>();
    },

    async define(identity: Identity, raw: unknown): Promise<CampaignDoc> {
      const input = fromDomain(() => validateCampaign(raw));
      const scope = divisionScope(input.jurisdictionCode);
      assertCan(identity, 'campaign', scope);
      const doc: CampaignDoc = {
        _id: input.key,
        name: input.name,
        targetCategories: input.targetCategories,
        targetFlags: input.targetFlags,
        jurisdictionCode: input.jurisdictionCode,
        scope,
        period: input.period,
        checklist: input.checklist.map((i) => ({ ...i })),
        ...(input.basis ? { basis: input.basis } : {}),
        seed: false,
        createdAt: deps.now().toISOString(),
      };
      try {
        await collection.insertOne(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw conflict(`campaign ${input.key} exists`, [{ path: '$.key', reason: 'already taken' }]);
        }
        throw err;
      }
      return doc;
    },
  };
}

export type CampaignService = ReturnType<typeof campaignService>;
