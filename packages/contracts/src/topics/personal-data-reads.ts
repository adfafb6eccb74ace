import { z } from 'zod';
import { defineTopic, type TopicDef } from './define-topic.ts';

// Reads of personal data (个人信息: names, resident ID numbers, phone numbers) shown unmasked. Each
// service that holds such data announces every answer that revealed some, on a topic of its own (a
// topic has one producer); entities keeps the county's audit trail from all of them.

/** The services whose answers can reveal personal data, each the producer of its own audit topic. */
export const PERSONAL_DATA_SERVICES = ['entities', 'inspections', 'assessment', 'training'] as const;
export type PersonalDataService = (typeof PERSONAL_DATA_SERVICES)[number];

export const personalDataReadSchema = z.object({
  /** One id per answer that revealed personal data: a redelivered event is stored once. */
  readId: z.uuid(),
  at: z.iso.datetime(),
  service: z.enum(PERSONAL_DATA_SERVICES),
  /** Who: the verified caller, as its token named it. */
  reader: z.object({
    subject: z.string().min(1),
    role: z.string().min(1),
    jurisdiction: z.string().min(1),
    name: z.string().optional(),
    agencyId: z.string().optional(),
  }),
  /** Why: the purpose the caller declared in the X-Access-Purpose header (查询事由), if any. */
  purpose: z.string().max(200).nullable(),
  /** What was asked: the operation and its root fields with their arguments. */
  operation: z.object({
    type: z.enum(['query', 'mutation', 'subscription']),
    name: z.string().nullable(),
    rootFields: z.array(z.object({ field: z.string().min(1), args: z.record(z.string(), z.unknown()) })),
  }),
  /** What was shown: each personal field (`Type.field`) and how many values of it the answer carried unmasked. */
  revealed: z.array(z.object({ field: z.string().min(1), count: z.number().int().min(1) })).min(1),
  /** The trace of the request, so an auditor can follow it in Jaeger. */
  traceId: z.string().nullable(),
});

export type PersonalDataRead = z.infer<typeof personalDataReadSchema>;

export const PERSONAL_DATA_READ_EVENT = 'personal_data.read';

function personalDataReadTopic<const S extends PersonalDataService>(service: S) {
  return defineTopic({
    name: `firegov.${service}.personal_data_reads.v1`,
    owner: service,
    description: `Answers of the ${service} service that showed personal data (names, resident ID numbers, phones) unmasked: who read, why (the declared purpose), the operation and which fields, one event per answer. Entities keeps the county's audit trail from these.`,
    keyedBy: 'reader subject',
    events: { [`${service}.${PERSONAL_DATA_READ_EVENT}`]: personalDataReadSchema } as Record<
      `${S}.personal_data.read`,
      typeof personalDataReadSchema
    >,
  });
}

export const personalDataReadTopics = {
  entities: personalDataReadTopic('entities'),
  inspections: personalDataReadTopic('inspections'),
  assessment: personalDataReadTopic('assessment'),
  training: personalDataReadTopic('training'),
} satisfies Record<PersonalDataService, TopicDef>;
