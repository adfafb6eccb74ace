import {
  checkMobile,
  checkResidentId,
  maskMobile,
  maskResidentId,
  personalDataReadTopics,
  type personalDataReadSchema,
  type PersonalDataRead,
  type PersonalDataService,
  type TopicDef,
} from '@firegov/contracts';
import type { Publisher } from './publisher.ts';

// Keys whose values are personal whatever they look like (a person's input in a mutation).
const PHONE_KEYS = /^(phone|mobile|contactPhone)$/i;
const ID_KEYS = /^(idNumber|residentId)$/i;

/**
 * An operation's arguments with personal values masked: the audit trail says what was asked
 * (a unit id, a search, which fields a mutation set) without becoming a second copy of the
 * phones and ID numbers it audits. Strings that are a mobile or resident ID number anywhere in
 * the arguments are masked too (a search by phone).
 */
export function maskedArguments(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (PHONE_KEYS.test(key) || checkMobile(value).ok) return maskMobile(value);
    if (ID_KEYS.test(key) || checkResidentId(value).ok) return maskResidentId(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => maskedArguments(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskedArguments(v, k)]));
  }
  return value;
}

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
    const operation = {
      ...record.operation,
      rootFields: record.operation.rootFields.map((f) => ({
        field: f.field,
        args: maskedArguments(f.args) as Record<string, unknown>,
      })),
    };
    await publisher.publish(topic, {
      type,
      key: record.reader.subject,
      id: record.readId,
      data: { ...record, operation, service },
    });
  };
}
