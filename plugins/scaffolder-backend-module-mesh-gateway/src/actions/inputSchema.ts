import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { serviceSpecInputSchema } from '@internal/plugin-mesh-gateway-common';
import { z as zod } from 'zod';

/** The zod (v3 API) implementation the scaffolder hands to an action's schema callback. */
type ActionInputSchema = NonNullable<
  Parameters<typeof createTemplateAction>[0]['schema']
>['input'];
type SchemaCallback = Extract<ActionInputSchema, (zImpl: never) => unknown>;
export type ScaffolderZod = Parameters<SchemaCallback>[0];
type ZodSchema = ReturnType<SchemaCallback>;

type JsonSchema = {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: string[];
  anyOf?: JsonSchema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  $schema?: string;
};

const SUPPORTED = new Set([
  'type',
  'description',
  'default',
  'const',
  'enum',
  'anyOf',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  '$schema',
]);

/**
 * Rebuilds a JSON schema as a zod schema of the scaffolder's zod implementation, for the
 * constructs the service spec uses. The service spec is defined once (zod 4, in -common); the
 * scaffolder derives the action's JSON schema from this rebuilt copy, so both stay the same.
 */
export function jsonSchemaToZod(
  z: ScaffolderZod,
  schema: JsonSchema,
): ZodSchema {
  const unsupported = Object.keys(schema).filter(key => !SUPPORTED.has(key));
  if (unsupported.length > 0) {
    throw new Error(
      `unsupported JSON schema keyword(s): ${unsupported.join(', ')}`,
    );
  }
  let result: ZodSchema;
  if (schema.anyOf) {
    const [first, second, ...rest] = schema.anyOf.map(member =>
      jsonSchemaToZod(z, member),
    );
    result = z.union([first, second, ...rest]);
  } else if (schema.const !== undefined) {
    result = z.literal(schema.const as string);
  } else if (schema.enum) {
    result = z.enum(schema.enum as [string, ...string[]]);
  } else if (schema.type === 'string') {
    let s = z.string();
    if (schema.minLength !== undefined) s = s.min(schema.minLength);
    if (schema.maxLength !== undefined) s = s.max(schema.maxLength);
    if (schema.pattern !== undefined) s = s.regex(new RegExp(schema.pattern));
    result = s;
  } else if (schema.type === 'integer' || schema.type === 'number') {
    let n = z.number();
    if (schema.type === 'integer') n = n.int();
    if (schema.minimum !== undefined) n = n.min(schema.minimum);
    if (schema.maximum !== undefined) n = n.max(schema.maximum);
    result = n;
  } else if (schema.type === 'boolean') {
    result = z.boolean();
  } else if (schema.type === 'array' && schema.items) {
    let a = z.array(jsonSchemaToZod(z, schema.items));
    if (schema.minItems !== undefined) a = a.min(schema.minItems);
    if (schema.maxItems !== undefined) a = a.max(schema.maxItems);
    result = a;
  } else if (schema.type === 'object' && schema.properties) {
    const required = new Set(schema.required ?? []);
    const shape = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => {
        const member = jsonSchemaToZod(z, property);
        return [
          name,
          required.has(name) || property.default !== undefined
            ? member
            : member.optional(),
        ];
      }),
    );
    const object = z.object(shape);
    result = schema.additionalProperties === false ? object.strict() : object;
  } else {
    throw new Error(
      `unsupported JSON schema: ${JSON.stringify(schema).slice(0, 200)}`,
    );
  }
  if (schema.default !== undefined) {
    result = result.default(schema.default);
  }
  if (schema.description !== undefined) {
    result = result.describe(schema.description);
  }
  return result;
}

/** The JSON schema of the service spec as an input (defaults optional). */
export function serviceSpecJsonSchema(): JsonSchema {
  return zod.toJSONSchema(serviceSpecInputSchema, {
    io: 'input',
    target: 'draft-7',
  }) as JsonSchema;
}
