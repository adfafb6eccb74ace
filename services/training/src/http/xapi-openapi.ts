import { errorBodySchema, jsonContent as json, openApiComponents, schemaRef as ref, type JsonObject } from '@firegov/contracts';
import { z } from 'zod';
import { MAX_STATEMENTS_PER_BATCH, statementSchema } from '../domain/xapi.ts';

// The contract of the learning platform's statement endpoint. The request schema is the zod schema
// the service validates with, so the document cannot drift from what is accepted.

const resultSchema = z.object({
  index: z.number().int().meta({ description: 'Position of the statement in the request (0 for a single statement)' }),
  id: z.string(),
  status: z.enum(['applied', 'replayed', 'refused']),
  effect: z.enum(['learning_record', 'none']).optional().meta({
    description: 'learning_record: a completed (not failed) or passed statement for a course; none: another verb',
  }),
  reason: z.string().optional().meta({ description: 'Why it was refused, or that a replay changed nothing' }),
});

const receiptSchema = z.object({
  results: z.array(resultSchema),
  applied: z.number().int(),
  replayed: z.number().int(),
  refused: z.number().int(),
});

const DESCRIPTION = [
  'The national fire-safety learning platform (全民消防学习云平台) sends learning records here as',
  'xAPI 1.0.3-shaped statements (actor, verb, object, result, timestamp, id).',
  '',
  '**Authentication:** `Authorization: Bearer <JWT>` of role `learning_platform` from the identity service:',
  'the county registers the platform as a platform client (role `learning_platform`, access `write`) and the',
  'platform takes a token with client credentials (scope `read write`), jurisdiction = the county. Wrong or',
  'expired token: 401; a token without scope `write`: 403.',
  '',
  '**Validation:** the whole body is checked first; any malformed statement answers 400 naming the',
  'statement index and field (`$[2].actor.mbox`) and nothing is applied. A batch holds 1 to',
  `${MAX_STATEMENTS_PER_BATCH} statements with distinct ids.`,
  '',
  '**Once per statement id:** a statement already applied answers `replayed` and changes nothing; the',
  'same id with different content is `refused` (xAPI conflict).',
  '',
  "**Actors** are matched by `account.name` (the person's platform account, or their person id) or by",
  '`mbox` (their registered e-mail). A statement whose actor is not a registered person in the',
  'county is `refused` with the reason and not stored (send it again once the person is registered);',
  'the other statements of the batch are kept.',
  '',
  '**Effect:** `completed` (unless `result.success` or `result.completion` is false) or `passed`',
  '(unless `result.success` is false) for an activity `…/courses/<course id>` records a learning record',
  'dated `timestamp`; required-training rules decide how long it counts. Other verbs are stored with',
  'no effect.',
].join('\n');

const INFO = {
  title: 'FireGov training: learning-platform statements (xAPI)',
  version: '1.0.0',
  description: DESCRIPTION,
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

/** The OpenAPI 3.1 document of the xAPI endpoint (served at /xapi/openapi.json). */
export function xapiOpenApi(opts: { serverUrl?: string } = {}): JsonObject {
  const err = (description: string) => ({ description, content: json(ref('Error')) });
  return {
    openapi: '3.1.0',
    info: INFO,
    ...(opts.serverUrl !== undefined ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths: {
      '/xapi/statements': {
        post: {
          operationId: 'postStatements',
          summary: 'Apply one statement or a batch, each at most once',
          security: [{ platformToken: [] }],
          requestBody: {
            required: true,
            content: json({
              oneOf: [
                ref('Statement'),
                { type: 'array', minItems: 1, maxItems: MAX_STATEMENTS_PER_BATCH, items: ref('Statement') },
              ],
            }),
          },
          responses: {
            '200': { description: 'One result per statement, in request order', content: json(ref('Receipt')) },
            '400': err('Malformed: details name each statement index and field; nothing was applied'),
            '401': err('No valid bearer token'),
            '403': err('The token is not of role learning_platform, or is a platform client’s without scope write'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        platformToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Role learning_platform' },
      },
      schemas: openApiComponents({ Statement: statementSchema, Receipt: receiptSchema, Error: errorBodySchema }),
    },
  };
}
