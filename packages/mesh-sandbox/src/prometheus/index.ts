export {
  ADR_METRICS_NAMESPACE,
  ADR_METRICS_SCENARIOS,
  generateMeshMetrics,
  ISTIO_DURATION_BUCKETS_MS,
  KONG2_LATENCY_BUCKETS_MS,
  KONG_LATENCY_BUCKETS_MS,
  KONG_REQUEST_BUCKETS_MS,
  MeshMetricsGenerator,
  seriesSamples,
} from './meshMetrics';
export type {
  GeneratedSeries,
  KongMetricsMode,
  MeshMetricsDataset,
  MeshMetricsOptions,
  MetricFamily,
  ServiceTrafficScenario,
} from './meshMetrics';
export { openMetricsChunks, writeOpenMetrics } from './openMetrics';
export {
  defaultSandboxGenerator,
  PROMETHEUS_SANDBOX_DEFAULTS,
  PrometheusNotInstalledError,
  startPrometheusSandbox,
} from './prometheusServer';
export type {
  PrometheusSandbox,
  PrometheusSandboxOptions,
  PrometheusSandboxTimings,
} from './prometheusServer';
