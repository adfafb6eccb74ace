import { z } from 'zod';
import { deadLetterTopic } from './catalog.ts';
import type { TopicDef } from './define-topic.ts';

/** The CloudEvents binary-mode headers every message carries (see packages/events envelope). */
const cloudEventHeaders = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Unique event id; consumers de-duplicate by it' },
    ce_type: { type: 'string' },
    ce_source: { type: 'string', description: 'Producing service' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_subject: { type: 'string', description: 'The aggregate the event is about' },
    'content-type': { type: 'string', const: 'application/json' },
    traceparent: { type: 'string', description: 'W3C trace context of the producing request' },
  },
} as const;

const messageId = (type: string) => type.replace(/\./g, '_');

/** Builds an AsyncAPI 3.0 document from topic definitions: payload schemas come from the zod schemas. */
export function buildAsyncApi(topics: readonly TopicDef[], version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of topics) {
    const channelId = topic.name.replace(/\./g, '_');
    const refs: Record<string, unknown> = {};
    for (const [type, schema] of Object.entries(topic.events)) {
      messages[messageId(type)] = {
        name: type,
        title: type,
        contentType: 'application/json',
        headers: cloudEventHeaders,
        payload: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
        bindings: { kafka: { key: { type: 'string', description: topic.keyedBy } } },
      };
      refs[messageId(type)] = { $ref: `#/components/messages/${messageId(type)}` };
    }
    channels[channelId] = { address: topic.name, description: `${topic.description} Keyed by ${topic.keyedBy}.`, messages: refs };
    operations[`${channelId}_publish`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelId}` },
      summary: `Published by ${topic.owner}`,
    };
  }
  channels.firegov_dlq_v1 = { address: deadLetterTopic.name, description: deadLetterTopic.description, messages: {} };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'firegov event catalog',
      version,
      description:
        'Every fact one service tells another. CloudEvents 1.0 in Kafka binary mode; topics are versioned and keyed for ordering; delivery is at least once and consumers de-duplicate by ce_id. Generated from packages/contracts by `npm run docs`.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
