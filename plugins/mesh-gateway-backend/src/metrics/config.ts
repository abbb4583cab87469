import type { Config } from '@backstage/config';
import { z } from 'zod';
import { configError, readInstanceArray } from '../service/configReading';
import { parseWindowLength } from './window';

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const prometheusInstanceSchema = z.object({
  name: z.string().regex(dnsLabel, 'must be a lowercase DNS label'),
  url: z
    .string()
    .url()
    .refine(u => /^https?:$/.test(new URL(u).protocol), 'must be http or https'),
  authHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('Authorization'),
  authToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** How often Prometheus scrapes Kong and the sidecars; sets the rate interval of the series. */
  scrapeIntervalSeconds: z.number().int().min(1).max(3600).default(15),
  /** Label matchers added to every query, e.g. `{cluster: prod}` when one Prometheus holds several clusters. */
  labels: z
    .record(
      z.string().regex(labelName, 'must be a Prometheus label name'),
      z.string(),
    )
    .default({}),
});

/** One Prometheus HTTP API the backend may query, from `meshGateway.prometheus.instances[]`. */
export type PrometheusInstanceConfig = z.infer<typeof prometheusInstanceSchema>;

const windowLength = (min: number) =>
  z.string().superRefine((value, ctx) => {
    try {
      parseWindowLength(value, min);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const metricsOptionsSchema = z.object({
  /** Window of the golden signals when the entity does not say (`mesh-gateway.io/metrics-window`). */
  defaultWindow: windowLength(60_000).default('1h'),
  /** The recent window whose burn rate tells whether the error budget is burning fast. */
  shortWindow: windowLength(60_000).default('5m'),
  /** A short-window burn rate at or above this is "burning fast" (1 spends exactly the budget). */
  fastBurnRate: z.number().min(1).max(1000).default(2),
});

/** How golden signals are judged, from `meshGateway.prometheus`. */
export type MetricsOptions = z.infer<typeof metricsOptionsSchema>;

export interface PrometheusConfig {
  instances: PrometheusInstanceConfig[];
  options: MetricsOptions;
}

/**
 * Reads `meshGateway.prometheus`. No instances means metrics are not configured; a wrong value
 * throws with the key and the reason, so the backend refuses to start.
 */
export function readPrometheusConfig(config: Config): PrometheusConfig {
  const instances = readInstanceArray(config, 'meshGateway.prometheus.instances', prometheusInstanceSchema, item => ({
    name: item.getString('name'),
    url: item.getString('url'),
    authHeaderName: item.getOptionalString('authHeaderName'),
    authToken: item.getOptionalString('authToken') || undefined,
    timeoutMs: item.getOptionalNumber('timeoutMs'),
    scrapeIntervalSeconds: item.getOptionalNumber('scrapeIntervalSeconds'),
    labels: item.getOptional('labels'),
  }));

  const options = metricsOptionsSchema.safeParse({
    defaultWindow: config.getOptionalString('meshGateway.prometheus.defaultWindow'),
    shortWindow: config.getOptionalString('meshGateway.prometheus.shortWindow'),
    fastBurnRate: config.getOptionalNumber('meshGateway.prometheus.fastBurnRate'),
  });
  if (!options.success) throw configError('meshGateway.prometheus', options.error.issues[0]);
  return { instances, options: options.data };
}
