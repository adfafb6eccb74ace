import {
  clientCredentialsToken,
  errorBodySchema,
  jsonContent as json,
  openApiComponents,
  openApiDocument,
  rateLimitedResponse,
  schemaRef as ref,
  type JsonObject,
} from '@firegov/contracts';
import { z } from 'zod';
import { amendmentSchema, submissionSchema, withdrawalSchema } from '../domain/inputs.ts';

// The contract of the agencies' push API, for their integrators. Request schemas are the zod
// schemas the service validates with, so the document cannot drift from what is accepted.

const receiptSchema = z.object({
  agencyId: z.string(),
  assessmentId: z.string(),
  version: z.number().int(),
  bodyHash: z.string().meta({ description: 'SHA-256 of the canonical JSON (keys sorted) of the accepted version' }),
  receivedAt: z.string().meta({ format: 'date-time' }),
  previousReceiptHash: z
    .string()
    .nullable()
    .meta({ description: 'The receipt of the version this one supersedes: versions form a hash chain' }),
  hash: z.string().meta({ description: 'SHA-256 of the canonical JSON of the fields above' }),
  signature: z
    .string()
    .meta({ description: 'Ed25519 signature of `hash` (base64url); the public key is at GET /v1/receipt-key' }),
});

const acceptedSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(['active', 'withdrawn']),
  unitId: z.string().optional(),
  receipt: receiptSchema,
});

// The same token endpoint as every client-credentials API of the platform (@firegov/auth).
const oauth = clientCredentialsToken({
  badRequest: 'Unsupported grant or agency not active',
  errors: ['invalid_client', 'unsupported_grant_type', 'unauthorized_client', 'invalid_request'],
});

const DESCRIPTION = [
  'Third-party fire-safety assessment agencies (消防技术服务机构) push their results here.',
  '',
  '**Authentication: OAuth 2.0 client credentials (RFC 6749 §4.4).** POST /oauth/token with HTTP Basic',
  '`client_id:client_secret` and `grant_type=client_credentials`; send the returned token as',
  '`Authorization: Bearer …` on every push. Tokens live `expires_in` seconds; fetch a new one when a push',
  'answers 401. Secrets are stored only as scrypt hashes: a lost secret cannot be read back, only rotated',
  '(the old one keeps working through the overlap window the county sets).',
  '',
  '**Retries are safe.** Every POST that creates something needs an `Idempotency-Key` header (8–100',
  'characters). Repeating a request with the same key and body returns the first response (header',
  '`Idempotent-Replayed: true`); the same key with a different body is 409. Refusals (4xx) are not',
  'remembered: fix the data and retry with the same key.',
  '',
  '**Receipts.** Each accepted version returns a receipt signed by the platform (Ed25519) and chained to',
  "the previous version's receipt: keep them; neither side can later rewrite what was submitted.",
  '',
  '**Authorization.** The agency must be active, hold a contract covering the unit on the assessment',
  'date, and the signing engineer (注册消防工程师) must be registered with the agency with a licence valid',
  'on that date — otherwise 403 with the reason, and nothing is stored. An agency sees only its own data.',
].join('\n');

const bearer = [{ agencyToken: [] }];
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description: 'Unique per intended operation; reuse it only to retry the same request',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,100}$' },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const err = (description: string) => ({ description, content: json(ref('Error')) });
const common = {
  '400': err('Invalid: details name every bad field with its JSON path'),
  '401': err('No valid bearer token'),
  '429': rateLimitedResponse('Over the per-agency rate limit: wait Retry-After seconds'),
};

/** The OpenAPI 3.1 document of the push API (served at /v1/openapi.json). */
export function pushOpenApi(opts: { serverUrl?: string } = {}): JsonObject {
  return openApiDocument({
    title: 'FireGov assessment push API (消防技术服务机构评估结果推送)',
    description: DESCRIPTION,
    serverUrl: opts.serverUrl,
    paths: {
      '/oauth/token': oauth.path,
      '/v1/assessments': {
        post: {
          operationId: 'submitAssessment',
          summary: 'Submit an assessment of a unit',
          security: bearer,
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('Submission')) },
          responses: {
            '201': { description: 'Stored and announced; keep the receipt', content: json(ref('Accepted')) },
            ...common,
            '403': err('The agency may not assess this unit on this date, or the engineer is not its own or not licensed'),
            '409': err('The Idempotency-Key was used for a different request, or the first request with it is still running'),
          },
        },
        get: {
          operationId: 'listOwnAssessments',
          summary: 'This agency’s latest 50 submissions',
          security: bearer,
          responses: { '200': { description: 'Newest first', content: json({ type: 'object' }) }, '401': common['401'] },
        },
      },
      '/v1/assessments/{id}': {
        get: {
          operationId: 'getAssessment',
          summary: 'One of this agency’s assessments with every version and receipt',
          security: bearer,
          parameters: [idParam],
          responses: {
            '200': { description: 'The assessment', content: json({ type: 'object' }) },
            '401': common['401'],
            '404': err('No such assessment of this agency'),
          },
        },
      },
      '/v1/assessments/{id}/amendments': {
        post: {
          operationId: 'amendAssessment',
          summary: 'A corrected version that supersedes the current one (history kept)',
          security: bearer,
          parameters: [idParam, idempotencyKey],
          requestBody: { required: true, content: json(ref('Amendment')) },
          responses: {
            '201': { description: 'The new version and its receipt', content: json(ref('Accepted')) },
            ...common,
            '403': err('Not allowed (contract, engineer, agency status)'),
            '404': err('No such assessment of this agency'),
            '409': err('Withdrawn, or the key was used for another request'),
          },
        },
      },
      '/v1/assessments/{id}/withdrawal': {
        post: {
          operationId: 'withdrawAssessment',
          summary: 'Withdraw with a reason (repeating it is harmless)',
          security: bearer,
          parameters: [idParam],
          requestBody: { required: true, content: json(ref('Withdrawal')) },
          responses: {
            '200': { description: 'Withdrawn', content: json({ type: 'object' }) },
            ...common,
            '404': err('No such assessment of this agency'),
          },
        },
      },
      '/v1/receipt-key': {
        get: {
          operationId: 'receiptKey',
          summary: 'The Ed25519 public key (PEM) that verifies receipts',
          responses: { '200': { description: 'PEM', content: { 'application/x-pem-file': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        ...oauth.securitySchemes,
        agencyToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From POST /oauth/token' },
      },
      schemas: openApiComponents({
        Submission: submissionSchema,
        Amendment: amendmentSchema,
        Withdrawal: withdrawalSchema,
        Receipt: receiptSchema,
        Accepted: acceptedSchema,
        ...oauth.schemas,
        Error: errorBodySchema,
      }),
    },
  });
}
