import { z } from 'zod';
import { SchemaViolation } from './contracts';
import { fieldPath } from './types';

/**
 * Configuration fields of the Kong plugins the generator writes, as declared by Kong 3.9's
 * plugin schemas (kong/plugins/<name>/schema.lua). decK's schema leaves `config` open and Kong
 * rejects unknown fields at sync time, so they are checked here. Fields that hold secrets
 * (redis passwords, OTLP headers) are accepted but not typed further.
 */

const strings = z.array(z.string());
const headerList = z.array(
  z.string().regex(/^[^:\s]+:.*$/, 'must be "name:value"'),
);
const transform = (entries: z.ZodType) =>
  z
    .strictObject({ body: entries, headers: entries, querystring: entries })
    .partial();

const propagationFormats = [
  'b3',
  'b3-single',
  'w3c',
  'jaeger',
  'ot',
  'aws',
  'gcp',
  'datadog',
  'instana',
] as const;

const PLUGIN_CONFIG: Record<string, z.ZodType> = {
  jwt: z
    .strictObject({
      uri_param_names: strings,
      cookie_names: strings,
      header_names: strings,
      key_claim_name: z.string(),
      secret_is_base64: z.boolean(),
      claims_to_verify: z.array(
        z.enum(['exp', 'nbf'], {
          error: issue =>
            `Kong's jwt plugin verifies only exp and nbf, not ${JSON.stringify(issue.input)}: check the audience with an Istio RequestAuthentication (audiences) instead`,
        }),
      ),
      anonymous: z.string(),
      run_on_preflight: z.boolean(),
      maximum_expiration: z.number().min(0).max(31_536_000),
      realm: z.string(),
    })
    .partial(),
  'key-auth': z
    .strictObject({
      key_names: z.array(z.string()).min(1),
      hide_credentials: z.boolean(),
      anonymous: z.string(),
      key_in_header: z.boolean(),
      key_in_query: z.boolean(),
      key_in_body: z.boolean(),
      run_on_preflight: z.boolean(),
      realm: z.string(),
    })
    .partial(),
  'request-transformer': z
    .strictObject({
      http_method: z.string(),
      remove: transform(strings),
      rename: transform(headerList),
      replace: z
        .strictObject({
          body: headerList,
          headers: headerList,
          querystring: headerList,
          uri: z.string(),
        })
        .partial(),
      add: transform(headerList),
      append: transform(headerList),
    })
    .partial(),
  'rate-limiting': z
    .strictObject({
      second: z.number().positive(),
      minute: z.number().positive(),
      hour: z.number().positive(),
      day: z.number().positive(),
      month: z.number().positive(),
      year: z.number().positive(),
      limit_by: z.enum([
        'consumer',
        'credential',
        'ip',
        'service',
        'header',
        'path',
        'consumer-group',
      ]),
      header_name: z.string(),
      path: z.string(),
      policy: z.enum(['local', 'cluster', 'redis']),
      fault_tolerant: z.boolean(),
      redis: z.record(z.string(), z.unknown()),
      hide_client_headers: z.boolean(),
      error_code: z.number(),
      error_message: z.string(),
      sync_rate: z.number(),
    })
    .partial()
    .refine(
      c =>
        ['second', 'minute', 'hour', 'day', 'month', 'year'].some(k => k in c),
      'sets no limit: at least one of second, minute, hour, day, month, year is required',
    ),
  prometheus: z
    .strictObject({
      per_consumer: z.boolean(),
      status_code_metrics: z.boolean(),
      latency_metrics: z.boolean(),
      bandwidth_metrics: z.boolean(),
      upstream_health_metrics: z.boolean(),
      ai_metrics: z.boolean(),
      wasm_metrics: z.boolean(),
    })
    .partial(),
  opentelemetry: z
    .strictObject({
      traces_endpoint: z.url({ protocol: /^https?$/ }),
      logs_endpoint: z.url({ protocol: /^https?$/ }),
      endpoint: z.url({ protocol: /^https?$/ }),
      headers: z.record(z.string(), z.string()),
      resource_attributes: z.record(z.string(), z.string().min(1)),
      queue: z.record(z.string(), z.unknown()),
      batch_span_count: z.number().int(),
      batch_flush_delay: z.number().int(),
      connect_timeout: z.number().int().min(0),
      send_timeout: z.number().int().min(0),
      read_timeout: z.number().int().min(0),
      http_response_header_for_traceid: z.string(),
      header_type: z.enum(['preserve', 'ignore', ...propagationFormats]),
      sampling_rate: z.number().min(0).max(1),
      propagation: z
        .strictObject({
          extract: z.array(z.enum(propagationFormats)),
          inject: z.array(z.enum(['preserve', ...propagationFormats])),
          clear: strings,
          default_format: z.enum(propagationFormats),
        })
        .partial(),
    })
    .partial()
    .refine(
      c => 'traces_endpoint' in c || 'logs_endpoint' in c || 'endpoint' in c,
      'needs traces_endpoint (or logs_endpoint)',
    ),
  'correlation-id': z
    .strictObject({
      header_name: z.string(),
      generator: z.enum(['uuid', 'uuid#counter', 'tracker']),
      echo_downstream: z.boolean(),
    })
    .partial(),
};

export const CHECKED_PLUGINS = Object.keys(PLUGIN_CONFIG);

/**
 * Checks a plugin's configuration; `path` is where `config` sits in the document. Plugins this
 * validator does not know are not checked.
 */
export function validatePluginConfig(
  plugin: string,
  config: unknown,
  path: (string | number)[],
): SchemaViolation[] {
  const schema = PLUGIN_CONFIG[plugin];
  if (!schema) {
    return [];
  }
  const result = schema.safeParse(config ?? {});
  if (result.success) {
    return [];
  }
  return result.error.issues.flatMap(issue => {
    const at = [
      ...path,
      ...issue.path.map(p => (typeof p === 'symbol' ? String(p) : p)),
    ];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        field: fieldPath([...at, key]),
        message: `unknown field of the ${plugin} plugin: Kong rejects the configuration`,
      }));
    }
    return [{ field: fieldPath(at), message: issue.message }];
  });
}
