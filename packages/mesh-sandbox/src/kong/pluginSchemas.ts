/**
 * Config schemas of the bundled plugins the sandbox knows, written in Kong's own schema format
 * (kong/plugins/<name>/schema.lua as served by `GET /schemas/plugins/{name}`): fields are arrays
 * of one-key objects, secrets carry `encrypted: true` and/or `referenceable: true`.
 * They are used twice: to serve `/schemas/plugins/{name}` and to fill a plugin's `config` with
 * Kong's defaults (Kong returns every config field, `null` when unset).
 */

/** One field of a Kong schema. @public */
export type KongSchemaField =
  | {
      type: 'string' | 'number' | 'integer' | 'boolean';
      default?: unknown;
      required?: boolean;
      one_of?: unknown[];
      encrypted?: true;
      referenceable?: true;
      uuid?: true;
    }
  | {
      type: 'array' | 'set';
      elements: KongSchemaField;
      default?: unknown[];
      required?: boolean;
    }
  | {
      type: 'map';
      keys: KongSchemaField;
      values: KongSchemaField;
      default?: Record<string, unknown>;
      required?: boolean;
    }
  | {
      type: 'record';
      fields: Record<string, KongSchemaField>[];
      required?: boolean;
      default?: Record<string, unknown>;
    };

const str = (extra: Partial<Record<string, unknown>> = {}): KongSchemaField =>
  ({ type: 'string', ...extra }) as KongSchemaField;
const num = (def?: number): KongSchemaField =>
  def === undefined ? { type: 'number' } : { type: 'number', default: def };
const int = (def?: number): KongSchemaField =>
  def === undefined ? { type: 'integer' } : { type: 'integer', default: def };
const bool = (def: boolean): KongSchemaField => ({
  type: 'boolean',
  default: def,
});
const set = (def?: string[]): KongSchemaField =>
  def === undefined
    ? { type: 'set', elements: { type: 'string' } }
    : { type: 'set', elements: { type: 'string' }, default: def };
const arr = (def?: string[]): KongSchemaField =>
  def === undefined
    ? { type: 'array', elements: { type: 'string' } }
    : { type: 'array', elements: { type: 'string' }, default: def };
const secret = (): KongSchemaField => ({
  type: 'string',
  encrypted: true,
  referenceable: true,
});
const record = (
  fields: Record<string, KongSchemaField>[],
): KongSchemaField => ({
  type: 'record',
  required: true,
  fields,
});
const headerMap = (): KongSchemaField => ({
  type: 'map',
  keys: { type: 'string' },
  values: { type: 'string', referenceable: true },
});

const queue = record([
  { max_batch_size: int(1) },
  { max_coalescing_delay: num(1) },
  { max_entries: int(10000) },
  { max_bytes: int() },
  { max_retry_time: num(60) },
  { initial_retry_delay: num(0.01) },
  { max_retry_delay: num(60) },
  { concurrency_limit: int(1) },
]);

/** kong/tools/redis/schema.lua */
const redis = record([
  { host: str() },
  { port: int(6379) },
  { timeout: int(2000) },
  { username: str({ referenceable: true }) },
  { password: secret() },
  { database: int(0) },
  { ssl: bool(false) },
  { ssl_verify: bool(false) },
  { server_name: str() },
]);

const transformerSection = (
  names: string[],
  extra: Record<string, KongSchemaField>[] = [],
) => record([...names.map(name => ({ [name]: arr([]) })), ...extra]);

const PROTOCOLS_HTTP = ['grpc', 'grpcs', 'http', 'https'];
const PROTOCOLS_ALL = [
  'grpc',
  'grpcs',
  'http',
  'https',
  'tcp',
  'tls',
  'tls_passthrough',
  'udp',
  'ws',
  'wss',
];

interface PluginDefinition {
  /** Protocols the plugin accepts; the HTTP ones among them are the default. */
  protocols: string[];
  /** Authentication plugins cannot be scoped to a consumer (`typedefs.no_consumer`). */
  noConsumer?: true;
  config: Record<string, KongSchemaField>[];
}

const PLUGINS: Record<string, PluginDefinition> = {
  jwt: {
    noConsumer: true,
    protocols: PROTOCOLS_HTTP,
    config: [
      { uri_param_names: set(['jwt']) },
      { cookie_names: set([]) },
      { key_claim_name: str({ default: 'iss' }) },
      { secret_is_base64: bool(false) },
      {
        claims_to_verify: {
          type: 'set',
          elements: { type: 'string', one_of: ['exp', 'nbf'] },
        },
      },
      { anonymous: str() },
      { run_on_preflight: bool(true) },
      { maximum_expiration: num(0) },
      { header_names: set(['authorization']) },
      { realm: str() },
    ],
  },
  'key-auth': {
    noConsumer: true,
    protocols: [...PROTOCOLS_HTTP, 'ws', 'wss'],
    config: [
      { key_names: arr(['apikey']) },
      { hide_credentials: bool(false) },
      { anonymous: str() },
      { key_in_header: bool(true) },
      { key_in_query: bool(true) },
      { key_in_body: bool(false) },
      { run_on_preflight: bool(true) },
      { realm: str() },
    ],
  },
  'basic-auth': {
    noConsumer: true,
    protocols: [...PROTOCOLS_HTTP, 'ws', 'wss'],
    config: [
      { anonymous: str() },
      { hide_credentials: bool(false) },
      { realm: str({ default: 'service' }) },
    ],
  },
  'hmac-auth': {
    noConsumer: true,
    protocols: PROTOCOLS_HTTP,
    config: [
      { hide_credentials: bool(false) },
      { clock_skew: num(300) },
      { anonymous: str() },
      { validate_request_body: bool(false) },
      { enforce_headers: arr([]) },
      {
        algorithms: arr([
          'hmac-sha1',
          'hmac-sha256',
          'hmac-sha384',
          'hmac-sha512',
        ]),
      },
      { realm: str() },
    ],
  },
  acl: {
    noConsumer: true,
    protocols: [...PROTOCOLS_HTTP, 'ws', 'wss'],
    config: [
      { allow: arr() },
      { deny: arr() },
      { hide_groups_header: bool(false) },
      { include_consumer_groups: bool(false) },
      { always_use_authenticated_groups: bool(false) },
    ],
  },
  'request-transformer': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { http_method: str() },
      { remove: transformerSection(['body', 'headers', 'querystring']) },
      { rename: transformerSection(['body', 'headers', 'querystring']) },
      {
        replace: transformerSection(
          ['body', 'headers', 'querystring'],
          [{ uri: str() }],
        ),
      },
      { add: transformerSection(['body', 'headers', 'querystring']) },
      { append: transformerSection(['body', 'headers', 'querystring']) },
    ],
  },
  'response-transformer': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { remove: transformerSection(['json', 'headers']) },
      { rename: transformerSection(['headers', 'json']) },
      { replace: transformerSection(['json', 'json_types', 'headers']) },
      { add: transformerSection(['json', 'json_types', 'headers']) },
      { append: transformerSection(['json', 'json_types', 'headers']) },
    ],
  },
  prometheus: {
    protocols: PROTOCOLS_ALL,
    config: [
      { per_consumer: bool(false) },
      { status_code_metrics: bool(false) },
      { ai_metrics: bool(false) },
      { latency_metrics: bool(false) },
      { bandwidth_metrics: bool(false) },
      { upstream_health_metrics: bool(false) },
    ],
  },
  opentelemetry: {
    protocols: PROTOCOLS_HTTP,
    config: [
      { traces_endpoint: str() },
      { logs_endpoint: str() },
      { headers: headerMap() },
      {
        resource_attributes: {
          type: 'map',
          keys: { type: 'string' },
          values: { type: 'string' },
        },
      },
      { queue },
      { batch_span_count: int() },
      { batch_flush_delay: int() },
      { connect_timeout: int(1000) },
      { send_timeout: int(5000) },
      { read_timeout: int(5000) },
      { http_response_header_for_traceid: str() },
      { header_type: str({ default: 'preserve' }) },
      { sampling_rate: num() },
      {
        propagation: record([
          { extract: arr() },
          { inject: arr() },
          { clear: arr() },
          { default_format: str({ default: 'w3c' }) },
        ]),
      },
    ],
  },
  'rate-limiting': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { second: num() },
      { minute: num() },
      { hour: num() },
      { day: num() },
      { month: num() },
      { year: num() },
      { limit_by: str({ default: 'consumer' }) },
      { header_name: str() },
      { path: str() },
      { policy: str({ default: 'local' }) },
      { fault_tolerant: bool(true) },
      { redis },
      { hide_client_headers: bool(false) },
      { error_code: num(429) },
      { error_message: str({ default: 'API rate limit exceeded' }) },
      { sync_rate: num(-1) },
    ],
  },
  'response-ratelimiting': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { header_name: str({ default: 'x-kong-limit' }) },
      { limit_by: str({ default: 'consumer' }) },
      { policy: str({ default: 'local' }) },
      { fault_tolerant: bool(true) },
      { redis },
      { block_on_first_violation: bool(false) },
      { hide_client_headers: bool(false) },
      {
        limits: {
          type: 'map',
          keys: { type: 'string' },
          values: { type: 'record', fields: [] },
        },
      },
    ],
  },
  cors: {
    noConsumer: true,
    protocols: PROTOCOLS_HTTP,
    config: [
      { origins: arr() },
      { headers: arr() },
      { exposed_headers: arr() },
      {
        methods: arr([
          'GET',
          'HEAD',
          'PUT',
          'PATCH',
          'POST',
          'DELETE',
          'OPTIONS',
          'TRACE',
          'CONNECT',
        ]),
      },
      { max_age: num() },
      { credentials: bool(false) },
      { private_network: bool(false) },
      { preflight_continue: bool(false) },
    ],
  },
  'http-log': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { http_endpoint: secret() },
      { method: str({ default: 'POST' }) },
      { content_type: str({ default: 'application/json' }) },
      { timeout: num(10000) },
      { keepalive: num(60000) },
      { retry_count: int() },
      { queue_size: int() },
      { flush_timeout: num() },
      { headers: headerMap() },
      { queue },
      {
        custom_fields_by_lua: {
          type: 'map',
          keys: { type: 'string' },
          values: { type: 'string' },
        },
      },
    ],
  },
  session: {
    noConsumer: true,
    protocols: PROTOCOLS_HTTP,
    config: [
      { secret: secret() },
      { storage: str({ default: 'cookie' }) },
      { audience: str({ default: 'default' }) },
      { cookie_name: str({ default: 'session' }) },
      { rolling_timeout: num(3600) },
      { idle_timeout: num(900) },
      { absolute_timeout: num(86400) },
      { cookie_secure: bool(true) },
      { cookie_http_only: bool(true) },
      { cookie_same_site: str({ default: 'Strict' }) },
    ],
  },
  oauth2: {
    noConsumer: true,
    protocols: PROTOCOLS_HTTP,
    config: [
      { scopes: arr() },
      { mandatory_scope: bool(false) },
      { provision_key: { type: 'string', encrypted: true } },
      { token_expiration: num(7200) },
      { enable_authorization_code: bool(false) },
      { enable_implicit_grant: bool(false) },
      { enable_client_credentials: bool(false) },
      { enable_password_grant: bool(false) },
      { hide_credentials: bool(false) },
      { accept_http_if_already_terminated: bool(false) },
      { anonymous: str() },
      { global_credentials: bool(false) },
      { auth_header_name: str({ default: 'authorization' }) },
      { refresh_token_ttl: num(1209600) },
      { reuse_refresh_token: bool(false) },
      { pkce: str({ default: 'lax' }) },
      { realm: str() },
    ],
  },
  'aws-lambda': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { timeout: num(60000) },
      { keepalive: num(60000) },
      { aws_key: secret() },
      { aws_secret: secret() },
      { aws_assume_role_arn: secret() },
      { aws_role_session_name: str({ default: 'kong' }) },
      { aws_region: str() },
      { function_name: str() },
      { qualifier: str() },
      { invocation_type: str({ default: 'RequestResponse' }) },
      { log_type: str({ default: 'Tail' }) },
    ],
  },
  'azure-functions': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { timeout: num(600000) },
      { keepalive: num(60000) },
      { https: bool(true) },
      { https_verify: bool(false) },
      { apikey: secret() },
      { clientid: secret() },
      { appname: str() },
      { hostdomain: str({ default: 'azurewebsites.net' }) },
      { routeprefix: str({ default: 'api' }) },
      { functionname: str() },
    ],
  },
  loggly: {
    protocols: PROTOCOLS_HTTP,
    config: [
      { host: str({ default: 'logs-01.loggly.com' }) },
      { port: int(514) },
      { key: secret() },
      { tags: set(['kong']) },
      { log_level: str({ default: 'info' }) },
      { timeout: num(10000) },
    ],
  },
  'standard-webhooks': {
    protocols: PROTOCOLS_HTTP,
    config: [{ secret_v1: secret() }, { tolerance_second: int(300) }],
  },
  'correlation-id': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { header_name: str({ default: 'Kong-Request-ID' }) },
      { generator: str({ default: 'uuid#counter' }) },
      { echo_downstream: bool(false) },
    ],
  },
  'ip-restriction': {
    protocols: [...PROTOCOLS_HTTP, 'tcp', 'tls'],
    config: [
      { allow: arr() },
      { deny: arr() },
      { status: num() },
      { message: str() },
    ],
  },
  'request-size-limiting': {
    protocols: PROTOCOLS_HTTP,
    config: [
      { allowed_payload_size: int(128) },
      { size_unit: str({ default: 'megabytes' }) },
      { require_content_length: bool(false) },
    ],
  },
};

/** Names of the plugins whose schema the sandbox knows. @public */
export const KNOWN_PLUGIN_NAMES: readonly string[] =
  Object.keys(PLUGINS).sort();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep copy of JSON-like data; much faster than structuredClone on many small objects. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = copy(value[key]);
    return out as T;
  }
  return value;
}

function defaultOf(field: KongSchemaField): unknown {
  if (field.default !== undefined) {
    return copy(field.default);
  }
  if (field.type === 'record' && field.required !== false) {
    return fillRecord(field.fields, undefined);
  }
  return null;
}

const entriesCache = new WeakMap<object, [string, KongSchemaField][]>();

function entriesOf(
  fields: Record<string, KongSchemaField>[],
): [string, KongSchemaField][] {
  let entries = entriesCache.get(fields);
  if (!entries) {
    entries = fields.map(entry => Object.entries(entry)[0]);
    entriesCache.set(fields, entries);
  }
  return entries;
}

function fillRecord(
  fields: Record<string, KongSchemaField>[],
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of entriesOf(fields)) {
    const value = given?.[name];
    if (value === undefined) {
      out[name] = defaultOf(field);
    } else if (field.type === 'record' && isPlainObject(value)) {
      out[name] = fillRecord(field.fields, value);
    } else {
      out[name] = copy(value);
    }
  }
  // Fields Kong would reject are kept: a decK file can name fields of newer plugin versions.
  if (given) {
    for (const name of Object.keys(given)) {
      if (!(name in out)) out[name] = copy(given[name]);
    }
  }
  return out;
}

/**
 * A plugin's full `config` as Kong stores it: the given values over the schema's defaults, every
 * other field `null`. Unknown plugins keep the given config as it is.
 *
 * @public
 */
export function completePluginConfig(
  name: string,
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  const definition = PLUGINS[name];
  if (!definition) {
    return copy(config);
  }
  return fillRecord(definition.config, config);
}

/** The protocols a plugin runs on when none are given. @public */
export function defaultPluginProtocols(name: string): string[] {
  const definition = PLUGINS[name];
  return definition
    ? definition.protocols.filter(p => PROTOCOLS_HTTP.includes(p))
    : [...PROTOCOLS_HTTP];
}

function inferField(value: unknown): KongSchemaField {
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { type: 'integer' } : { type: 'number' };
  if (Array.isArray(value)) {
    return {
      type: 'array',
      elements: value.length > 0 ? inferField(value[0]) : { type: 'string' },
    };
  }
  if (isPlainObject(value)) {
    return {
      type: 'record',
      fields: Object.entries(value).map(([k, v]) => ({ [k]: inferField(v) })),
    };
  }
  return { type: 'string' };
}

/**
 * The `GET /schemas/plugins/{name}` answer: the entity fields every plugin has, then `config`.
 * For a plugin the sandbox has no schema for, the config record is inferred from a sample config
 * (without secret markers). Undefined when the plugin is unknown and no sample is given.
 *
 * @public
 */
export function pluginSchemaResponse(
  name: string,
  sampleConfig?: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const definition = PLUGINS[name];
  const protocols = definition?.protocols ?? PROTOCOLS_HTTP;
  let config: KongSchemaField;
  if (definition) {
    config = { type: 'record', required: true, fields: definition.config };
  } else if (sampleConfig) {
    config = {
      ...(inferField(sampleConfig) as KongSchemaField & { type: 'record' }),
      required: true,
    };
  } else {
    return undefined;
  }
  return {
    fields: [
      {
        consumer: definition?.noConsumer
          ? { type: 'foreign', reference: 'consumers', eq: null }
          : { type: 'foreign', reference: 'consumers' },
      },
      {
        protocols: {
          type: 'set',
          required: true,
          default: protocols.filter(p => PROTOCOLS_HTTP.includes(p)),
          elements: { type: 'string', one_of: protocols },
        },
      },
      { config },
    ],
  };
}
