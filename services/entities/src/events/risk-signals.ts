import type { TopicDef } from '@firegov/contracts';
import {
  PermanentError,
  startConsumer,
  withDocumentLock,
  withOutbox,
  type ConsumedEvent,
  type OutboxEntry,
  type Publisher,
  type RunningConsumer,
} from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import { gradeRisk, type RiskSignals, type RiskUnit } from '../domain/risk.ts';
import type { EntitiesModels, UnitDoc } from '../store/models.ts';
import { unitRiskEntry } from './snapshots.ts';

/**
 * How another service's events move a unit's risk grade. Each source maps one of its topic's
 * events to a change of the unit's signals (counts move by deltas; the latest assessment and
 * training coverage are replaced), or to nothing. Inspections (hazards), sensors (alarms),
 * assessment and training plug in here as their topics land.
 */
export interface SignalChange {
  unitId: string;
  deltas?: Partial<Record<'openMajorHazards' | 'openGeneralHazards' | 'overdueHazards' | 'activeAlarms', number>>;
  set?: Pick<RiskSignals, 'latestAssessment' | 'trainingCoverage'>;
}

export interface SignalSource<T extends TopicDef = TopicDef> {
  topic: T;
  toChange(event: ConsumedEvent<T>): SignalChange | null;
}

/** Erases a source's topic type so sources of different topics share one list. */
export const signalSource = <T extends TopicDef>(source: SignalSource<T>): SignalSource => source as unknown as SignalSource;

const KEEP_EVENT_IDS = 200;

export function nextSignals(current: RiskSignals, change: SignalChange): RiskSignals {
  const next: RiskSignals = { ...current, ...change.set };
  // The latest assessment is the one assessed last, not the one delivered last: a late redelivery
  // of an older assessment must not replace a newer one (same date: the later message wins).
  const incoming = change.set?.latestAssessment;
  if (incoming && current.latestAssessment && current.latestAssessment.date > incoming.date) {
    next.latestAssessment = current.latestAssessment;
  }
  for (const [key, delta] of Object.entries(change.deltas ?? {}) as Array<[keyof NonNullable<SignalChange['deltas']>, number]>) {
    // Counts never go below zero, even if a close arrives for an open this replica never saw.
    next[key] = Math.max(0, (current[key] ?? 0) + delta);
  }
  return next;
}

/**
 * Folds one event into a unit's signals and re-grades it, at most once per event id, in one
 * document write with the `risk_graded` event when the grade or score moved.
 */
export async function applySignal(
  models: EntitiesModels,
  eventId: string,
  change: SignalChange,
  now: () => Date,
  /** Called with the unit as written, still under its lock (the village counts follow its grade). */
  onWritten: (doc: UnitDoc) => Promise<void> = async () => undefined,
): Promise<boolean> {
  const { units } = models;
  return withDocumentLock(units.collection.collectionName, change.unitId, async () => {
    const doc = await units.findById(change.unitId).lean<UnitDoc>();
    if (!doc) throw new PermanentError(`unit ${change.unitId} is not in the registry`);
    if (doc.appliedEventIds?.includes(eventId)) return false;
    const signals = nextSignals(doc.signals, change);
    const assessed = gradeRisk(doc as unknown as RiskUnit, signals, now());
    const risk = { score: assessed.score, grade: assessed.grade, factors: assessed.factors, gradedAt: now().toISOString() };
    const entries: OutboxEntry[] = [];
    if (risk.grade !== doc.risk.grade || risk.score !== doc.risk.score)
      entries.push(unitRiskEntry({ ...doc, risk }, doc.risk.grade));
    await units.collection.updateOne(
      { _id: doc._id } as never,
      withOutbox<Record<string, unknown>>(
        { $set: { signals, risk }, $push: { appliedEventIds: { $each: [eventId], $slice: -KEEP_EVENT_IDS } } } as never,
        entries,
      ),
    );
    await onWritten({ ...doc, risk });
    return true;
  });
}

export async function startRiskSignalConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: EntitiesModels;
  sources: readonly SignalSource[];
  kick: (ids: string[]) => void;
  topicPrefix?: string;
  groupId?: string;
  now?: () => Date;
  onWritten?: (doc: UnitDoc) => Promise<void>;
}): Promise<RunningConsumer | undefined> {
  if (opts.sources.length === 0) return undefined;
  const byTopic = new Map(opts.sources.map((s) => [s.topic.name, s]));
  const now = opts.now ?? (() => new Date());
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'entities.risk-signals',
    topics: opts.sources.map((s) => s.topic),
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      const change = byTopic.get(event.topic)?.toChange(event);
      if (!change) return;
      if (await applySignal(opts.models, event.id, change, now, opts.onWritten)) opts.kick([change.unitId]);
    },
  });
}
