import type { Identity } from '@firegov/auth';
import { divisionScope, parseInput } from '@firegov/contracts';
import { applyOnce } from '@firegov/events';
import { collectionOf, fromDomain, newId, notFound } from '@firegov/kit';
import { z } from 'zod';
import { localDate, periodField } from '../domain/outreach-fields.ts';
import { isVulnerable, needsVisit, recordVisitInput, visitCoverage, type HouseholdRef, type Visit } from '../domain/visits.ts';
import { assertCanRead, assertCanWrite, inPeriod, maskPerson, NO_OUTBOX } from './outreach-access.ts';
import type { OutreachDeps } from './outreach-deps.ts';

/** What entities announces of a household (firegov.entities.households.v1), as the projection keeps it. */
export interface HouseholdAnnounced {
  id: string;
  villageCode: string;
  gridCode?: string;
  memberCount: number;
  vulnerabilities: string[];
  demo: boolean;
}

const priorityArgs = z.strictObject({
  days: z.number().int().min(1).max(3650).default(90),
  limit: z.number().int().min(1).max(1000).default(200),
});

/** 敲门行动 visits (the only writer of visits) and the households projection they are counted against. */
export function visitService(deps: OutreachDeps) {
  const visits = collectionOf(deps.models.visits);
  const households = collectionOf(deps.models.households);

  return {
    /** Keeps the newest announcement of a household, once per event id; the visit history stays. */
    async projectHousehold(eventId: string, h: HouseholdAnnounced): Promise<boolean> {
      const scope = [...divisionScope(h.villageCode), ...(h.gridCode ? [h.gridCode] : [])];
      const fields = {
        villageCode: h.villageCode,
        scope,
        memberCount: h.memberCount,
        vulnerabilities: h.vulnerabilities,
        demo: h.demo,
      };
      return applyOnce(households, h.id, eventId, { $set: { ...fields, ...(h.gridCode ? { gridCode: h.gridCode } : {}) } });
    },

    async record(who: Identity, raw: unknown): Promise<Visit> {
      const input = fromDomain(() => parseInput(recordVisitInput, raw));
      const household = await households.findOne({ _id: input.householdId });
      // A household outside the caller's jurisdiction reads as unknown.
      if (!household || !household.scope.includes(who.jurisdiction)) throw notFound('household');
      assertCanWrite(who, household.scope);
      const doc: Visit = {
        _id: newId('vis'),
        ...input,
        villageCode: household.villageCode,
        ...(household.gridCode ? { gridCode: household.gridCode } : {}),
        scope: household.scope,
        vulnerable: isVulnerable(household),
        vulnerabilities: household.vulnerabilities,
        createdAt: deps.now().toISOString(),
        createdBy: who.subject,
      };
      await visits.insertOne(doc);
      // The projection remembers the latest visit so the priority list is one read; a later-dated
      // visit recorded earlier is kept (max).
      await households.updateOne({ _id: household._id }, { $max: { lastVisitOn: doc.date } });
      return { ...doc, visitor: maskPerson(who, doc.visitor) };
    },

    async visitsOf(who: Identity, householdId: string): Promise<Visit[]> {
      assertCanRead(who);
      const docs = await visits.find({ householdId, scope: who.jurisdiction }).sort({ date: -1 }).limit(200).toArray();
      return docs.map((d) => ({ ...d, visitor: maskPerson(who, d.visitor) }));
    },

    /** Visited vs households and vulnerable visited vs vulnerable, per village and grid, over a period. */
    async coverage(who: Identity, rawPeriod: unknown) {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      const [all, visited] = await Promise.all([
        households
          .find({ scope: who.jurisdiction }, { projection: { villageCode: 1, gridCode: 1, vulnerabilities: 1 } })
          .toArray(),
        visits.distinct('householdId', inPeriod(who, period)),
      ]);
      return { ...period, ...visitCoverage(all, new Set(visited)) };
    },

    /** Vulnerable households in the caller's jurisdiction not visited in the last `days` days, never-visited first. */
    async priorityList(who: Identity, raw: unknown): Promise<HouseholdRef[]> {
      assertCanRead(who);
      const { days, limit } = fromDomain(() => parseInput(priorityArgs, raw ?? {}));
      const today = localDate(deps.now());
      const docs = await households.find({ scope: who.jurisdiction }, NO_OUTBOX).toArray();
      return docs
        .filter((h) => needsVisit(h, today, days))
        .sort((a, b) => (a.lastVisitOn ?? '').localeCompare(b.lastVisitOn ?? '') || a._id.localeCompare(b._id))
        .slice(0, limit);
    },
  };
}

export type VisitService = ReturnType<typeof visitService>;
