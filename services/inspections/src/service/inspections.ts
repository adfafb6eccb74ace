import type { Identity } from '@firegov/auth';
import { newOutbox, withOutbox } from '@firegov/events';
import { collectionOf, fromDomain, newId, validationFailed } from '@firegov/kit';
import { isUnitTargeted, TARGET_FLAGS } from '../domain/campaigns.ts';
import { hazardCandidates, validateInspection, type InspectionInput } from '../domain/inspection.ts';
import { inspectionRecorded } from '../events/outbound.ts';
import { indexInspection } from '../store/hazard-index.ts';
import type { CampaignDoc, InspectionDoc, Stored, UnitRefDoc } from '../store/models.ts';
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

  /**
   * One hazard per failed item, each pointing back to the inspection and its item. Ids derive from
   * the inspection and the item's place among the failures, so writing them again (the recovery
   * of a crashed recording) finds the ones already stored instead of adding more.
   */
  async function recordHazards(
    unit: UnitRefDoc,
    inspection: Pick<InspectionDoc, '_id' | 'inspectedAt' | 'recordedBy'>,
    input: Pick<InspectionInput, 'results'>,
    campaign: CampaignDoc | null,
  ): Promise<string[]> {
    const hazardIds: string[] = [];
    for (const [n, c] of hazardCandidates(input, campaign ?? undefined).entries()) {
      const { doc } = await hazards.create(unit, {
        id: hazardIdFor(inspection._id, n),
        unitId: unit._id,
        source: 'inspection',
        sourceRef: { kind: 'inspection', id: `${inspection._id}#${c.itemCode}` },
        ...(campaign ? { campaignKey: campaign._id } : {}),
        title: c.title,
        description: c.description,
        factorCodes: c.factorCodes,
        evidence: c.evidence,
        foundAt: inspection.inspectedAt,
        foundBy: inspection.recordedBy,
      });
      hazardIds.push(doc._id);
    }
    return hazardIds;
  }

  /** The last write of a recording: the flag goes, the event comes, in one update. */
  async function complete(doc: InspectionDoc): Promise<void> {
    const { recording: _r, ...recorded } = doc;
    await collection.updateOne(
      { _id: doc._id, recording: true },
      withOutbox<Stored<InspectionDoc>>({ $unset: { recording: '' } }, [inspectionRecorded(recorded)]),
    );
    await indexInspection(redis, index, recorded).catch((err: unknown) =>
      deps.logger.warn({ err: (err as Error).message, inspectionId: doc._id }, 'inspection index update failed'),
    );
    relay.kick(models.inspections.collection, [doc._id]);
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
      const candidates = hazardCandidates(input, campaign ?? undefined);
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
        hazardIds: candidates.map((_, n) => hazardIdFor(id, n)),
        recordedBy: identity.subject,
        createdAt: now.toISOString(),
        demo: unit.demo,
      };
      // An inspection and its hazards stand or fall together: the inspection is stored first (marked
      // as recording, no event yet), then its hazards, then the mark is cleared with the event. A
      // crash in between leaves a marked inspection that the recovery sweep completes.
      await collection.insertOne({ ...doc, recording: true, ...newOutbox([]) });
      await recordHazards(unit, doc, input, campaign);
      await complete({ ...doc, recording: true });
      return { inspection: doc, hazardIds: doc.hazardIds };
    },

    /**
     * Completes inspections left recording for longer than `graceMs` (a process died between the
     * writes): their hazards are written again (found when they exist) and the event is published.
     * Answers how many were completed.
     */
    async completeStalled(graceMs: number): Promise<number> {
      const before = new Date(deps.now().getTime() - graceMs).toISOString();
      const stalled = await models.inspections
        .find({ recording: true, createdAt: { $lt: before } })
        .select({ outbox: 0 })
        .limit(100)
        .lean<InspectionDoc[]>();
      let done = 0;
      for (const doc of stalled) {
        const unit = await models.units.findById(doc.unitId).lean<UnitRefDoc>();
        const campaign = doc.campaignKey ? await campaigns.byKey(doc.campaignKey) : null;
        if (!unit) {
          deps.logger.error({ inspectionId: doc._id, unitId: doc.unitId }, 'stalled inspection names a unit the registry lacks');
          continue;
        }
        await recordHazards(unit, doc, doc, campaign);
        await complete(doc);
        done += 1;
      }
      if (done > 0) deps.logger.warn({ completed: done }, 'completed inspections a crash had left half-written');
      return done;
    },

    /** An inspection still recording is not there yet (its hazards may not be). */
    async byId(identity: Identity, id: string): Promise<InspectionDoc | null> {
      const doc = await models.inspections.findById(id).select({ outbox: 0 }).lean<InspectionDoc>();
      return doc && !doc.recording && visible(identity, doc.scope) ? doc : null;
    },

    async byIds(identity: Identity, ids: readonly string[]): Promise<Array<InspectionDoc | null>> {
      const docs = await Promise.all(
        ids.map((id) => models.inspections.findById(id).select({ outbox: 0 }).lean<InspectionDoc>()),
      );
      return docs.map((d) => (d && !d.recording && visible(identity, d.scope) ? d : null));
    },
  };
}

/** The id of the n-th hazard an inspection finds: derived, so a repeated write finds it. */
export const hazardIdFor = (inspectionId: string, n: number): string => `hz_${inspectionId.replace(/^in_/, '')}_${n + 1}`;

export type InspectionService = ReturnType<typeof inspectionService>;
