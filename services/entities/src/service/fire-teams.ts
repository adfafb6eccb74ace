import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox } from '@firegov/events';
import { fromDomain, newId } from '@firegov/kit';
import type { QueryFilter as FilterQuery } from 'mongoose';
import { registerFireTeamSchema } from '../domain/fire-teams.ts';
import { fireForceReadiness } from '../domain/readiness.ts';
import { fireTeamRegistered } from '../events/outbound.ts';
import type { FireTeamDoc, JurisdictionDoc } from '../store/models.ts';
import { assertCanRead, assertCanWrite, scopeFilter } from './access.ts';
import type { EntitiesDeps } from './deps.ts';
import { insertRecord } from './inserts.ts';
import { placeOf } from './places.ts';

/** Village fire forces (专/兼职消防队, 微型消防站) and each village's readiness. */
export function fireTeamService(deps: EntitiesDeps) {
  const { fireTeams, jurisdictions } = deps.models;

  return {
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
        demo: input.demo ?? false,
        createdAt: deps.now().toISOString(),
      };
      await insertRecord(fireTeams, { ...doc, ...newOutbox([fireTeamRegistered(doc)]) });
      deps.relay.kick(fireTeams.collection, [doc._id]);
      return doc;
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
      const [villages, teams] = await Promise.all([
        jurisdictions
          .find({ ...scopeFilter(identity), $and: [{ scope }], level: 'village' } as FilterQuery<JurisdictionDoc>)
          .lean<JurisdictionDoc[]>(),
        fireTeams
          .find({ ...scopeFilter(identity), $and: [{ scope }] } as FilterQuery<FireTeamDoc>, {
            villageCode: 1,
            kind: 1,
            members: 1,
          })
          .lean<Array<Pick<FireTeamDoc, 'villageCode' | 'kind' | 'members'>>>(),
      ]);
      const byVillage = new Map<string, typeof teams>();
      for (const t of teams) byVillage.set(t.villageCode, [...(byVillage.get(t.villageCode) ?? []), t]);
      const rows = villages
        .sort((a, b) => a._id.localeCompare(b._id))
        .map((v) => ({ ...fireForceReadiness(v._id, byVillage.get(v._id) ?? []), villageName: v.name }));
      return onlyGaps ? rows.filter((r) => !r.ready) : rows;
    },
  };
}
