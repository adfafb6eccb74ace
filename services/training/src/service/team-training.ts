import type { Identity } from '@firegov/auth';
import { divisionScope, parseInput } from '@firegov/contracts';
import { applyOnce, newOutbox } from '@firegov/events';
import { collectionOf, fromDomain, newId, validationFailed } from '@firegov/kit';
import { periodField } from '../domain/outreach-fields.ts';
import { recordTeamSessionInput, type TeamSession } from '../domain/team-training.ts';
import { teamSessionRecorded } from '../events/outbound.ts';
import { assertCanRead, assertCanWrite, inPeriod, NO_OUTBOX } from './outreach-access.ts';
import type { OutreachDeps } from './outreach-deps.ts';

/** What entities announces of a fire team (firegov.entities.fireforces.v1). */
export interface FireTeamAnnounced {
  id: string;
  villageCode: string;
  kind: string;
  memberCount: number;
}

/** Village fire-team training sessions (the only writer of team_sessions) and the fire-team projection. */
export function teamTrainingService(deps: OutreachDeps) {
  const sessions = collectionOf(deps.models.teamSessions);
  const teams = collectionOf(deps.models.fireTeams);

  return {
    /** Keeps a fire team's village and size as entities announced them, once per event id. */
    projectFireTeam: (eventId: string, t: FireTeamAnnounced): Promise<boolean> =>
      applyOnce(teams, t.id, eventId, {
        $set: { villageCode: t.villageCode, scope: divisionScope(t.villageCode), kind: t.kind, memberCount: t.memberCount },
      }),

    async record(who: Identity, raw: unknown): Promise<TeamSession> {
      const input = fromDomain(() => parseInput(recordTeamSessionInput, raw));
      const team = await teams.findOne({ _id: input.teamId });
      if (!team || !team.scope.includes(who.jurisdiction))
        throw validationFailed([{ path: '$.teamId', reason: 'is not a fire team in your jurisdiction' }]);
      assertCanWrite(who, team.scope);
      const doc: TeamSession = {
        _id: newId('tss'),
        ...input,
        villageCode: team.villageCode,
        scope: team.scope,
        createdAt: deps.now().toISOString(),
        createdBy: who.subject,
      };
      await sessions.insertOne({ ...doc, ...newOutbox([teamSessionRecorded(doc)]) });
      deps.relay.kick(deps.models.teamSessions.collection, [doc._id]);
      return doc;
    },

    /** Sessions and hours per team over a period, in the caller's jurisdiction. */
    async hours(who: Identity, rawPeriod: unknown) {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      const docs = await sessions.find(inPeriod(who, period), NO_OUTBOX).sort({ date: 1 }).toArray();
      const byTeam = new Map<string, { teamId: string; villageCode: string; sessions: number; hours: number }>();
      for (const s of docs) {
        const row = byTeam.get(s.teamId) ?? { teamId: s.teamId, villageCode: s.villageCode, sessions: 0, hours: 0 };
        row.sessions += 1;
        row.hours += s.hours;
        byTeam.set(s.teamId, row);
      }
      return { ...period, teams: [...byTeam.values()].sort((a, b) => a.teamId.localeCompare(b.teamId)), sessions: docs };
    },
  };
}

export type TeamTrainingService = ReturnType<typeof teamTrainingService>;
