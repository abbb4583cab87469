import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import { readTracingConfig } from './config';
import { TracesSectionProvider } from './TracesSectionProvider';

export { TracesSectionProvider } from './TracesSectionProvider';
export type {
  TracesSectionProviderOptions,
  TracesSectionRequest,
} from './TracesSectionProvider';
export { readTracingConfig } from './config';
export type {
  TracingConfig,
  TracingInstanceConfig,
  TracingOptions,
} from './config';
export { parseWindowLength } from './window';

/**
 * The traces section from `meshGateway.tracing` (throws `Invalid config at meshGateway.tracing...`
 * on a wrong value). Without instances the section answers `not-configured`.
 */
export function createTracesSectionProvider(options: {
  config: Config;
  logger: LoggerService;
  policy?: UpstreamPolicyOptions;
}): TracesSectionProvider {
  const { instances, options: tracingOptions } = readTracingConfig(
    options.config,
  );
  return new TracesSectionProvider({
    instances,
    options: tracingOptions,
    logger: options.logger,
    policy: options.policy,
  });
}
