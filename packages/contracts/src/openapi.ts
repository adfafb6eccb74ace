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
