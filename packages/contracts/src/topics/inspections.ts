import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the inspections service: hazards (隐患) and their rectification, inspections, citizen
// reports and enforcement. Keyed by unit id where a unit is involved, so every consumer sees one
// unit's hazards in order (entities folds them into the unit's risk grade as deltas).
// No personal data: reporters, contacts and responsible persons' phones stay in the service.

const code12 = z.string().regex(/^\d{12}$/);
const isoTime = z.iso.datetime({ offset: true });

export const HAZARD_SOURCES = ['inspection', 'citizen_report', 'assessment', 'sensor', 'drill'] as const;
export const HAZARD_STATUSES = ['open', 'rectifying', 'awaiting_reinspection', 'closed', 'dismissed'] as const;
export const ESCALATION_LEVELS = ['none', 'overdue', 'township_supervision', 'county_supervision'] as const;

/** What a hazard contributes to its unit's risk: enough for a consumer to move counts by deltas. */
export const hazardSignalSchema = z.object({
  open: z.boolean(),
  grade: z.enum(['general', 'major']),
  overdue: z.boolean(),
});
export type HazardSignal = z.infer<typeof hazardSignalSchema>;

export const hazardSnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  unitId: z.string().min(1),
  unitName: z.string(),
  countyCode: code12,
  townshipCode: code12,
  villageCode: code12,
  source: z.enum(HAZARD_SOURCES),
  /** The record the hazard came from: inspection id, report id, assessment id/finding id, sensor fault id. */
  sourceRef: z.object({ kind: z.enum(HAZARD_SOURCES), id: z.string().min(1) }).optional(),
  campaignKey: z.string().optional(),
  title: z.string().min(1),
  grade: z.enum(['general', 'major']),
  status: z.enum(HAZARD_STATUSES),
  round: z.number().int().min(0),
  deadline: isoTime.optional(),
  escalationLevel: z.enum(ESCALATION_LEVELS),
  foundAt: isoTime,
  closedAt: isoTime.optional(),
  demo: z.boolean(),
});
export type HazardSnapshot = z.infer<typeof hazardSnapshotSchema>;

/** Where a step of the escalation ladder left a record: its level, and who was reminded. */
const ladderStep = {
  level: z.enum(ESCALATION_LEVELS),
  reminderNo: z.number().int().min(1).optional(),
  remindTo: z.enum(['responsible_party', 'township', 'county']).optional(),
};

const hazardChange = hazardSnapshotSchema.extend({
  /** The hazard's contribution before this event; the snapshot gives the one after. */
  previous: hazardSignalSchema,
});

export const hazardTopic = defineTopic({
  name: 'firegov.inspections.hazards.v1',
  owner: 'inspections',
  description:
    'Fire hazards (火灾隐患) from every source: found, graded (GB 35181), ordered to be rectified, re-inspected, closed, and escalated (逾期, 挂牌督办, 警示约谈). Each event carries the full snapshot and the previous risk contribution.',
  keyedBy: 'unit id',
  events: {
    'inspections.hazard.recorded': hazardSnapshotSchema,
    'inspections.hazard.transitioned': hazardChange.extend({
      command: z.enum(['issue_order', 'report_rectified', 'reinspect', 'dismiss', 'regrade']),
      from: z.enum(HAZARD_STATUSES),
      passed: z.boolean().optional(),
    }),
    'inspections.hazard.escalated': hazardChange.extend({
      action: z.enum(['mark_overdue', 'list_supervision', 'remind', 'warning_interview']),
      ...ladderStep,
    }),
  },
});

export const inspectionTopic = defineTopic({
  name: 'firegov.inspections.inspections.v1',
  owner: 'inspections',
  description:
    'Inspections (自查, 排查, 核查, 明查暗访, 联合检查) with their checklist outcome counts and the hazards they found.',
  keyedBy: 'unit id',
  events: {
    'inspections.inspection.recorded': z.object({
      id: z.string().min(1),
      unitId: z.string().min(1),
      villageCode: code12,
      kind: z.enum(['self_check', 'village_screening', 'department_verification', 'unannounced_visit', 'joint_inspection']),
      campaignKey: z.string().optional(),
      inspectedAt: isoTime,
      passed: z.number().int().min(0),
      failed: z.number().int().min(0),
      hazardIds: z.array(z.string()),
      demo: z.boolean(),
    }),
  },
});

export const reportTopic = defineTopic({
  name: 'firegov.inspections.reports.v1',
  owner: 'inspections',
  description: 'Citizen and whistleblower reports (举报投诉, 吹哨人): received and triaged. No reporter data.',
  keyedBy: 'report id',
  events: {
    'inspections.report.received': z.object({
      id: z.string().min(1),
      category: z.string().min(1),
      jurisdictionCode: code12,
      anonymous: z.boolean(),
      whistleblower: z.boolean(),
      receivedAt: isoTime,
    }),
    'inspections.report.triaged': z.object({
      id: z.string().min(1),
      jurisdictionCode: code12,
      outcome: z.enum(['triaged_hazard', 'closed']),
      hazardId: z.string().optional(),
      rewardEligible: z.boolean(),
    }),
  },
});

export const caseTopic = defineTopic({
  name: 'firegov.inspections.cases.v1',
  owner: 'inspections',
  description: 'Enforcement cases (执法) opened from hazards, and fire incidents with their investigations (事故调查).',
  keyedBy: 'unit id',
  events: {
    'inspections.enforcement.changed': z.object({
      id: z.string().min(1),
      unitId: z.string().min(1),
      hazardId: z.string().min(1),
      status: z.enum(['opened', 'decided', 'closed']),
      measures: z.array(z.string()),
      fineYuan: z.number().int().optional(),
    }),
    'inspections.incident.changed': z.object({
      id: z.string().min(1),
      unitId: z.string().min(1),
      villageCode: code12,
      status: z.enum(['reported', 'investigating', 'concluded', 'closed']),
      severity: z.enum(['especially_major', 'major', 'large', 'general']),
      occurredAt: isoTime,
      deaths: z.number().int().min(0),
      injuries: z.number().int().min(0),
    }),
  },
});

const riskGrade = z.enum(['major', 'significant', 'general', 'low']);

export const supervisionTopic = defineTopic({
  name: 'firegov.inspections.supervision.v1',
  owner: 'inspections',
  description:
    'Graded supervision (分级分类监管): when each unit is next due for inspection by its risk grade, escalations of overdue inspections, and the county intervals per grade.',
  keyedBy: 'unit id (county code for intervals_changed)',
  events: {
    'inspections.supervision.scheduled': z.object({
      unitId: z.string().min(1),
      countyCode: code12,
      townshipCode: code12,
      villageCode: code12,
      grade: riskGrade,
      intervalMonths: z.number().int().min(1),
      dueAt: isoTime,
      lastInspectedAt: isoTime.optional(),
      reason: z.enum(['registered', 'inspected', 'regraded', 'intervals_changed']),
      demo: z.boolean(),
    }),
    'inspections.supervision.escalated': z.object({
      unitId: z.string().min(1),
      villageCode: code12,
      dueAt: isoTime,
      action: z.enum(['mark_overdue', 'list_supervision', 'remind']),
      ...ladderStep,
    }),
    'inspections.supervision.intervals_changed': z.object({
      countyCode: code12,
      intervals: z.object({
        major: z.number().int().min(1),
        significant: z.number().int().min(1),
        general: z.number().int().min(1),
        low: z.number().int().min(1),
      }),
      version: z.number().int().min(1),
      changedBy: z.string().min(1),
      changedAt: isoTime,
    }),
  },
});
