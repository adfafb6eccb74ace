import { trainingCertificateTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { ComplianceService } from '../../service/compliance.ts';

/**
 * Certificates issued by exams (this service's own topic) recompute the coverage of the units the
 * person holds roles at, so a pass reaches entities' risk grade without waiting for the sweep.
 * Recomputing is idempotent (unchanged coverage writes nothing), so a redelivery is harmless.
 */
export function startCertificateCoverageConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  compliance: Pick<ComplianceService, 'recomputeForPeople'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'training.coverage',
    topics: [trainingCertificateTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      await opts.compliance.recomputeForPeople([event.data.personId]);
    },
  });
}
