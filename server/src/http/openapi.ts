import { z } from 'zod';

/**
 * JSON Schema of a zod schema, for the OpenAPI document only: requests are validated by zod
 * itself (one source of truth), so Fastify's own validator is switched off.
 */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
