import type { Scenario } from './types.ts';

// A township's officers opening the county dashboard: the README's queries through the gateway.
export const countyDashboard: Scenario = {
  name: 'county_dashboard',
  description: 'the README dashboard queries (village summaries, overdue queue, training, sensors, 考核) through the gateway',
  auth: { kind: 'user', role: 'township_officer', jurisdiction: '500230213000', users: 20 },
  requests: [
    {
      name: 'village summaries + fire-force gaps',
      graphql: {
        operationName: 'VillageSummaries',
        query:
          'query VillageSummaries { villageSummaries { villageName units byGrade { major significant } } fireForceReadiness(onlyGaps: true) { villageName gaps } }',
      },
    },
    {
      name: 'overdue hazards + 清零',
      graphql: {
        operationName: 'OverdueQueue',
        query:
          'query OverdueQueue { hazardQueue(queue: overdue) { totalCount nodes { title deadline escalation { level } unit { name risk { grade } } } } clearToZero { name open overdue cleared } }',
      },
    },
    {
      name: 'training gaps + coverage',
      graphql: {
        operationName: 'TrainingGaps',
        query:
          'query TrainingGaps { keyUnitsMissingTraining(first: 5) { unitName coverage missing { role reason } } trainingCoverage(by: village) { key required covered coverage } }',
      },
    },
    {
      name: 'alarms + online rate',
      graphql: {
        operationName: 'Alarms',
        query:
          'query Alarms { alarms(first: 5) { totalCount nodes { typeLabel severity status raisedAt unitId } } alarmStats { open unacknowledged falseAlarmRate } deviceOnlineRate(level: village) { key total online rate } }',
      },
    },
    {
      name: 'committees + 考核',
      graphql: {
        operationName: 'Responsibility',
        query:
          'query Responsibility { committees { name meetings { nextDue overdue } } dutyAssessments(year: 2026) { kind name score grade } }',
      },
    },
  ],
  load: { ratePerSecond: 10, durationS: 30, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 500, p99Ms: 1000 },
};
