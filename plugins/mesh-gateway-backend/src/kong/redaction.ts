import { REDACTED } from '@internal/plugin-mesh-gateway-common';

/** A path into a plugin's `config`; `*` matches any key or array index. */
export type ConfigPath = readonly string[];

/**
 * Secret plugin fields Kong's `/schemas/plugins/{name}` may not mark (older Kong versions,
 * Enterprise plugins, fields that hold credentials inside URLs or maps). From FACTS.md.
 */
export const STATIC_SECRET_PATHS: Readonly<Record<string, readonly ConfigPath[]>> = {
  oauth2: [['provision_key']],
  session: [['secret'], ['secret_fallbacks']],
  'rate-limiting': [['redis', 'password'], ['redis', 'username'], ['redis_password'], ['redis_username']],
  'response-ratelimiting': [['redis', 'password'], ['redis', 'username'], ['redis_password'], ['redis_username']],
  acme: [
    ['account_key', '*'],
    ['account_key'],
    ['eab_hmac_key'],
    ['storage_config', '*', 'token'],
    ['storage_config', '*', 'password'],
    ['storage_config', '*', 'username'],
    ['storage_config', '*', 'auth'],
  ],
  'aws-lambda': [['aws_key'], ['aws_secret'], ['aws_assume_role_arn']],
  'azure-functions': [['apikey'], ['clientid']],
  loggly: [['key']],
  'http-log': [['headers', '*']],
  opentelemetry: [['headers', '*']],
  zipkin: [['headers', '*']],
  'standard-webhooks': [['secret_v1']],
  'openid-connect': [['client_secret', '*'], ['client_secret'], ['session_secret']],
  'jwt-signer': [['access_token_keyset_client_password'], ['channel_token_keyset_client_password']],
};

/** FACTS.md counts a Redis username as a secret wherever a plugin has one (`redis`, `vectordb.redis`, ...). */
function isRedisUsername(path: string[]): boolean {
  return path[path.length - 1]?.toLowerCase() === 'username' && Boolean(path[path.length - 2]?.toLowerCase().includes('redis'));
}

/**
 * Field names that hold a secret in every plugin that has them (the AI plugins' `auth` block,
 * Redis settings of any plugin, cloud credentials). Matched at any depth.
 */
const SECRET_FIELD_NAMES = new Set([
  'password',
  'secret',
  'client_secret',
  'provision_key',
  'header_value',
  'param_value',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_secret',
  'aws_key',
  'gcp_service_account_json',
  'azure_client_secret',
  'private_key',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'token',
  'secret_v1',
  'eab_hmac_key',
  'account_key',
]);

/** Fields whose value is a URL that may carry credentials in its userinfo or query. */
const URL_FIELD_NAMES = new Set(['http_endpoint', 'endpoint', 'url']);

/** `{vault://env/name}` and friends are references to a secret, not the secret. */
export function isVaultReference(value: unknown): boolean {
  return typeof value === 'string' && /^\{vault:\/\/[^}]+\}$/.test(value.trim());
}

function redactValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isVaultReference(value)) return value;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(v)]),
    );
  }
  return REDACTED;
}

function redactUrl(value: unknown): unknown {
  if (typeof value !== 'string' || isVaultReference(value)) return value;
  try {
    const url = new URL(value);
    if (!url.username && !url.password && !url.search) return value;
    if (url.username || url.password) {
      url.username = REDACTED;
      url.password = '';
    }
    for (const key of [...url.searchParams.keys()]) {
      url.searchParams.set(key, REDACTED);
    }
    return url.toString();
  } catch {
    return value;
  }
}

function matches(path: readonly string[], pattern: ConfigPath): boolean {
  return (
    path.length === pattern.length &&
    pattern.every((part, i) => part === '*' || part === path[i])
  );
}

/**
 * Returns a copy of a plugin's config with every secret replaced by {@link REDACTED}: the fields
 * the plugin's schema marks `encrypted` or `referenceable` (`schemaPaths`), the static list, and
 * secret-named fields at any depth. Vault references are kept as they are, never resolved.
 */
export function redactPluginConfig(
  pluginName: string,
  config: unknown,
  schemaPaths: readonly ConfigPath[] = [],
): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return {};
  }
  const secretPaths = [...schemaPaths, ...(STATIC_SECRET_PATHS[pluginName] ?? [])];

  const walk = (value: unknown, path: string[]): unknown => {
    const key = path[path.length - 1];
    if (
      path.length > 0 &&
      (secretPaths.some(p => matches(path, p)) ||
        (key !== undefined && SECRET_FIELD_NAMES.has(key.toLowerCase())) ||
        isRedisUsername(path))
    ) {
      return redactValue(value);
    }
    if (key !== undefined && URL_FIELD_NAMES.has(key)) {
      return redactUrl(value);
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => walk(item, [...path, String(i)]));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          walk(v, [...path, k]),
        ]),
      );
    }
    return value;
  };
  return walk(config, []) as Record<string, unknown>;
}

interface KongSchemaField {
  type?: string;
  encrypted?: boolean;
  referenceable?: boolean;
  fields?: Record<string, KongSchemaField>[];
  elements?: KongSchemaField;
  values?: KongSchemaField;
}

/**
 * Reads the secret paths below `config` out of a `/schemas/plugins/{name}` answer: every field
 * marked `encrypted: true` or `referenceable: true`, through records, arrays, sets and maps.
 */
export function secretPathsFromPluginSchema(schema: unknown): ConfigPath[] {
  const paths: ConfigPath[] = [];
  const visit = (field: KongSchemaField | undefined, path: string[]) => {
    if (!field || typeof field !== 'object') return;
    if (field.encrypted === true || field.referenceable === true) {
      paths.push(path);
      return;
    }
    for (const entry of field.fields ?? []) {
      for (const [name, child] of Object.entries(entry ?? {})) {
        visit(child, [...path, name]);
      }
    }
    if (field.elements) visit(field.elements, [...path, '*']);
    if (field.values) visit(field.values, [...path, '*']);
  };
  const top = (schema as { fields?: Record<string, KongSchemaField>[] })?.fields;
  for (const entry of Array.isArray(top) ? top : []) {
    if (entry && typeof entry === 'object' && 'config' in entry) {
      visit(entry.config, []);
    }
  }
  return paths;
}
