import {
  personalDataReadTopics,
  type personalDataReadSchema,
  type PersonalDataRead,
  type PersonalDataService,
  type TopicDef,
} from '@firegov/contracts';
import type { Publisher } from './publisher.ts';

/**
 * Publishes a service's records of personal data shown unmasked on its own audit topic, keyed by
 * the reader, with the record's id as the event id so a retried send is one event downstream.
 */
export function personalDataReadPublisher(
  publisher: Pick<Publisher, 'publish'>,
  service: PersonalDataService,
): (record: Omit<PersonalDataRead, 'service'>) => Promise<void> {
  // Every service's topic carries the one schema; seen that way, its event type is any string.
  const topic: TopicDef<Record<string, typeof personalDataReadSchema>> = personalDataReadTopics[service];
  const type = `${service}.personal_data.read`;
  return async (record) => {
    await publisher.publish(topic, { type, key: record.reader.subject, id: record.readId, data: { ...record, service } });
  };
}
