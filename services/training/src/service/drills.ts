import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox } from '@firegov/events';
import { collectionOf, fromDomain, newId } from '@firegov/kit';
import { z } from 'zod';
import {
  numberFindings,
  overdueDrill,
  recordDrillInput,
  type Drill,
  type DrillUnit,
  type OverdueDrill,
} from '../domain/drills.ts';
import { localDate, periodField } from '../domain/outreach-fields.ts';
import { drillRecorded } from '../events/outbound.ts';
import { assertCanRead, assertCanWrite, inPeriod, NO_OUTBOX, placeOf } from './outreach-access.ts';
import { DEFAULT_OUTREACH_POLICY, type OutreachDeps } from './outreach-deps.ts';

const overdueArgs = z.strictObject({ limit: z.number().int().min(1).max(1000).default(200) });

/** Drills (演练): the only writer of drills; each drill and its event (findings → hazards) in one write. */
export function drillService(deps: OutreachDeps) {
  const drills = collectionOf(deps.models.drills);
  const rules = (deps.policy ?? DEFAULT_OUTREACH_POLICY).drillRules;

  return {
    async record(who: Identity, raw: unknown): Promise<Drill> {
      const input = fromDomain(() => parseInput(recordDrillInput, raw));
      const place = await placeOf(deps.registry, input);
      assertCanWrite(who, place.scope);
      const doc: Drill = {
        _id: newId('drl'),
        ...input,
        ...place,
        findings: numberFindings(input.findings),
        createdAt: deps.now().toISOString(),
        createdBy: who.subject,
      };
      await drills.insertOne({ ...doc, ...newOutbox([drillRecorded(doc)]) });
      deps.relay.kick(deps.models.drills.collection, [doc._id]);
      return doc;
    },

    async list(who: Identity, rawPeriod: unknown): Promise<Drill[]> {
      assertCanRead(who);
      const period = fromDomain(() => parseInput(periodField, rawPeriod));
      return drills.find(inPeriod(who, period), NO_OUTBOX).sort({ date: -1, _id: 1 }).limit(500).toArray();
    },

    /** The drill-frequency rules in force, with their confidence and source. */
    rules: () => rules,

    /** Active units in the caller's jurisdiction whose last drill is older than their rule allows (R6). */
    async overdue(who: Identity, raw?: unknown): Promise<OverdueDrill[]> {
      assertCanRead(who);
      const { limit } = fromDomain(() => parseInput(overdueArgs, raw ?? {}));
      const [units, done] = await Promise.all([
        deps.models.units
          .find({ scope: who.jurisdiction, status: 'active' }, { name: 1, category: 1, villageCode: 1, keyUnit: 1 })
          .lean<Array<Omit<DrillUnit, 'keyUnit'> & { keyUnit?: boolean }>>(),
        drills.find({ scope: who.jurisdiction, unitId: { $exists: true } }, { projection: { unitId: 1, date: 1 } }).toArray(),
      ]);
      const last = new Map<string, string>();
      for (const d of done) if (d.unitId && d.date > (last.get(d.unitId) ?? '')) last.set(d.unitId, d.date);
      const today = localDate(deps.now());
      return units
        .map((u) => overdueDrill({ ...u, keyUnit: u.keyUnit === true }, last.get(u._id) ?? null, today, rules))
        .filter((o): o is OverdueDrill => o !== null)
        .sort((a, b) => b.overdueByDays - a.overdueByDays || a.unitId.localeCompare(b.unitId))
        .slice(0, limit);
    },
  };
}

export type DrillService = ReturnType<typeof drillService>;
