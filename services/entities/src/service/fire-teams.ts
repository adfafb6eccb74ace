import type { Identity } from '@firegov/auth';
import { parseInput, type TeamSessionRecorded } from '@firegov/contracts';
import { applyOnce, newOutbox, withDocumentLock, withOutbox } from '@firegov/events';
import { collectionOf, forbidden, fromDomain, newId, notFound, validationFailed } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { kindFieldsFit, recordCallOutSchema, registerFireTeamSchema, updateFireTeamSchema } from '../domain/fire-teams.ts';
import {
  DEFAULT_READINESS_POLICY,
  fireForceReadiness,
  readinessPolicySchema,
  trainingReadiness,
  type ReadinessPolicy,
} from '../domain/readiness.ts';
import { teamChecks, type TeamCheck } from '../domain/team-standards.ts';
import { fireTeamRegistered, readinessPolicyChanged } from '../events/outbound.ts';
import type { FireTeamDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { insertRecord } from './inserts.ts';
import { placeOf } from './places.ts';
import { updateUnderVersion } from './versioned-update.ts';

/** Village fire forces (专/兼职消防队, 微型消防站) and each village's readiness. */
export function fireTeamService(deps: EntitiesDeps) {
  const { fireTeams, jurisdictions } = deps.models;
  const fallback = deps.readinessPolicy ?? DEFAULT_READINESS_POLICY;
  const countyOf = (code: string) => `${code.slice(0, 6)}000000`;

  /** The county's own targets when it set them, else the deployment's (READINESS_* or the defaults). */
  async function policyFor(code: string): Promise<ReadinessPolicy & { changedAt?: string; countyCode: string }> {
    const countyCode = countyOf(code);
    const county = await jurisdictions.findById(countyCode).select({ readinessPolicy: 1 }).lean<JurisdictionDoc>();
    const own = county?.readinessPolicy;
    return own
      ? {
          countyCode,
          requiredMembers: own.requiredMembers,
          minTrainingHoursPerYear: own.minTrainingHoursPerYear,
          changedAt: own.changedAt,
        }
      : { countyCode, ...fallback };
  }

  return {
    policyFor,

    async readinessPolicy(identity: Identity) {
      assertCanRead(identity);
      return policyFor(identity.jurisdiction);
    },

    /** A county administrator sets the village readiness targets (at least 20 members: the seed's floor). */
    async setReadinessPolicy(identity: Identity, raw: unknown) {
      if (identity.role !== 'county_admin' || !/^\d{6}000000$/.test(identity.jurisdiction))
        throw forbidden('only a county administrator sets the county’s fire-force readiness targets');
      const input = fromDomain(() => parseInput(readinessPolicySchema, raw));
      const countyCode = identity.jurisdiction;
      const policy = { ...input, changedBy: identity.subject, changedAt: deps.now().toISOString() };
      const res = await collectionOf(jurisdictions).updateOne(
        { _id: countyCode },
        withOutbox({ $set: { readinessPolicy: policy } }, [readinessPolicyChanged(countyCode, policy)]),
      );
      if (res.matchedCount === 0) throw notFound(`county ${countyCode}`);
      deps.relay.kick(jurisdictions.collection, [countyCode]);
      return {
        countyCode,
        requiredMembers: input.requiredMembers,
        minTrainingHoursPerYear: input.minTrainingHoursPerYear,
        changedAt: policy.changedAt,
      };
    },

    async registerFireTeam(identity: Identity, raw: unknown): Promise<FireTeamDoc> {
      const input = fromDomain(() => parseInput(registerFireTeamSchema, raw));
      assertCanWrite(identity, 'fireTeam', input.jurisdictionCode);
      const { scope } = await placeOf(jurisdictions, { jurisdictionCode: input.jurisdictionCode });
      const doc: FireTeamDoc = {
        _id: newId('t'),
        villageCode: input.jurisdictionCode,
        scope,
        kind: input.kind,
        name: input.name,
        members: input.members,
        equipment: input.equipment,
        ...(input.stationType ? { stationType: input.stationType } : {}),
        ...(input.townshipClass ? { townshipClass: input.townshipClass } : {}),
        ...(input.speciality ? { speciality: input.speciality } : {}),
        ...(input.capabilities ? { capabilities: input.capabilities } : {}),
        ...(input.dutyRoster ? { dutyRoster: input.dutyRoster } : {}),
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      await insertRecord(fireTeams, { ...doc, ...newOutbox([fireTeamRegistered(doc)]) });
      deps.relay.kick(fireTeams.collection, [doc._id]);
      return doc;
    },

    /** Roster, equipment or name changed; announced with the whole team (entities.fireteam.updated). */
    async updateFireTeam(identity: Identity, id: string, raw: unknown): Promise<FireTeamDoc> {
      const { expectedVersion, ...changes } = fromDomain(() => parseInput(updateFireTeamSchema, raw));
      return updateUnderVersion<FireTeamDoc>(deps, {
        model: fireTeams,
        kind: 'fireTeam',
        label: 'fire team',
        identity,
        id,
        expectedVersion,
        changes,
        placeOf: (record) => record.villageCode,
        check: (current) => {
          const issues = kindFieldsFit({ kind: current.kind, ...changes, speciality: changes.speciality ?? current.speciality });
          if (issues.length > 0) throw validationFailed(issues.map((i) => ({ path: `$.${i.path}`, reason: i.message })));
        },
        event: (next) => fireTeamRegistered(next, 'updated'),
      });
    },

    /** The standards the team is held to, checked today (Beijing). */
    checksOf(team: FireTeamDoc): TeamCheck[] {
      return teamChecks(team, new Date(deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
    },

    /** A call-out (出动) of the team: kept (the latest 200) for the three-minute arrival check. */
    async recordCallOut(identity: Identity, teamId: string, raw: unknown): Promise<FireTeamDoc> {
      const callOut = fromDomain(() => parseInput(recordCallOutSchema, raw));
      return withDocumentLock(fireTeams.collection.collectionName, teamId, async () => {
        const team = await fireTeams
          .findOne({ _id: teamId, ...scopeFilter(identity) })
          .select({ outbox: 0 })
          .lean<FireTeamDoc>();
        if (!team) throw notFound(`fire team ${teamId}`);
        assertCanWrite(identity, 'fireTeam', team.villageCode);
        await collectionOf(fireTeams).updateOne({ _id: teamId }, { $push: { callOuts: { $each: [callOut], $slice: -200 } } });
        return { ...team, callOuts: [...(team.callOuts ?? []), callOut].slice(-200) };
      });
    },

    /**
     * A training session the training service recorded for one of the teams: kept (the latest 200)
     * at most once per session, however often or under whichever event id it arrives, so readiness
     * counts its hours once. NOT_FOUND for a team not registered here.
     */
    async recordTeamTraining(s: TeamSessionRecorded): Promise<boolean> {
      const session = { id: s.id, date: s.date, hours: s.hours, participants: s.participants };
      const applied = await applyOnce(
        collectionOf(fireTeams),
        s.teamId,
        `session:${s.id}`,
        { $push: { trainingSessions: { $each: [session], $slice: -200 } } },
        { upsert: false },
      );
      if (!applied && !(await fireTeams.exists({ _id: s.teamId }))) throw notFound('fire team');
      return applied;
    },

    async fireTeams(identity: Identity, jurisdictionCode?: string | null): Promise<FireTeamDoc[]> {
      assertCanRead(identity);
      const query: FilterQuery<FireTeamDoc> = { ...scopeFilter(identity) };
      if (jurisdictionCode) query.$and = [{ scope: jurisdictionCode }];
      return fireTeams.find(query).sort({ _id: 1 }).limit(1000).lean<FireTeamDoc[]>();
    },

    /** Per village: members of full- and part-time teams against the seed's 20, and a micro station. */
    async readiness(identity: Identity, jurisdictionCode?: string | null, onlyGaps = false) {
      assertCanRead(identity);
      const scope = jurisdictionCode ?? identity.jurisdiction;
      const policy = await policyFor(scope);
      const [villages, teams] = await Promise.all([
        jurisdictions
          .find({ ...scopeFilter(identity), $and: [{ scope }], level: 'village' } as FilterQuery<JurisdictionDoc>)
          .lean<JurisdictionDoc[]>(),
        fireTeams
          .find({ ...scopeFilter(identity), $and: [{ scope }] } as FilterQuery<FireTeamDoc>, {
            villageCode: 1,
            kind: 1,
            members: 1,
            trainingSessions: 1,
          })
          .lean<Array<Pick<FireTeamDoc, 'villageCode' | 'kind' | 'members' | 'trainingSessions'>>>(),
      ]);
      const today = new Date(deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      const byVillage = new Map<string, typeof teams>();
      for (const t of teams) byVillage.set(t.villageCode, [...(byVillage.get(t.villageCode) ?? []), t]);
      const rows = villages
        .sort((a, b) => a._id.localeCompare(b._id))
        .map((v) => {
          const mine = byVillage.get(v._id) ?? [];
          const base = fireForceReadiness(v._id, mine, policy.requiredMembers);
          const training = trainingReadiness(
            mine.flatMap((t) => t.trainingSessions ?? []),
            today,
            policy,
          );
          // Training only counts against readiness when the county set a target (see ReadinessPolicy).
          const gaps = training.trainingGap ? [...base.gaps, training.trainingGap] : base.gaps;
          return { ...base, ...training, gaps, ready: base.ready && !training.trainingGap, villageName: v.name };
        });
      return onlyGaps ? rows.filter((r) => !r.ready) : rows;
    },
  };
}
