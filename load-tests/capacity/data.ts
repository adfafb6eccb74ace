// What the capacity report measures, as data: measure.ts fills it, plots.ts and report.ts render it.
import type { DrillCounts, DrillReport } from '../drill/ledger.ts';

/** One load step: a query at a number of concurrent clients for a few seconds. */
export interface LoadPoint {
  query: string;
  /** Through the gateway, or straight to the subgraph (the baseline: the gateway's cost is the difference). */
  via: 'gateway' | 'subgraph';
  concurrency: number;
  /** Units in the registry when it was measured. */
  units: number;
  rps: number;
  p50: number;
  p95: number;
  errors: number;
}

/** The fault drill's figures (reports/drill.json, written by `npm run drill`): the counts the report shows. */
export type DrillFigures = Omit<DrillReport, 'counts'> & {
  counts: Pick<DrillCounts, 'accepted' | 'stored' | 'published' | 'hazardsExpected' | 'hazardsApplied' | 'entitiesApplied'>;
};

export interface CapacityData {
  at: string;
  /** The machine and how the platform ran on it. */
  conditions: { cpus: number; cpuModel: string; memoryGiB: number; node: string; notes: string };
  durationS: number;
  /** Latency and throughput as clients are added, on the largest store. */
  concurrency: LoadPoint[];
  /** Throughput and latency at a fixed concurrency as the registry grows. */
  storeSize: LoadPoint[];
  drill?: DrillFigures;
}
