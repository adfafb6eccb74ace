import { z } from 'zod';

export type JsonObject = Record<string, unknown>;

/** The platform's error body (every REST error), for OpenAPI documents. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z
      .string()
      .meta({ description: 'Stable code to branch on, e.g. VALIDATION_FAILED, FORBIDDEN, CONFLICT, RATE_LIMITED, NOT_FOUND' }),
    message: z.string(),
    details: z.array(
      z.object({
        path: z.string().meta({ description: 'JSON path of the bad field, e.g. $.findings[2].severity' }),
        reason: z.string(),
      }),
    ),
  }),
});

/**
 * OpenAPI 3.1 `components/schemas` from zod schemas, linked by `$ref` — generated from the very
 * schemas the service validates with, so a document cannot drift from what is accepted. zod puts
 * `$schema` and a fragment `$id` on each; inside an OpenAPI 3.1 document the dialect is implied and a
 * fragment `$id` is not a valid identifier, so both are dropped. `io: 'input'`: what a client sends.
 */
export function openApiComponents(
  schemas: Record<string, z.ZodType>,
  descriptions: Record<string, string> = {},
): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io: 'input', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  const result: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(out.schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    const description = descriptions[id];
    result[id] = description !== undefined ? { description, ...rest } : rest;
  }
  return result;
}

export const schemaRef = (id: string): { $ref: string } => ({ $ref: `#/components/schemas/${id}` });
export const jsonContent = (schema: unknown): JsonObject => ({ 'application/json': { schema } });

/** An error answer in the platform's error shape (the document defines `Error` from errorBodySchema). */
export const errorResponse = (description: string): JsonObject => ({ description, content: jsonContent(schemaRef('Error')) });

/** A 429 of @firegov/kit's redisRateLimit: the platform's error body and the seconds to wait. */
export const rateLimitedResponse = (description: string): JsonObject => ({
  description,
  headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
  content: jsonContent(schemaRef('Error')),
});

/**
 * `POST /oauth/token` of an API whose outside systems authenticate with OAuth 2.0 client credentials
 * (RFC 6749 §4.4, @firegov/auth's oauthTokenHandler): the path item with the schemas and the security
 * scheme it refers to (`Token`, `OAuthError`, `clientBasic`), for the document to place among its own.
 * `errors` are the RFC 6749 §5.2 codes the endpoint answers; `responses` adds answers of the API's own
 * middleware (a rate limit).
 */
export function clientCredentialsToken(o: {
  badRequest: string;
  errors: readonly [string, ...string[]];
  responses?: Record<string, JsonObject>;
}): { path: JsonObject; schemas: Record<'Token' | 'OAuthError', z.ZodType>; securitySchemes: { clientBasic: JsonObject } } {
  const path = {
    post: {
      operationId: 'getToken',
      summary: 'Client credentials grant',
      security: [{ clientBasic: [] }],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              required: ['grant_type'],
              properties: {
                grant_type: { const: 'client_credentials' },
                client_id: { type: 'string', description: 'Instead of HTTP Basic' },
                client_secret: { type: 'string', description: 'Instead of HTTP Basic' },
              },
            },
          },
        },
      },
      responses: {
        '200': { description: 'A bearer token', content: jsonContent(schemaRef('Token')) },
        '400': { description: o.badRequest, content: jsonContent(schemaRef('OAuthError')) },
        '401': { description: 'Client authentication failed', content: jsonContent(schemaRef('OAuthError')) },
        ...o.responses,
      },
    },
  };
  return {
    path,
    schemas: {
      Token: z.object({
        access_token: z.string(),
        token_type: z.literal('Bearer'),
        expires_in: z.number().int().meta({ description: 'Seconds' }),
      }),
      OAuthError: z.object({ error: z.enum(o.errors), error_description: z.string() }),
    },
    securitySchemes: { clientBasic: { type: 'http', scheme: 'basic', description: 'client_id:client_secret' } },
  };
}

/**
 * An OpenAPI 3.1 document of one of the platform's APIs (version 1.0.0, Apache-2.0). `serverUrl` is
 * where it is served from: the host a request came in on, or a fixed one for the checked-in copy.
 */
export function openApiDocument(o: {
  title: string;
  description: string;
  serverUrl?: string | undefined;
  paths: JsonObject;
  components: JsonObject;
}): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: o.title,
      version: '1.0.0',
      description: o.description,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    ...(o.serverUrl !== undefined ? { servers: [{ url: o.serverUrl }] } : {}),
    paths: o.paths,
    components: o.components,
  };
}
