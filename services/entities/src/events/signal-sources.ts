import type { SignalSource } from './risk-signals.ts';

/**
 * The other services' topics that move risk grades. Empty until they land: inspections adds its
 * hazard topic (open major/general, overdue), sensors its alarms, assessment its results, training
 * its coverage — each a `SignalSource` mapping an event to a signal change.
 */
export const signalSources: readonly SignalSource[] = [];
