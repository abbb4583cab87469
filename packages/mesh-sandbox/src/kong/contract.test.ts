import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import OpenAPIRequestValidator from 'openapi-request-validator';
import { parse } from 'yaml';
import { httpGet } from '../testing/httpGet';
import { buildAdrKongDataset } from './adrDataset';
import { KongDatasetBuilder } from './dataset';
import { loadDeckDump } from './deck';
import { SANDBOX_EDGE_CERTIFICATE } from './sandboxCertificate';
import { KongAdminServer, startKongAdminServer } from './server';

/*
 * Contract test: every entity the sandbox serves must validate against Kong's own OpenAPI
 * description of the OSS 3.9 Admin API (shared/contracts/kong/admin-oss-3.9.openapi.yaml), and
 * the requests it accepts must be requests the spec allows.
 *
 * The spec is docs-grade; where it is wrong the test says so and works around it explicitly:
 *  - the `list-service` 200 schema points at a single `Service`, not at a list envelope, and
 *    several list operations (`/plugins`, `/snis`, `/certificates/{}/snis`, ...) give no schema:
 *    every list is checked as `data[]` items against the entity schema plus an explicit envelope
 *    built on `pagination-offset-response`;
 *  - entity schemas never say `nullable`, yet Kong serialises unset fields as JSON null (the
 *    spec's own examples show `tls_verify_depth: null` and `anonymous: null`): every property is
 *    made nullable before validating;
 *  - `Vault.config.prefix` is given an enum of configuration key names while the spec's own
 *    example uses `prefix: SSL_`: the enum is dropped;
 *  - the plugins-of-a-service path is misspelt `/services/{service_id_or_name}plugins`;
 *  - `/upstreams/{}/health` is missing (its shape comes from Kong's source, FACTS.md): its items
 *    are checked as Targets plus the `health` enum.
 * Consumer credentials (key-auth, jwt, ...) are plugin endpoints and are not in the spec.
 */

const CONTRACTS = path.resolve(__dirname, '../../../../../shared/contracts');
const spec = parse(
  readFileSync(path.join(CONTRACTS, 'kong/admin-oss-3.9.openapi.yaml'), 'utf8'),
);

type Schema = Record<string, any>;

/**
 * Prepares a spec schema for ajv: drops examples (under draft-04 an example's `id` would be read
 * as a schema id) and makes every property nullable (see above).
 */
function prepare(schema: unknown): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    return;
  const s = schema as Schema;
  delete s.example;
  delete s.examples;
  delete s['x-examples'];
  for (const property of Object.values<Schema>(s.properties ?? {})) {
    if (property && typeof property === 'object' && property.type) {
      property.nullable = true;
    }
    prepare(property);
  }
  for (const key of ['items', 'additionalProperties', 'not']) prepare(s[key]);
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    (s[key] ?? []).forEach(prepare);
}

const schemas: Record<string, Schema> = structuredClone(
  spec.components.schemas,
);
Object.values(schemas).forEach(prepare);
delete schemas.Vault.properties.config.properties.prefix.enum;

const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
addFormats(ajv);
// OpenAPI's `format: host` (Certificate.snis): a DNS name, wildcards allowed.
ajv.addFormat(
  'host',
  /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i,
);
ajv.addSchema({ id: 'kong-oss.json', components: { schemas } });

const validatorFor = (name: string) => {
  const validate = ajv.getSchema(`kong-oss.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the spec`);
  return validate;
};

/** Compiles a schema taken from the spec's paths, its `$ref`s pointing at the patched components. */
function compileSpecSchema(schema: Schema) {
  const copy = JSON.parse(
    JSON.stringify(schema).replace(
      /"#\/components/g,
      '"kong-oss.json#/components',
    ),
  );
  prepare(copy);
  return ajv.compile(copy);
}

const envelopeValidator = ajv.compile({
  type: 'object',
  required: ['data', 'next'],
  additionalProperties: false,
  properties: {
    data: { type: 'array' },
    offset: {
      $ref: 'kong-oss.json#/components/schemas/pagination-offset-response',
    },
    next: { type: 'string', nullable: true, pattern: '^/' },
  },
});

/**
 * Fields Kong 3.9 returns that the docs-grade spec leaves out: `updated_at` (added to these
 * entities in Kong 3.5) and plugin `ordering`. Anything else not in the schema is a sandbox bug.
 */
const UNDOCUMENTED_FIELDS: Record<string, string[]> = {
  Upstream: ['updated_at'],
  Target: ['updated_at'],
  Consumer: ['updated_at'],
  Certificate: ['updated_at'],
  SNI: ['updated_at'],
  'CA-Certificate': ['updated_at'],
  Plugin: ['ordering'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectEntity(
  schemaName: string,
  entity: Record<string, unknown>,
  where: string,
) {
  const validate = validatorFor(schemaName);
  if (!validate(entity)) {
    throw new Error(
      `${where}: not a valid ${schemaName}: ${ajv.errorsText(validate.errors)}`,
    );
  }
  const declared = Object.keys(schemas[schemaName].properties);
  const extra = Object.keys(entity).filter(
    key =>
      !declared.includes(key) &&
      !(UNDOCUMENTED_FIELDS[schemaName] ?? []).includes(key),
  );
  expect({ where, extra }).toEqual({ where, extra: [] });
  expect(entity.id).toMatch(UUID);
}

interface Endpoint {
  /** Path template as written in the spec. */
  specPath: string;
  path: string;
  schema: string;
  list: boolean;
}

function endpoints(ds: ReturnType<typeof buildAdrKongDataset>): Endpoint[] {
  // Pick parents that have children, so that nested lists are not empty.
  const routePlugin = ds.plugins.find(p => p.route);
  const consumerPlugin = ds.plugins.find(p => p.consumer);
  const service =
    ds.services.find(x => ds.routes.some(r => r.service?.id === x.id)) ??
    ds.services[0];
  const route =
    ds.routes.find(r => r.id === routePlugin?.route?.id) ?? ds.routes[0];
  const plugin = ds.plugins[0];
  const upstream = ds.upstreams[0];
  const consumer =
    ds.consumers.find(c => c.id === consumerPlugin?.consumer?.id) ??
    ds.consumers[0];
  const certificate = ds.certificates[0];
  const sni = ds.snis[0];
  const vault = ds.vaults[0];
  const e = (specPath: string, p: string, schema: string, list = false) => ({
    specPath,
    path: p,
    schema,
    list,
  });
  const out: Endpoint[] = [
    e('/services', '/services', 'Service', true),
    e('/services/{service_id_or_name}', `/services/${service.name}`, 'Service'),
    e('/services/{service_id_or_name}', `/services/${service.id}`, 'Service'),
    e(
      '/services/{service_id_or_name}/routes',
      `/services/${service.name}/routes`,
      'Route',
      true,
    ),
    e(
      '/services/{service_id_or_name}plugins',
      `/services/${service.name}/plugins`,
      'Plugin',
      true,
    ),
    e('/routes', '/routes', 'Route', true),
    e('/routes/{route_id_or_name}', `/routes/${route.id}`, 'Route'),
    e(
      '/routes/{route_id_or_name}/plugins',
      `/routes/${route.id}/plugins`,
      'Plugin',
      true,
    ),
    e('/plugins', '/plugins', 'Plugin', true),
    e('/plugins/{plugin_id}', `/plugins/${plugin.id}`, 'Plugin'),
    e('/upstreams', '/upstreams', 'Upstream', true),
    e(
      '/upstreams/{upstream_id_or_name}',
      `/upstreams/${upstream.name}`,
      'Upstream',
    ),
    e(
      '/upstreams/{upstream_id_or_name}/targets',
      `/upstreams/${upstream.name}/targets`,
      'Target',
      true,
    ),
    e('/consumers', '/consumers', 'Consumer', true),
    e(
      '/consumers/{consumer_username_or_id}',
      `/consumers/${consumer.id}`,
      'Consumer',
    ),
    e(
      '/consumers/{consumer_username_or_id}/plugins',
      `/consumers/${consumer.id}/plugins`,
      'Plugin',
      true,
    ),
    e('/certificates', '/certificates', 'Certificate', true),
    e(
      '/certificates/{certificate_id}',
      `/certificates/${certificate.id}`,
      'Certificate',
    ),
    e(
      '/certificates/{certificate_name_or_id}/snis',
      `/certificates/${certificate.id}/snis`,
      'SNI',
      true,
    ),
    e('/snis', '/snis', 'SNI', true),
    e('/snis/{sni_name_or_id}', `/snis/${sni.name}`, 'SNI'),
    e('/ca_certificates', '/ca_certificates', 'CA-Certificate', true),
  ];
  if (vault) {
    out.push(
      e('/vaults', '/vaults', 'Vault', true),
      e('/vaults/{vault_id_or_prefix}', `/vaults/${vault.prefix}`, 'Vault'),
    );
  }
  return out;
}

/** The ADR dataset plus what it lacks for full coverage: a CA certificate, a consumer-scoped plugin. */
function adrWithExtras() {
  const kong = KongDatasetBuilder.from(buildAdrKongDataset());
  kong.addCaCertificate({
    cert: SANDBOX_EDGE_CERTIFICATE,
    tags: ['team:platform'],
  });
  kong.addPlugin({
    name: 'rate-limiting',
    consumer: 'mobile-app',
    config: { minute: 120 },
  });
  return kong.build();
}

const datasets = {
  adr: adrWithExtras(),
  deck: loadDeckDump(
    readFileSync(
      path.join(
        CONTRACTS,
        'deck/example-dump-format-3.0-with-credentials.yaml',
      ),
      'utf8',
    ),
  ),
};

describe.each(Object.entries(datasets))(
  'Kong Admin API contract (%s dataset)',
  (_name, dataset) => {
    let server: KongAdminServer;
    beforeAll(async () => {
      server = await startKongAdminServer({ dataset });
    });
    afterAll(() => server.close());

    it.each(endpoints(dataset).map(e => [e.path, e] as const))(
      'GET %s matches the spec',
      async (_p, endpoint) => {
        // The spec really lists this path and a GET on it.
        expect(spec.paths[endpoint.specPath]?.get).toBeDefined();
        const response = await httpGet(
          server.url,
          `${endpoint.path}?size=1000`,
        );
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe(
          'application/json; charset=utf-8',
        );
        if (endpoint.list) {
          if (!envelopeValidator(response.body)) {
            throw new Error(
              `${endpoint.path}: bad envelope: ${ajv.errorsText(envelopeValidator.errors)}`,
            );
          }
          const listSchema =
            spec.paths[endpoint.specPath].get.responses['200']?.content?.[
              'application/json'
            ]?.schema;
          if (listSchema?.properties?.data) {
            // Where the spec does describe the list body, it must hold as well.
            const validate = compileSpecSchema(listSchema);
            if (!validate(response.body)) {
              throw new Error(
                `${endpoint.path}: ${ajv.errorsText(validate.errors)}`,
              );
            }
          }
          for (const item of response.body.data) {
            expectEntity(endpoint.schema, item, endpoint.path);
          }
        } else {
          expectEntity(endpoint.schema, response.body, endpoint.path);
        }
      },
    );

    it('GET /upstreams/{upstream}/health items are Targets with a health state', async () => {
      const upstream = dataset.upstreams[0];
      const response = await httpGet(
        server.url,
        `/upstreams/${upstream.name}/health`,
      );
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual([
        'data',
        'next',
        'node_id',
      ]);
      expect(response.body.node_id).toBe(dataset.node.nodeId);
      expect(response.body.data.length).toBeGreaterThan(0);
      for (const { health, data, ...target } of response.body.data) {
        expect([
          'HEALTHY',
          'UNHEALTHY',
          'DNS_ERROR',
          'HEALTHCHECKS_OFF',
        ]).toContain(health);
        expect(data.addresses.length).toBeGreaterThan(0);
        expectEntity('Target', target, 'health');
      }
    });

    it('GET / and GET /status match the spec', async () => {
      for (const p of ['/', '/status']) {
        const response = await httpGet(server.url, p);
        expect(response.status).toBe(200);
        const validate = compileSpecSchema(
          spec.paths[p].get.responses['200'].content['application/json'].schema,
        );
        if (!validate(response.body))
          throw new Error(`${p}: ${ajv.errorsText(validate.errors)}`);
      }
    });
  },
);

it('serves every entity kind at least once across the datasets', async () => {
  // Guards the test above: an empty list validates trivially.
  const counted = new Map<string, number>();
  for (const dataset of Object.values(datasets)) {
    const server = await startKongAdminServer({ dataset });
    try {
      for (const endpoint of endpoints(dataset).filter(e => e.list)) {
        const { body } = await httpGet(
          server.url,
          `${endpoint.path}?size=1000`,
        );
        counted.set(
          endpoint.specPath,
          (counted.get(endpoint.specPath) ?? 0) + body.data.length,
        );
      }
    } finally {
      await server.close();
    }
  }
  for (const [specPath, n] of counted) {
    expect({ specPath, served: n > 0 }).toEqual({ specPath, served: true });
  }
});

describe('requests the server accepts are requests the spec allows', () => {
  let server: KongAdminServer;
  beforeAll(async () => {
    server = await startKongAdminServer({ dataset: datasets.adr });
  });
  afterAll(() => server.close());

  const resolveRef = (p: Schema): Schema =>
    p.$ref
      ? spec.components.parameters[
          p.$ref.replace('#/components/parameters/', '')
        ]
      : p;

  function requestValidator(specPath: string) {
    const pathItem = spec.paths[specPath];
    // Operation parameters override path-item ones of the same name and location (OpenAPI 3.0);
    // the spec declares some path parameters at both levels.
    const byKey = new Map<string, Schema>();
    for (const p of [
      ...(pathItem.parameters ?? []),
      ...(pathItem.get.parameters ?? []),
    ].map(resolveRef)) {
      byKey.set(`${p.in}:${p.name}`, p);
    }
    const parameters = [...byKey.values()];
    return {
      parameters,
      validator: new OpenAPIRequestValidator({
        parameters,
        schemas: {},
      } as any),
    };
  }

  /** openapi-request-validator does not coerce: turn integer query values into numbers first. */
  function coerce(parameters: Schema[], query: Record<string, string>) {
    const out: Record<string, unknown> = { ...query };
    for (const p of parameters) {
      if (
        p.in === 'query' &&
        p.schema?.type === 'integer' &&
        /^-?\d+$/.test(query[p.name] ?? '')
      ) {
        out[p.name] = Number(query[p.name]);
      }
    }
    return out;
  }

  const lists: [string, string, Record<string, string>][] = [
    ['/services', '/services', {}],
    ['/routes', '/routes', {}],
    ['/plugins', '/plugins', {}],
    ['/upstreams', '/upstreams', {}],
    ['/consumers', '/consumers', {}],
    ['/certificates', '/certificates', {}],
    ['/snis', '/snis', {}],
    ['/vaults', '/vaults', {}],
    [
      '/services/{service_id_or_name}/routes',
      '/services/user-service/routes',
      { service_id_or_name: 'user-service' },
    ],
    [
      '/routes/{route_id_or_name}/plugins',
      '/routes/analytics-service-api/plugins',
      { route_id_or_name: 'analytics-service-api' },
    ],
    [
      '/upstreams/{upstream_id_or_name}/targets',
      '/upstreams/analytics-upstream/targets',
      { upstream_id_or_name: 'analytics-upstream' },
    ],
  ];

  it.each(lists)(
    '%s: size, offset and tags as the spec defines them',
    async (specPath, urlPath, params) => {
      const { parameters, validator } = requestValidator(specPath);
      const check = async (query: Record<string, string>) => {
        const errors = validator.validateRequest({
          headers: {},
          params,
          query: coerce(parameters, query),
        });
        const response = await httpGet(
          server.url,
          `${urlPath}?${new URLSearchParams(query)}`,
        );
        return { specAllows: errors === undefined, status: response.status };
      };
      for (const size of ['1', '100', '1000']) {
        expect(await check({ size })).toEqual({
          specAllows: true,
          status: 200,
        });
      }
      for (const size of ['0', '1001', 'abc']) {
        expect(await check({ size })).toEqual({
          specAllows: false,
          status: 400,
        });
      }
      expect(
        await check({ tags: 'team:identity,service:user-service' }),
      ).toEqual({ specAllows: true, status: 200 });
      // An offset the server handed out is accepted back (single-page lists have none to give).
      const first = await httpGet(server.url, `${urlPath}?size=1`);
      const paging: Record<string, string> = first.body.offset
        ? { offset: first.body.offset, size: '1' }
        : { size: '1' };
      expect(await check(paging)).toEqual({ specAllows: true, status: 200 });
    },
  );
});
