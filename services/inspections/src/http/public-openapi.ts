import { errorBodySchema, jsonContent, openApiComponents, schemaRef, type JsonObject } from '@firegov/contracts';
import { z } from 'zod';
import { evidenceSchema } from '../domain/fields.ts';
import { ReportCategory, ReportStatus, reportInputSchema } from '../domain/reports.ts';

// The contract of the public reporting API (举报投诉), for app makers and the docs site. Request
// schemas come from the zod schemas the service validates with, so the document cannot drift from
// what the service accepts.

const TOKEN_PATTERN = '^[Rr]-[0-9A-Za-z]{24}$';

const serviceSchema = z.object({
  service_code: ReportCategory.schema,
  service_name: z.string().meta({ description: 'Name in Chinese (zh-CN)' }),
  description: z.string(),
  metadata: z.literal(false).meta({ description: 'No extra attributes: GET /services/{code} is not offered' }),
  type: z.literal('realtime'),
  keywords: z.string().optional(),
  group: z.string().optional(),
});

const noteSchema = z.object({
  at: z.string().meta({ format: 'date-time' }),
  status: ReportStatus.schema,
  note: z.string().meta({ description: 'Written for the reporter; never names staff or internal records' }),
});

const createdSchema = z.object({
  token: z.string().regex(new RegExp(TOKEN_PATTERN)).meta({
    description: 'Tracking token (查询码). Shown once: keep it to follow the report and to claim a reward (有奖举报).',
  }),
  status: z.literal('received'),
  status_url: z.string().meta({ description: 'Where to follow the report: GET /public/v1/requests/{token}' }),
});

const statusSchema = z.object({
  token: z.string(),
  service_code: ReportCategory.schema,
  status: ReportStatus.schema,
  notes: z.array(noteSchema),
});

const DESCRIPTION = [
  'Report a fire hazard (火灾隐患举报投诉) without an account. The API follows Open311 GeoReport v2:',
  'pick a service_code from GET /services, describe what you saw and say where (lat/long or an address).',
  '',
  '**Anonymity.** With `anonymous: true` no contact may be sent and none is stored; the tracking token',
  'returned on submission is the only link to the report, so keep it: it shows the progress and claims',
  'a reward (有奖举报) if the report leads to a confirmed hazard. Status notes never contain staff names,',
  "internal record ids or the reporter's contact. Insiders reporting their own workplace set",
  '`whistleblower: true` (吹哨人) so staff protect their identity.',
  '',
  '**Rate limit.** Submissions and look-ups are limited per client address. Over the limit the answer is',
  '429 with a `Retry-After` header giving the seconds to wait; resend the same request after that.',
].join('\n');

// Rules across fields, which JSON Schema cannot say in a way generators understand.
const REPORT_RULES = [
  'Give lat and long together, or address_string, or both.',
  'contact must be left out when anonymous is true.',
  'A bad request is answered 400 with one detail per bad field ($.description, $.contact.phone, …).',
].join(' ');

// The registry passed to toJSONSchema supplies ids only, so descriptions are added afterwards.
const DESCRIPTIONS: Record<string, string> = {
  ReportInput: REPORT_RULES,
  Evidence: 'A photo or video kept elsewhere, pinned by its SHA-256 so a swapped file is detected',
};

function componentSchemas(): Record<string, JsonObject> {
  return openApiComponents(
    {
      ReportInput: reportInputSchema,
      Evidence: evidenceSchema,
      Service: serviceSchema,
      StatusNote: noteSchema,
      RequestCreated: createdSchema,
      RequestStatus: statusSchema,
      Error: errorBodySchema,
    },
    DESCRIPTIONS,
  );
}

const ref = schemaRef;
const json = jsonContent;

const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/** The OpenAPI 3.1 document of /public/v1: services, submitting a report and following it. */
export function publicReportsOpenApi(opts: { serverUrl?: string } = {}): JsonObject {
  const rateLimited = {
    description: 'Too many requests from this client: wait Retry-After seconds',
    headers: {
      'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
    },
    content: json(ref('Error')),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'FireGov public hazard reports (火灾隐患举报投诉)',
      version: '1.0.0',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    ...(opts.serverUrl !== undefined ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: [{ name: 'reports', description: 'Open311 GeoReport v2 style citizen reports' }],
    paths: {
      '/public/v1/services': {
        get: {
          operationId: 'listServices',
          tags: ['reports'],
          summary: 'Report categories (Open311 services)',
          responses: {
            '200': {
              description: 'Every category a report may be filed under',
              content: json({ type: 'array', items: ref('Service') }),
            },
            '429': rateLimited,
          },
        },
      },
      '/public/v1/requests': {
        post: {
          operationId: 'submitReport',
          tags: ['reports'],
          summary: 'Submit a hazard report',
          requestBody: { required: true, content: json(ref('ReportInput')) },
          responses: {
            '201': {
              description: 'Received; keep the token',
              headers: { Location: { description: 'The status_url', schema: { type: 'string' } } },
              content: json(ref('RequestCreated')),
            },
            '400': errorResponse('The report is invalid; details name every bad field'),
            '429': rateLimited,
          },
        },
      },
      '/public/v1/requests/{token}': {
        get: {
          operationId: 'getReportStatus',
          tags: ['reports'],
          summary: 'Follow a report by its tracking token',
          parameters: [
            {
              name: 'token',
              in: 'path',
              required: true,
              description: 'The tracking token returned on submission (letters are case-insensitive)',
              schema: { type: 'string', pattern: TOKEN_PATTERN },
            },
          ],
          responses: {
            '200': { description: 'The report status and its public notes', content: json(ref('RequestStatus')) },
            '404': errorResponse('No report has this token'),
            '429': rateLimited,
          },
        },
      },
    },
    components: { schemas: componentSchemas() },
  };
}
