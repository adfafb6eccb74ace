import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { collectionOf, fromDomain, newId } from '@firegov/kit';
import { periodField } from '../domain/outreach-fields.ts';
import { publicityCoverage, recordPublicityInput, type PublicityEvent } from '../domain/publicity.ts';
import { assertCanRead, assertCanWrite, inPeriod, maskPerson, placeOf } from './outreach-access.ts';
import type { OutreachDeps } from './outreach-deps.ts';

/** 五进 publicity events: the only writer of publicity_events. */
export function publicityService(deps: OutreachDeps) {
  const events = collectionOf(deps.models.publicityEvents);
  const masked = (who: Identity, e: PublicityEvent): PublicityEvent => ({ ...e, organiser: maskPerson(who, e.organiser) });

  return {
    async record(who: Identity, raw: unknown): Promise<PublicityEvent> {
      const input = fromDomain(() => parseInput(recordPublicityInput, raw));
      const place = await placeOf(deps.registry, input);
      assertCanWrite(who, place.scope);
      const doc: PublicityEvent = {
        _id: newId('pub'),
        ...input,
        ...place,
        createdAt: deps.now().toISOString(),
        createdBy: who.subject,
      };
      await events.insertOne(doc);
      return masked(who, doc);
    },

    /** The caller's events of a period, newest first (at most 500). */
    async list(who: Identity, rawPeriod: unknown): Promise<PublicityEvent[]> {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      const docs = await events.find(inPeriod(who, period)).sort({ date: -1, _id: 1 }).limit(500).toArray();
      return docs.map((d) => masked(who, d));
    },

    /** Events, attendance and materials per village and per kind of 五进 over a period. */
    async coverage(who: Identity, rawPeriod: unknown) {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      const docs = await events
        .find(inPeriod(who, period), { projection: { kind: 1, villageCode: 1, attendance: 1, materials: 1 } })
        .toArray();
      return { ...period, ...publicityCoverage(docs) };
    },
  };
}

export type PublicityService = ReturnType<typeof publicityService>;
