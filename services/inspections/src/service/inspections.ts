import type { Identity } from '@firegov/auth';
import { inspectionTopic } from '@firegov/contracts';
import { newOutbox, outboxEntry } from '@firegov/events';
import { AppError, newId } from '@firegov/kit';
import { isUnitTargeted } from '../domain/campaigns.ts';
import { hazardCandidates, validateInspection } from '../domain/inspection.ts';
import { indexInspection } from '../store/hazard-index.ts';
import type { CampaignDoc, InspectionDoc } from '../store/models.ts';
import { visible } from './access.ts';
import type { CampaignService } from './campaigns.ts';
import type { InspectionsDeps } from './deps.ts';
import { fromDomain } from './errors.ts';
import type { HazardService } from './hazards.ts';
import { unitAsItIs, unitForWrite } from './units.ts';

/** 自查, 排查, 核查, 明查暗访, 联合检查: checklist results per item; each failed item becomes a hazard. */
export function inspectionService(deps: InspectionsDeps, hazards: HazardService, campaigns: CampaignService) {
  const { models, redis, index, relay } = deps;

  return {
    async record(identity: Identity, raw: unknown): Promise<{ inspection: InspectionDoc; hazardIds: string[] }> {
      const now = deps.now();
      const key = (raw as { campaignKey?: unknown } | null)?.campaignKey;
      const campaign: CampaignDoc | null = typeof key === 'string' ? await campaigns.byKey(key) : null;
      if (typeof key === 'string' && !campaign) {
        throw new AppError('VALIDATION_FAILED', 'unknown campaign', {
          details: [{ path: '$.campaignKey', reason: `no campaign ${key}` }],
        });
      }
      const input = fromDomain(() =>
        validateInspection(raw, now, campaign ? { key: campaign._id, checklist: campaign.checklist } : undefined),
      );
      const unit = await unitForWrite(models, identity, input.unitId, 'inspect');
      if (campaign) {
        // Checked before anything is written: a refused inspection leaves no hazards behind.
        if (!isUnitTargeted(campaign, unit.category, input.inspectedAt)) {
          throw new AppError('VALIDATION_FAILED', 'unit not targeted by the campaign', {
            details: [
              {
                path: '$.campaignKey',
                reason: `campaign ${campaign._id} targets ${campaign.targetCategories.join(', ')} from ${campaign.period.from} to ${campaign.period.to}; unit is ${unit.category}`,
              },
            ],
          });
        }
      }
      const id = newId('in', now.getTime());
      const hazardIds: string[] = [];
      for (const c of hazardCandidates(input, campaign ?? undefined)) {
        const { doc } = await hazards.create(unit, {
          unitId: unit._id,
          source: 'inspection',
          sourceRef: { kind: 'inspection', id: `${id}#${c.itemCode}` },
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
      const entry = outboxEntry(inspectionTopic, 'inspections', {
        type: 'inspections.inspection.recorded',
        key: unit._id,
        subject: id,
        data: {
          id,
          unitId: unit._id,
          villageCode: unit.villageCode,
          kind: input.kind,
          ...(campaign ? { campaignKey: campaign._id } : {}),
          inspectedAt: input.inspectedAt,
          passed: input.results.filter((r) => r.outcome === 'pass').length,
          failed: input.results.filter((r) => r.outcome === 'fail').length,
          hazardIds,
          demo: unit.demo,
        },
      });
      await models.inspections.collection.insertOne({ ...doc, ...newOutbox([entry]) } as never);
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
