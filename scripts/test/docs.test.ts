import fs from 'node:fs';
import path from 'node:path';
import { defineTopic, buildAsyncApi } from '@firegov/contracts';
import { z } from 'zod';
import { GENERATED_DOCS } from '../docs-render.ts';

test.each(GENERATED_DOCS.map((d) => [d.file, d.render] as const))(
  '%s is what its generator makes (run `npm run docs` if not)',
  (file, render) => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
    expect(committed).toBe(render());
  },
);

test('a topic becomes a channel, a send operation and one message per event type with its JSON schema', () => {
  const topic = defineTopic({
    name: 'firegov.demo.things.v1',
    owner: 'demo',
    description: 'Things.',
    keyedBy: 'thing id',
    events: { 'demo.thing.created': z.object({ id: z.string(), floors: z.number().int().min(1) }) },
  });
  const doc = buildAsyncApi([topic], '1.0.0') as {
    channels: Record<string, { address: string }>;
    operations: Record<string, { action: string }>;
    components: { messages: Record<string, { payload: { required: string[]; properties: Record<string, unknown> } }> };
  };
  expect(doc.channels.firegov_demo_things_v1!.address).toBe('firegov.demo.things.v1');
  expect(doc.operations.firegov_demo_things_v1_publish!.action).toBe('send');
  const payload = doc.components.messages.demo_thing_created!.payload;
  expect(payload.required).toEqual(['id', 'floors']);
  expect(payload.properties.floors).toMatchObject({ type: 'integer', minimum: 1 });
  expect(doc.channels.firegov_dlq_v1!.address).toBe('firegov.dlq.v1');
});

test('topic and event names are checked when a topic is defined', () => {
  const base = { owner: 'x', description: 'x', keyedBy: 'x' };
  expect(() => defineTopic({ ...base, name: 'Things', events: {} })).toThrow(/must be dotted lower case ending in \.vN/);
  expect(() => defineTopic({ ...base, name: 'firegov.x.v1', events: { Created: z.object({}) } })).toThrow(/dotted lower case/);
});
