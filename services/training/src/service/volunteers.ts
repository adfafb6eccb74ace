import type { Identity } from '@firegov/auth';
import { divisionScope, parseInput } from '@firegov/contracts';
import { collectionOf, conflict, fromDomain, newId, validationFailed } from '@firegov/kit';
import { periodField } from '../domain/outreach-fields.ts';
import {
  confirmActivity,
  confirmActivityInput,
  MAX_ACTIVITIES,
  rankVolunteers,
  recogniseInput,
  recordActivityInput,
  registerVolunteerInput,
  type Volunteer,
  type VolunteerActivity,
} from '../domain/volunteers.ts';
import { assertCanConfirm, assertCanRead, assertCanWrite, maskPhone, visibleOr404 } from './outreach-access.ts';
import { DEFAULT_OUTREACH_POLICY, type OutreachDeps } from './outreach-deps.ts';

/** Volunteers, their activities and recognitions (the only writer of volunteers). */
export function volunteerService(deps: OutreachDeps) {
  const volunteers = collectionOf(deps.models.volunteers);
  const weights = (deps.policy ?? DEFAULT_OUTREACH_POLICY).rankingWeights;
  const masked = (who: Identity, v: Volunteer): Volunteer => ({ ...v, phone: maskPhone(who, v.phone) });

  const load = async (who: Identity, id: string, path = '$.volunteerId'): Promise<Volunteer> => {
    const v = await volunteers.findOne({ _id: id });
    if (!v || !v.scope.includes(who.jurisdiction))
      throw validationFailed([{ path, reason: 'is not a volunteer in your jurisdiction' }]);
    return v;
  };

  /** Writes `next` only if nobody changed the volunteer meanwhile (version check); else CONFLICT. */
  const save = async (current: Volunteer, next: Volunteer): Promise<void> => {
    const res = await volunteers.replaceOne(
      { _id: current._id, version: current.version },
      { ...next, version: current.version + 1 },
    );
    if (res.modifiedCount !== 1) throw conflict('the volunteer changed meanwhile: read it again and retry');
  };

  return {
    async register(who: Identity, raw: unknown): Promise<Volunteer> {
      const input = fromDomain(() => parseInput(registerVolunteerInput, raw));
      const scope = divisionScope(input.villageCode);
      assertCanWrite(who, scope);
      const doc: Volunteer = {
        _id: newId('vol'),
        version: 1,
        ...input,
        scope,
        registeredBy: who.subject,
        registeredAt: deps.now().toISOString(),
        activities: [],
        recognitions: [],
      };
      await volunteers.insertOne(doc);
      return masked(who, doc);
    },

    async byId(who: Identity, id: string): Promise<Volunteer> {
      assertCanRead(who);
      return masked(who, visibleOr404(who, await volunteers.findOne({ _id: id }), 'volunteer'));
    },

    async list(who: Identity, villageCode?: string | null): Promise<Volunteer[]> {
      assertCanRead(who);
      const filter = villageCode ? { $and: [{ scope: who.jurisdiction }, { scope: villageCode }] } : { scope: who.jurisdiction };
      return (await volunteers.find(filter).sort({ _id: 1 }).limit(1000).toArray()).map((v) => masked(who, v));
    },

    /** An activity with the hours claimed; it counts once an organiser confirms it. */
    async recordActivity(who: Identity, raw: unknown): Promise<VolunteerActivity> {
      const input = fromDomain(() => parseInput(recordActivityInput, raw));
      const v = await load(who, input.volunteerId);
      assertCanWrite(who, v.scope);
      if (v.activities.length >= MAX_ACTIVITIES) throw conflict(`a volunteer keeps at most ${MAX_ACTIVITIES} activities`);
      const activity: VolunteerActivity = {
        id: newId('act'),
        kind: input.kind,
        date: input.date,
        hoursClaimed: input.hours,
        ...(input.description ? { description: input.description } : {}),
        status: 'claimed',
        recordedBy: who.subject,
      };
      await save(v, { ...v, activities: [...v.activities, activity] });
      return activity;
    },

    /** The organiser's step: confirm (possibly fewer hours) or reject a claimed activity. */
    async confirmActivity(who: Identity, raw: unknown): Promise<VolunteerActivity> {
      const input = fromDomain(() => parseInput(confirmActivityInput, raw));
      const v = await load(who, input.volunteerId);
      assertCanConfirm(who, v.scope);
      const updated = fromDomain(() => confirmActivity(v, input, who.subject, deps.now()));
      await save(v, { ...v, activities: v.activities.map((a) => (a.id === updated.id ? updated : a)) });
      return updated;
    },

    async recognise(who: Identity, raw: unknown): Promise<Volunteer> {
      const input = fromDomain(() => parseInput(recogniseInput, raw));
      const v = await load(who, input.volunteerId);
      assertCanConfirm(who, v.scope);
      const next = { ...v, recognitions: [...v.recognitions, { title: input.title, date: input.date, by: who.subject }] };
      await save(v, next);
      return masked(who, { ...next, version: v.version + 1 });
    },

    /** Best volunteers of a period in the caller's jurisdiction; every row lists the factors its score sums. */
    async ranking(who: Identity, rawPeriod: unknown, first?: number | null) {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      const all = await volunteers.find({ scope: who.jurisdiction }).toArray();
      const rows = rankVolunteers(all, period, weights).slice(0, Math.min(Math.max(first ?? 20, 1), 100));
      return { ...period, weights, rows };
    },
  };
}

export type VolunteerService = ReturnType<typeof volunteerService>;
