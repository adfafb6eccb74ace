import type { RuleState } from '../domain/rule-types.ts';

// FerretDB (1.x) refuses arrays inside arrays and field names with a dot, and rule memory has both:
// rate-of-rise samples are [at, value] pairs, and condition paths are "0.1.0". Stored, samples are
// { at, value } objects and paths use "_" ("0_1_0"); they are turned back when read.
type Slot = RuleState['memory'][string];
type StoredSample = { at: number; value: number };

function mapMemory(
  states: Readonly<Record<string, RuleState>>,
  path: (p: string) => string,
  samples: (s: readonly unknown[]) => unknown[],
): Record<string, RuleState> {
  const out: Record<string, RuleState> = {};
  for (const [key, state] of Object.entries(states)) {
    const memory: Record<string, Slot> = {};
    for (const [p, slot] of Object.entries(state.memory))
      memory[path(p)] = slot.samples ? { ...slot, samples: samples(slot.samples) as Array<[number, number]> } : slot;
    out[key] = { ...state, memory };
  }
  return out;
}

export const storedRuleStates = (states: Readonly<Record<string, RuleState>>): Record<string, RuleState> =>
  mapMemory(
    states,
    (p) => p.replaceAll('.', '_'),
    (samples) => (samples as Array<[number, number]>).map(([at, value]): StoredSample => ({ at, value })),
  );

export const loadedRuleStates = (stored: Readonly<Record<string, RuleState>>): Record<string, RuleState> =>
  mapMemory(
    stored,
    (p) => p.replaceAll('_', '.'),
    (samples) =>
      samples.map((s): [number, number] => {
        if (Array.isArray(s)) return s as [number, number];
        const { at, value } = s as StoredSample;
        return [at, value];
      }),
  );
