import type { TopicDef } from './define-topic.ts';
import { committeeTopic, departmentTopic, fireForceTopic, householdTopic, jurisdictionTopic, unitTopic } from './entities.ts';
import { caseTopic, hazardTopic, inspectionTopic, reportTopic, supervisionTopic } from './inspections.ts';
import { assessmentTopic } from './assessment.ts';
import { sensorFaultTopic } from './upstream.ts';
import { personalDataReadTopics } from './personal-data-reads.ts';
import { trainingCertificateTopic, trainingComplianceTopic, trainingCourseTopic, trainingOutreachTopic } from './training.ts';
import { sensorsAlarmTopic, sensorsDeviceTopic, sensorsProfileTopic, sensorsReadingTopic } from './sensors.ts';
import { identityClientTopic } from './identity.ts';

/**
 * Every platform topic, for the AsyncAPI document (`npm run docs`). A service adds its topics here
 * when it lands; the catalog test fails when docs/asyncapi.yaml is out of date.
 */
export const topicCatalog: readonly TopicDef[] = [
  jurisdictionTopic,
  unitTopic,
  householdTopic,
  fireForceTopic,
  departmentTopic,
  committeeTopic,
  hazardTopic,
  inspectionTopic,
  reportTopic,
  caseTopic,
  supervisionTopic,
  assessmentTopic,
  sensorFaultTopic,
  ...Object.values(personalDataReadTopics),
  trainingCourseTopic,
  trainingCertificateTopic,
  trainingOutreachTopic,
  trainingComplianceTopic,
  sensorsReadingTopic,
  sensorsDeviceTopic,
  sensorsAlarmTopic,
  sensorsProfileTopic,
  identityClientTopic,
];

/** Dead letters are raw copies of the failed message plus these headers; they have no schema of their own. */
export const deadLetterTopic = {
  name: 'firegov.dlq.v1',
  description:
    'Messages a consumer could never process: the original key, value and headers, plus dlq_reason, dlq_source_topic, dlq_source_partition, dlq_source_offset, dlq_consumer_group, dlq_failed_at and dlq_attempts headers. Inspect and replay from here.',
  headers: [
    'dlq_reason',
    'dlq_source_topic',
    'dlq_source_partition',
    'dlq_source_offset',
    'dlq_consumer_group',
    'dlq_failed_at',
    'dlq_attempts',
  ],
} as const;
