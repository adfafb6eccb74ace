import type { Scenario } from './types.ts';

// A township's hazard work queue (隐患整改): each queue with the units joined from the registry.
export const hazardQueue: Scenario = {
  name: 'hazard_queue',
  description: 'the hazard work queues (overdue, open) with each hazard’s unit joined across subgraphs',
  auth: { kind: 'user', role: 'township_officer', jurisdiction: '500230213000', users: 20 },
  requests: [
    {
      name: 'overdue queue',
      graphql: {
        operationName: 'HazardQueueOverdue',
        query:
          'query HazardQueueOverdue { hazardQueue(queue: overdue, first: 20) { totalCount nodes { id title deadline escalation { level } unit { name risk { grade } } } } }',
      },
    },
    {
      name: 'open queue',
      graphql: {
        operationName: 'HazardQueueOpen',
        query:
          'query HazardQueueOpen { hazardQueue(queue: open, first: 20) { totalCount nodes { id title grade unit { name } } } }',
      },
    },
  ],
  load: { ratePerSecond: 30, durationS: 30, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 300, p99Ms: 800 },
};
