import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import request from 'supertest';
import { parse } from 'yaml';
import { serviceSpecJsonSchema } from './actions/inputSchema';
import { scaffolderModuleMeshGateway } from './module';
import { comparable } from './__testUtils__/golden';

type Json = Record<string, any>;

const TEMPLATE_DIR = resolve(__dirname, '../../../templates/new-api');
const GOLDEN_DIR = resolve(__dirname, 'generator/__fixtures__/default');
const template = parse(
  readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(entry => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The values a form starts with: every default, nested objects included (as the form fills them). */
function formDefaults(schema: Json): unknown {
  if (schema.default !== undefined) {
    return schema.default;
  }
  if (schema.type === 'object' || schema.properties) {
    const entries = Object.entries<Json>(schema.properties ?? {})
      .map(([name, property]) => [name, formDefaults(property)] as const)
      .filter(([, value]) => value !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return undefined;
}

/** The spec's JSON schema node at a dotted path of the form. */
function specNode(path: string[]): Json | undefined {
  let node: Json | undefined = serviceSpecJsonSchema();
  for (const part of path) {
    node = part === '[]' ? node?.items : node?.properties?.[part];
    node = node?.anyOf
      ? node.anyOf.find((m: Json) => m.const === undefined)
      : node;
  }
  return node;
}

/** Every leaf field of the form with its path. */
function formFields(
  schema: Json,
  path: string[] = [],
): { path: string[]; schema: Json }[] {
  const branches: Json[] = [
    schema,
    ...Object.values<Json>(schema.dependencies ?? {}).flatMap(
      d => d.oneOf ?? [],
    ),
  ];
  return branches.flatMap(branch =>
    Object.entries<Json>(branch.properties ?? {}).flatMap(
      ([name, property]) => {
        if (property.properties || property.dependencies) {
          return formFields(property, [...path, name]);
        }
        if (property.type === 'array' && property.items?.properties) {
          return formFields(property.items, [...path, name, '[]']);
        }
        return property.const === undefined
          ? [{ path: [...path, name], schema: property }]
          : [];
      },
    ),
  );
}

describe('templates/new-api/template.yaml', () => {
  it('is a v1beta3 template with the pages and steps of the issue', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(template.spec.parameters.map((page: Json) => page.title)).toEqual([
      'Service',
      'API routes',
      'Security',
      'Resilience',
      'Observability and SLO',
      'Operations',
      'Repository',
    ]);
    expect(template.spec.steps.map((step: Json) => step.action)).toEqual([
      'fetch:template',
      'mesh-gateway:generate',
      'mesh-gateway:validate',
      'publish:github',
      'catalog:register',
    ]);
    expect(template.spec.output.links.map((link: Json) => link.title)).toEqual([
      'Repository',
      'Open in catalog',
    ]);
  });

  it('asks for spec fields only, with the spec defaults, patterns and ranges', () => {
    const fields = template.spec.parameters.flatMap((page: Json) =>
      formFields(page),
    );
    const specFields = fields.filter(
      (f: { path: string[] }) => f.path[0] !== 'repoUrl',
    );
    expect(specFields.length).toBeGreaterThan(40);
    const normalise = (keyword: string, value: unknown) =>
      keyword === 'pattern' && typeof value === 'string'
        ? new RegExp(value).source
        : value;
    const keywords = [
      'default',
      'pattern',
      'minimum',
      'maximum',
      'maxLength',
      'enum',
    ];
    const compared = specFields.flatMap(
      ({ path, schema }: { path: string[]; schema: Json }) => {
        const spec = specNode(path) ?? {};
        return keywords
          .filter(keyword => schema[keyword] !== undefined)
          .map(keyword => ({
            where: `${path.join('.')} ${keyword}`,
            form: normalise(keyword, schema[keyword]),
            spec: normalise(keyword, spec[keyword] ?? spec.items?.[keyword]),
          }));
      },
    );
    expect(compared.length).toBeGreaterThan(60);
    expect(
      compared.filter(
        (c: Json) => JSON.stringify(c.form) !== JSON.stringify(c.spec),
      ),
    ).toEqual([]);
  });

  describe('run through the scaffolder backend in dry-run mode', () => {
    // publish:github comes from @backstage/plugin-scaffolder-backend-module-github; a dry run
    // skips it, so a stand-in with the same outputs is enough here.
    const publishStandIn = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'publish-github-stand-in',
      register({ registerInit }) {
        registerInit({
          deps: { scaffolder: scaffolderActionsExtensionPoint },
          async init({ scaffolder }) {
            scaffolder.addActions(
              createTemplateAction({
                id: 'publish:github',
                schema: {
                  input: {
                    repoUrl: z => z.string(),
                    description: z => z.string().optional(),
                    defaultBranch: z => z.string().optional(),
                    repoVisibility: z => z.string().optional(),
                  },
                  output: {
                    remoteUrl: z => z.string(),
                    repoContentsUrl: z => z.string(),
                  },
                },
                async handler() {
                  throw new Error('publish:github must not run in a dry run');
                },
              }),
            );
          },
        });
      },
    });

    it('generates and validates the documents configuration from the form defaults', async () => {
      const { server } = await startTestBackend({
        features: [
          scaffolderPlugin,
          scaffolderModuleMeshGateway,
          publishStandIn,
          catalogServiceMock.factory(),
        ],
      });

      const defaults = Object.assign(
        {},
        ...template.spec.parameters.map(
          (page: Json) => formDefaults(page) ?? {},
        ),
      );
      const values = {
        ...defaults,
        name: 'ai-agent',
        namespace: 'parallel-ai',
        owner: 'group:default/platform',
        auth: { ...defaults.auth, issuer: 'https://auth.example.com' },
        repoUrl: 'github.com?owner=acme&repo=ai-agent',
      };
      const directoryContents = listFiles(TEMPLATE_DIR).map(path => ({
        path: relative(TEMPLATE_DIR, path),
        base64Content: readFileSync(path).toString('base64'),
      }));

      const response = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', mockCredentials.user.header())
        .send({ template, values, secrets: {}, directoryContents });

      const log = (response.body.log ?? [])
        .map((entry: Json) => entry.body?.message)
        .join('\n');
      expect({
        status: response.status,
        body: response.status === 200 ? 'ok' : response.body,
      }).toEqual({
        status: 200,
        body: 'ok',
      });
      expect(log).toContain('Wrote kong/kong.yaml');
      expect(log).toMatch(
        /files are valid against the schemas and the baseline/,
      );
      expect(log).toContain(
        'Skipping because publish:github does not support dry-run',
      );

      const files = Object.fromEntries(
        (response.body.directoryContents as Json[]).map(file => [
          file.path,
          Buffer.from(file.base64Content, 'base64').toString('utf8'),
        ]),
      );
      // The skeleton: README rendered, the workflow copied without templating.
      expect(files['README.md']).toContain('# ai-agent');
      expect(files['README.md']).toContain('Namespace: `parallel-ai`');
      expect(files['.github/workflows/validate.yaml']).toContain(
        '${{ env.DECK_VERSION }}',
      );
      // The generated configuration is exactly the documents' configuration (the golden files).
      for (const path of listFiles(GOLDEN_DIR)) {
        const name = relative(GOLDEN_DIR, path);
        expect({ name, content: comparable(name, files[name]) }).toEqual({
          name,
          content: comparable(name, readFileSync(path, 'utf8')),
        });
      }
      expect(response.body.output.links[1]).toEqual(
        expect.objectContaining({ title: 'Open in catalog' }),
      );
    });
  });
});
