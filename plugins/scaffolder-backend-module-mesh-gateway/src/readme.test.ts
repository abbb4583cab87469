import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceSpecJsonSchema } from './actions/inputSchema';

type Json = Record<string, any>;

/** Dotted paths of every input of the service spec, with their defaults. */
function inputs(schema: Json, path = ''): { path: string; default: unknown }[] {
  const node = schema.anyOf
    ? schema.anyOf.find((m: Json) => m.const === undefined)
    : schema;
  if (node.type === 'object' && node.properties) {
    return Object.entries<Json>(node.properties).flatMap(([name, property]) =>
      inputs(property, path ? `${path}.${name}` : name),
    );
  }
  const self = { path, default: schema.default };
  if (node.type === 'array' && node.items?.properties) {
    return [self, ...inputs(node.items, `${path}[]`)];
  }
  return [self];
}

describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('documents every input of mesh-gateway:generate with its default', () => {
    const missing = inputs(serviceSpecJsonSchema()).filter(input => {
      const row = readme
        .split('\n')
        .find(line => line.startsWith(`| \`${input.path}\``));
      return (
        !row ||
        (input.default !== undefined &&
          !row.includes(`\`${JSON.stringify(input.default)}\``))
      );
    });
    expect(missing).toEqual([]);
  });
});
