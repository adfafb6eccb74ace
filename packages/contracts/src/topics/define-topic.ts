import type { z } from 'zod';

/**
 * A topic and the events it carries. The topic name is versioned (`….v1`); an incompatible
 * change to any event on it means a new topic, so old consumers keep working while they migrate.
 * Event types are CloudEvents `type` values; each maps to the zod schema of its `data`.
 */
export interface TopicDef<E extends Record<string, z.ZodType> = Record<string, z.ZodType>> {
  /** Logical name without the deployment prefix, e.g. `firegov.entities.units.v1`. */
  name: string;
  /** The service that owns the topic and is its only producer. */
  owner: string;
  description: string;
  /** What the Kafka key is, e.g. "unit id": all events of one key keep their order. */
  keyedBy: string;
  events: E;
}

export function defineTopic<const E extends Record<string, z.ZodType>>(def: TopicDef<E>): TopicDef<E> {
  for (const type of Object.keys(def.events)) {
    if (!/^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/.test(type)) throw new Error(`event type "${type}" must be dotted lower case`);
  }
  if (!/^[a-z0-9]+(\.[a-z0-9_-]+)*\.v\d+$/.test(def.name))
    throw new Error(`topic "${def.name}" must be dotted lower case ending in .vN`);
  return def;
}

export type EventTypeOf<T extends TopicDef> = Extract<keyof T['events'], string>;

/** The data of one event type of a topic. */
export type EventData<T extends TopicDef, K extends EventTypeOf<T>> = z.infer<T['events'][K]>;

/** The union `{ type, data }` over all event types of a topic, for exhaustive handlers. */
export type TopicEvent<T extends TopicDef> = {
  [K in EventTypeOf<T>]: { type: K; data: z.infer<T['events'][K]> };
}[EventTypeOf<T>];
