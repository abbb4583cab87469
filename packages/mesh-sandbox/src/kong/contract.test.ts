import { generateKeyPairSync } from 'node:crypto';
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
 *  - `/key-sets` and `/key-sets/{}` point their 200 at `key-set-response`, a single key set
 *    with a `next` property: items are checked against the `Key-set` schema instead;
 *  - `/key-sets/{}/keys` is missing (Kong generates it from the `set` foreign key; the spec's own
 *    `/endpoints` example and the EE spec list it): its items are checked as `Key`s.
 * Consumer credentials (key-auth, jwt, oauth2, ...) and oauth2 tokens are plugin endpoints and are
 * not in the spec: oauth2 credentials are checked against decK's `Oauth2Credential`
 * (shared/contracts/deck/kong_json_schema.json); oauth2 tokens have no schema in any contract
 * file, so they are checked against one written here from kong/plugins/oauth2/daos.lua.
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

/*
 * decK's JSON schema, for the oauth2 credential (the OSS spec has none). Made nullable like the
 * spec's schemas: decK leaves unset fields out, Kong serves them as null.
 */
const deckSchema = JSON.parse(
  readFileSync(path.join(CONTRACTS, 'deck/kong_json_schema.json'), 'utf8'),
);
const deckDefinitions: Record<string, Schema> = structuredClone(
  deckSchema.definitions,
);
Object.values(deckDefinitions).forEach(prepare);
ajv.addSchema({ id: 'deck.json', definitions: deckDefinitions });
const oauth2CredentialValidator = ajv.getSchema(
  'deck.json#/definitions/Oauth2Credential',
)!;

/**
 * No contract file describes an oauth2 token: this is kong/plugins/oauth2/daos.lua
 * (`oauth2_tokens`, Kong 3.9) as the Admin API serves it, `ttl` included (a TTL entity).
 */
const oauth2TokenValidator = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'created_at',
    'service',
    'credential',
    'token_type',
    'expires_in',
    'access_token',
    'refresh_token',
    'authenticated_userid',
    'scope',
    'ttl',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    created_at: { type: 'integer' },
    service: {
      type: 'object',
      nullable: true,
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string', format: 'uuid' } },
    },
    credential: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string', format: 'uuid' } },
    },
    token_type: { type: 'string', enum: ['bearer'] },
    expires_in: { type: 'integer' },
    access_token: { type: 'string', minLength: 1 },
    refresh_token: { type: 'string', nullable: true, minLength: 1 },
    authenticated_userid: { type: 'string', nullable: true },
    scope: { type: 'string', nullable: true },
    ttl: { type: 'integer', nullable: true },
  },
});

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
  const key = ds.keys?.find(k => k.name !== null);
  const keySet = ds.keySets?.find(k => k.name !== null);
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
  if (key && keySet) {
    out.push(
      e('/keys', '/keys', 'Key', true),
      e('/keys/{key_id_or_name}', `/keys/${key.name}`, 'Key'),
      e('/keys/{key_id_or_name}', `/keys/${key.id}`, 'Key'),
      e('/key-sets', '/key-sets', 'Key-set', true),
      e(
        '/key-sets/{key-set_id_or_name}',
        `/key-sets/${keySet.name}`,
        'Key-set',
      ),
    );
  }
  return out;
}

/**
 * The ADR dataset plus what it lacks for full coverage: a CA certificate, a consumer-scoped plugin,
 * keys (a JWK in a key set, a PEM pair outside), oauth2 credentials and tokens.
 */
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
  const tags = ['team:identity'];
  const set = kong.addKeySet({ name: 'idp-signing', tags });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  kong.addKey({
    name: 'idp-signing-2025',
    set: set.id,
    kid: 'idp-2025',
    jwk: JSON.stringify({
      ...ec.privateKey.export({ format: 'jwk' }),
      kid: 'idp-2025',
      alg: 'ES256',
    }),
    tags,
  });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  kong.addKey({
    name: 'edge-mtls',
    kid: 'edge-mtls-1',
    pem: {
      private_key: rsa.privateKey
        .export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      public_key: rsa.publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    },
  });
  const mobile = kong.addOAuth2Credential({
    consumer: 'mobile-app',
    name: 'mobile-app-oauth',
    redirect_uris: ['https://app.parallel-ai.example.com/oauth/callback'],
    tags: ['team:mobile'],
  });
  kong.addOAuth2Credential({
    consumer: 'mobile-app',
    name: 'mobile-app-machine',
    hash_secret: true,
    client_type: 'confidential',
  });
  kong.addOAuth2Token({
    credential: mobile.client_id,
    service: 'user-service',
    refresh_token: 'sbx-refresh-token-1',
    scope: 'profile',
    authenticated_userid: 'user-42',
    ttl: 1209600,
  });
  kong.addOAuth2Token({ credential: mobile.id, expires_in: 3600 });
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

describe('Kong Admin API contract: endpoints the OSS spec lacks (adr dataset)', () => {
  const dataset = datasets.adr;
  let server: KongAdminServer;
  beforeAll(async () => {
    server = await startKongAdminServer({ dataset });
  });
  afterAll(() => server.close());

  /** Reads a list with `size=1`, following `next`, checking every envelope on the way. */
  async function readAll(first: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let next: string | null = first;
    while (next) {
      const response = await httpGet(server.url, next);
      expect(response.status).toBe(200);
      if (!envelopeValidator(response.body)) {
        throw new Error(
          `${next}: bad envelope: ${ajv.errorsText(envelopeValidator.errors)}`,
        );
      }
      items.push(...response.body.data);
      next = response.body.next;
    }
    return items;
  }

  const check = (
    validate: typeof oauth2TokenValidator,
    entity: unknown,
    where: string,
  ) => {
    if (!validate(entity)) {
      throw new Error(`${where}: ${ajv.errorsText(validate.errors)}`);
    }
  };

  it('GET /key-sets/{}/keys (not in the OSS spec): Keys of that set', async () => {
    expect(spec.paths['/key-sets/{key-set_id_or_name}/keys']).toBeUndefined();
    const keySet = dataset.keySets![0];
    const keys = await readAll(`/key-sets/${keySet.name}/keys?size=1`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expectEntity('Key', key, '/key-sets/{}/keys');
      expect(key.set).toEqual({ id: keySet.id });
    }
    const one = await httpGet(
      server.url,
      `/key-sets/${keySet.id}/keys/${keys[0].name}`,
    );
    expectEntity('Key', one.body, '/key-sets/{}/keys/{}');
  });

  it("oauth2 credentials (not in the OSS spec) match decK's Oauth2Credential", async () => {
    expect(spec.paths['/oauth2']).toBeUndefined();
    const consumer = dataset.consumers.find(c =>
      dataset.oauth2Credentials!.some(o => o.consumer.id === c.id),
    )!;
    const all = await readAll('/oauth2?size=1');
    const nested = await readAll(`/consumers/${consumer.username}/oauth2`);
    expect(all.length).toBe(dataset.oauth2Credentials!.length);
    expect(nested.length).toBeGreaterThan(0);
    for (const credential of [...all, ...nested]) {
      check(oauth2CredentialValidator as any, credential, '/oauth2');
      expect(credential.id).toMatch(UUID);
      const byClientId = await httpGet(
        server.url,
        `/oauth2/${credential.client_id}`,
      );
      expect(byClientId.body).toEqual(credential);
    }
    // The check can fail: decK's schema has no room for fields Kong does not serve.
    expect(oauth2CredentialValidator({ ...all[0], ttl: null })).toBe(false);
  });

  it('oauth2 tokens (in no contract file) match kong/plugins/oauth2/daos.lua', async () => {
    expect(spec.paths['/oauth2_tokens']).toBeUndefined();
    const credential = dataset.oauth2Credentials![0];
    const token = dataset.oauth2Tokens!.find(t => t.service)!;
    const lists = [
      '/oauth2_tokens?size=1',
      `/oauth2/${credential.client_id}/oauth2_tokens?size=1`,
      `/services/${token.service!.id}/oauth2_tokens`,
    ];
    for (const list of lists) {
      const tokens = await readAll(list);
      expect({ list, served: tokens.length > 0 }).toEqual({
        list,
        served: true,
      });
      for (const item of tokens) check(oauth2TokenValidator, item, list);
    }
    const byAccessToken = await httpGet(
      server.url,
      `/oauth2_tokens/${encodeURIComponent(token.access_token)}`,
    );
    check(oauth2TokenValidator, byAccessToken.body, '/oauth2_tokens/{}');
    expect(oauth2TokenValidator({ ...byAccessToken.body, tags: null })).toBe(
      false,
    );
    // Authorization codes have no Admin API (`generate_admin_api = false`).
    expect(
      (await httpGet(server.url, '/oauth2_authorization_codes')).status,
    ).toBe(404);
  });
});

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
    ['/keys', '/keys', {}],
    ['/key-sets', '/key-sets', {}],
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
