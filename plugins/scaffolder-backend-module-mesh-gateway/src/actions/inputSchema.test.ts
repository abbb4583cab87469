import { validate } from 'jsonschema';
import { z } from 'zod/v3';
import { createMeshGatewayGenerateAction } from './generate';
import { jsonSchemaToZod, serviceSpecJsonSchema } from './inputSchema';

type Json = Record<string, any>;

/**
 * What a JSON schema constrains at each path (types, enums, patterns, bounds, defaults,
 * required), independent of how a library spells it.
 */
function signature(
  schema: Json,
  path = '$',
  out: Record<string, Json> = {},
): Record<string, Json> {
  const members: Json[] = schema.anyOf ?? [schema];
  out[path] = {
    types: [...new Set(members.map(m => m.type ?? typeof m.const))].sort(),
    enum: members
      .flatMap(m => m.enum ?? (m.const !== undefined ? [m.const] : []))
      .sort(),
    patterns: members
      .map(m => m.pattern)
      .filter(Boolean)
      .map((p: string) => new RegExp(p).source)
      .sort(),
    bounds: members.map(m => [
      m.minimum,
      m.maximum,
      m.minLength,
      m.maxLength,
      m.minItems,
      m.maxItems,
    ]),
    default: schema.default,
    required: [...(schema.required ?? [])].sort(),
    closed: schema.additionalProperties === false,
  };
  for (const [name, property] of Object.entries<Json>(
    schema.properties ?? {},
  )) {
    signature(property, `${path}.${name}`, out);
  }
  if (schema.items) {
    signature(schema.items, `${path}[]`, out);
  }
  return out;
}

describe('the action input schema', () => {
  const fromSpec = serviceSpecJsonSchema() as Json;
  const action = createMeshGatewayGenerateAction();
  const scaffolderSchema = action.schema!.input as Json;

  it('is the service spec, field for field', () => {
    const expected = signature(fromSpec);
    const actual = signature(scaffolderSchema);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const path of Object.keys(expected)) {
      expect({ path, ...actual[path] }).toEqual({ path, ...expected[path] });
    }
    expect(Object.keys(expected).length).toBeGreaterThan(80);
  });

  it('keeps the descriptions for the template editor', () => {
    expect(scaffolderSchema.properties.name.description).toMatch(
      /DNS-1123 label/,
    );
    expect(
      scaffolderSchema.properties.resilience.properties.perTryTimeoutMs
        .description,
    ).toMatch(/retries \+ 1/);
  });

  it('lets the scaffolder reject bad input before the action runs', () => {
    const good = {
      name: 'svc',
      owner: 'team-a',
      auth: { issuer: 'https://auth.example.com' },
    };
    expect(validate(good, scaffolderSchema).errors).toEqual([]);
    const bad = validate(
      { ...good, name: 'Bad Name', port: -1, extra: 1 },
      scaffolderSchema,
    );
    expect(bad.errors.map(e => e.property).sort()).toEqual([
      'instance',
      'instance.name',
      'instance.port',
    ]);
  });

  it('refuses JSON schema constructs it does not translate', () => {
    expect(() =>
      jsonSchemaToZod(z as never, { type: 'string', format: 'uri' } as never),
    ).toThrow('unsupported JSON schema keyword(s): format');
    expect(() =>
      jsonSchemaToZod(z as never, { type: 'null' } as never),
    ).toThrow('unsupported JSON schema');
  });
});
