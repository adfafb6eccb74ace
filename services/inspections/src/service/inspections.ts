import type { Identity } from '@firegov/auth';
import { newOutbox } from '@firegov/events';
import { collectionOf, fromDomain, newId, validationFailed } from '@firegov/kit';
import { isUnitTargeted, TARGET_FLAGS } from '../domain/campaigns.ts';
import { hazardCandidates, validateInspection, type InspectionInput } from '../domain/inspection.ts';
import { inspectionRecorded } from '../events/outbound.ts';
import { indexInspection } from '../store/hazard-index.ts';
import type { CampaignDoc, InspectionDoc, UnitRefDoc } from '../store/models.ts';
import { visible } from './access.ts';
import type { CampaignService } from './campaigns.ts';
import type { InspectionsDeps } from './deps.ts';
import type { HazardService } from './hazards.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

/** The campaign an inspection names, or null; an unknown key is refused before the input is checked against it. */
async function campaignOf(campaigns: CampaignService, raw: unknown): Promise<CampaignDoc | null> {
  const key = (raw as { campaignKey?: unknown } | null)?.campaignKey;
  if (typeof key !== 'string') return null;
  const campaign = await campaigns.byKey(key);
  if (!campaign) {
    throw validationFailed([{ path: '$.campaignKey', reason: `no campaign ${key}` }], 'unknown campaign');
  }
  return campaign;
}

function assertTargeted(campaign: CampaignDoc, unit: UnitRefDoc, inspectedAt: string): void {
  if (isUnitTargeted(campaign, unit, inspectedAt)) return;
  const what = [...campaign.targetCategories, ...(campaign.targetFlags ?? []).map((f) => `units flagged ${f}`)].join(', ');
  const flags = TARGET_FLAGS.filter((f) => unit[f] === true);
  const unitIs = `${unit.category}${flags.length ? ` (${flags.join(', ')})` : ''}`;
  throw validationFailed(
    [
      {
        path: '$.campaignKey',
        reason: `campaign ${campaign._id} targets ${what} from ${campaign.period.from} to ${campaign.period.to}; unit is ${unitIs}`,
      },
    ],
    'unit not targeted by the campaign',
  );
}

/** 自查, 排查, 核查, 明查暗访, 联合检查: checklist results per item; each failed item becomes a hazard. */
export function inspectionService(deps: InspectionsDeps, hazards: HazardService, campaigns: CampaignService) {
  const { models, redis, index, relay } = deps;
  const collection = collectionOf(models.inspections);

  /** One hazard per failed item, each pointing back to the inspection and its item. */
  async function recordHazards(
    identity: Identity,
    unit: UnitRefDoc,
    inspectionId: string,
    input: InspectionInput,
    campaign: CampaignDoc | null,
  ): Promise<string[]> {
    const hazardIds: string[] = [];
    for (const c of hazardCandidates(input, campaign ?? undefined)) {
      const { doc } = await hazards.create(unit, {
        unitId: unit._id,
        source: 'inspection',
        sourceRef: { kind: 'inspection', id: `${inspectionId}#${c.itemCode}` },
        ...(campaign ? { campaignKey: campaign._id } : {}),
        title: c.title,
        description: c.description,
        factorCodes: c.factorCodes,
        evidence: c.evidence,
        foundAt: input.inspectedAt,
        foundBy: identity.subject,
      });
      hazardIds.push(doc._id);
    }
    return hazardIds;
  }

  return {
    async record(identity: Identity, raw: unknown): Promise<{ inspection: InspectionDoc; hazardIds: string[] }> {
      const now = deps.now();
      const campaign = await campaignOf(campaigns, raw);
      const input = fromDomain(() =>
        validateInspection(raw, now, campaign ? { key: campaign._id, checklist: campaign.checklist } : undefined),
      );
      const unit = await unitForWrite(models, identity, input.unitId, 'inspect');
      // Checked before anything is written: a refused inspection leaves no hazards behind.
      if (campaign) assertTargeted(campaign, unit, input.inspectedAt);
      const id = newId('in', now.getTime());
      const hazardIds = await recordHazards(identity, unit, id, input, campaign);
      const doc: InspectionDoc = {
        _id: id,
        unitId: unit._id,
        unit: await unitAsItIs(models, unit),
        scope: unit.scope,
        kind: input.kind,
        ...(campaign ? { campaignKey: campaign._id } : {}),
        inspectedAt: input.inspectedAt,
        inspectors: input.inspectors,
        results: input.results,
        hazardIds,
        recordedBy: identity.subject,
        createdAt: now.toISOString(),
        demo: unit.demo,
      };
      await collection.insertOne({ ...doc, ...newOutbox([inspectionRecorded(doc)]) });
      await indexInspection(redis, index, doc).catch((err: unknown) =>
        deps.logger.warn({ err: (err as Error).message, inspectionId: id }, 'inspection index update failed'),
      );
      relay.kick(models.inspections.collection, [id]);
      return { inspection: doc, hazardIds };
    },

    async byId(identity: Identity, id: string): Promise<InspectionDoc | null> {
      const doc = await models.inspections.findById(id).select({ outbox: 0 }).lean<InspectionDoc>();
      return doc && visible(identity, doc.scope) ? doc : null;
    },

    async byIds(identity: Identity, ids: readonly string[]): Promise<Array<InspectionDoc | null>> {
      const docs = await Promise.all(
        ids.map((id) => models.inspections.findById(id).select({ outbox: 0 }).lean<InspectionDoc>()),
      );
      return docs.map((d) => (d && visible(identity, d.scope) ? d : null));
    },
  };
}

export type InspectionService = ReturnType<typeof inspectionService>;
