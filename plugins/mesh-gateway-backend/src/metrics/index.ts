import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import { readPrometheusConfig } from './config';
import { MetricsSectionProvider } from './MetricsSectionProvider';

export { MetricsSectionProvider } from './MetricsSectionProvider';
export type { MetricsSectionProviderOptions, MetricsSectionRequest } from './MetricsSectionProvider';
export { readPrometheusConfig } from './config';
export type { MetricsOptions, PrometheusConfig, PrometheusInstanceConfig } from './config';
export { PrometheusApiError, PrometheusClient } from './PrometheusClient';
export { escapePromQLString, quotePromQLString, quoteRegexMeta } from './promql';

/**
 * The metrics section from `meshGateway.prometheus` (throws `Invalid config at
 * meshGateway.prometheus...` on a wrong value). Without instances the section answers
 * `not-configured`.
 */
export function createMetricsSectionProvider(options: {
  config: Config;
  logger: LoggerService;
  policy?: UpstreamPolicyOptions;
  now?: () => number;
}): MetricsSectionProvider {
  const { instances, options: metricsOptions } = readPrometheusConfig(options.config);
  return new MetricsSectionProvider({
    instances,
    options: metricsOptions,
    logger: options.logger,
    policy: options.policy,
    now: options.now,
  });
}
