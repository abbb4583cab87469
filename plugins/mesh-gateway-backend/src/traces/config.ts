import type { Config } from '@backstage/config';
import { z } from 'zod';
import { configError, readInstanceArray } from '../service/configReading';

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const httpUrl = z
  .string()
  .url()
  .refine(u => /^https?:$/.test(new URL(u).protocol), 'must be http or https');

const tracingInstanceSchema = z.object({
  name: z.string().regex(dnsLabel, 'must be a lowercase DNS label'),
  kind: z.enum(['jaeger', 'jaeger-v3']),
  baseUrl: httpUrl,
  uiUrl: httpUrl.optional(),
  authHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('Authorization'),
  authToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  maxTraces: z.number().int().min(1).max(5000).default(500),
});

/** One tracing query API the backend may call, from `meshGateway.tracing.instances[]`. */
export type TracingInstanceConfig = z.infer<typeof tracingInstanceSchema>;

const names = z.array(z.string().min(1)).min(1);

const tracingOptionsSchema = z.object({
  gatewayServiceNames: names.default(['kong']),
  gatewayScopeNames: names.default(['kong-internal']),
  meshProxyServiceNames: names.default(['istio-proxy']),
  minGatewayCoverage: z.number().min(0).max(1).default(0.95),
});

/** How spans are recognised and judged, from `meshGateway.tracing`. */
export type TracingOptions = z.infer<typeof tracingOptionsSchema>;

export interface TracingConfig {
  instances: TracingInstanceConfig[];
  options: TracingOptions;
}

/**
 * Reads `meshGateway.tracing`. No instances means tracing is not configured; a wrong value
 * throws with the key and the reason, so the backend refuses to start.
 */
export function readTracingConfig(config: Config): TracingConfig {
  const instances = readInstanceArray(config, 'meshGateway.tracing.instances', tracingInstanceSchema, item => ({
    name: item.getString('name'),
    kind: item.getString('kind'),
    baseUrl: item.getString('baseUrl'),
    uiUrl: item.getOptionalString('uiUrl') || undefined,
    authHeaderName: item.getOptionalString('authHeaderName'),
    authToken: item.getOptionalString('authToken') || undefined,
    timeoutMs: item.getOptionalNumber('timeoutMs'),
    maxTraces: item.getOptionalNumber('maxTraces'),
  }));

  const options = tracingOptionsSchema.safeParse({
    gatewayServiceNames: config.getOptionalStringArray(
      'meshGateway.tracing.gatewayServiceNames',
    ),
    gatewayScopeNames: config.getOptionalStringArray(
      'meshGateway.tracing.gatewayScopeNames',
    ),
    meshProxyServiceNames: config.getOptionalStringArray(
      'meshGateway.tracing.meshProxyServiceNames',
    ),
    minGatewayCoverage: config.getOptionalNumber(
      'meshGateway.tracing.minGatewayCoverage',
    ),
  });
  if (!options.success) throw configError('meshGateway.tracing', options.error.issues[0]);
  return { instances, options: options.data };
}
