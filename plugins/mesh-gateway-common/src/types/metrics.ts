/**
 * What the backend returns for golden signals: the entity's traffic, errors and latency as
 * Prometheus saw them at the gateway (Kong's Prometheus plugin) and in the mesh (Istio's standard
 * metrics) over a window, judged against the SLO of the architecture documents.
 *
 * Prometheus answers NaN for a ratio or quantile without data; such values are `null` here.
 */

/** Where the window length came from. @public */
export type MetricsWindowSource = 'default' | 'annotation' | 'request';

/** @public */
export interface MetricsWindow {
  /** ISO timestamps. */
  start: string;
  end: string;
  durationMs: number;
  source: MetricsWindowSource;
  /** Resolution of the series, in seconds. */
  stepSeconds: number;
}

/** Latency quantiles from a Prometheus histogram (linear interpolation within a bucket). @public */
export interface LatencyQuantiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** Request rate and errors over the window. @public */
export interface TrafficSignals {
  /** Requests per second over the window. */
  requestRate: number;
  /** Requests in the window (Prometheus' `increase`, so an estimate, not a count). */
  requests: number;
  /** 5xx responses per second. */
  errorRate: number;
  /** 5xx responses in the window (estimate). */
  errors: number;
  /** 5xx share of all requests; null without requests. */
  errorShare: number | null;
  /** 4xx share of all requests; null without requests. */
  clientErrorShare: number | null;
}

/**
 * Values over the window for small charts, aligned with `timestamps`. A null is a step without a
 * value (no traffic, no series yet).
 *
 * @public
 */
export interface SignalSeries {
  /** Epoch milliseconds. */
  timestamps: number[];
  /** Requests per second. */
  requestRate: (number | null)[];
  /** 5xx responses per second. */
  errorRate: (number | null)[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  /** P95 of Kong's own time (gateway only). */
  gatewayP95Ms?: (number | null)[];
}

/**
 * Which Kong metric names answered: `kong-3` for Kong 3.x (`kong_http_requests_total`,
 * `kong_*_latency_ms`), `kong-2` for the 2.x names (`kong_http_status`, `kong_latency`).
 *
 * @public
 */
export type KongMetricsVersion = 'kong-3' | 'kong-2';

/** The golden signals at the gateway, from Kong's Prometheus plugin. @public */
export interface GatewaySignals {
  /** The Kong services (the `service` label) the numbers sum over. */
  kongServices: string[];
  /** Null when no Kong request series exists for the services in the window. */
  metricsVersion: KongMetricsVersion | null;
  traffic: TrafficSignals | null;
  /** The whole request as Kong saw it (`kong_request_latency_ms`): the end-to-end latency. */
  requestLatency: LatencyQuantiles | null;
  /** Kong's own time, plugins included (`kong_kong_latency_ms`): the gateway latency. */
  kongLatency: LatencyQuantiles | null;
  /** Time the upstream took (`kong_upstream_latency_ms`). */
  upstreamLatency: LatencyQuantiles | null;
  series: SignalSeries | null;
}

/** Requests per second by Istio's `connection_security_policy`. @public */
export interface MtlsTraffic {
  /** Share of the requests that arrived over mutual TLS; null without requests. */
  share: number | null;
  mutualTlsRate: number;
  /** `connection_security_policy="none"`: plain text. */
  plaintextRate: number;
  /** `unknown` or any other value. */
  unknownRate: number;
}

/** The golden signals in the mesh, from Istio's standard metrics as the destination reported them. @public */
export interface MeshSignals {
  /** The label matchers that identify the service, e.g. destination_service_name and _namespace. */
  destination: Record<string, string>;
  /** Whether `istio_requests_total` has series for the destination in the window. */
  found: boolean;
  traffic: TrafficSignals | null;
  /** `istio_request_duration_milliseconds` at the destination's sidecar. */
  latency: LatencyQuantiles | null;
  mtls: MtlsTraffic | null;
  series: SignalSeries | null;
}

/** @public */
export type SloObjectiveName = 'availability' | 'gateway-p95' | 'end-to-end-p95';

/** @public */
export type SloState = 'met' | 'breached' | 'no-data';

/** One objective of the SLO and how the window measured up. @public */
export interface SloObjective {
  name: SloObjectiveName;
  /** Availability as a ratio (0.9995), latencies in milliseconds. */
  target: number;
  /** Null when there was nothing to measure. */
  actual: number | null;
  state: SloState;
  /** Where `actual` comes from: Kong's metrics or, without them, Istio's. */
  source: 'gateway' | 'mesh' | null;
  /** The baseline's value, or an entity annotation's. */
  targetSource: 'baseline' | 'annotation';
}

/**
 * The availability objective's error budget over the window: how much of the 5xx share the
 * objective allows has been used.
 *
 * @public
 */
export interface ErrorBudget {
  /** 1 - availability target. */
  allowedErrorShare: number;
  errorShare: number;
  /** errorShare / allowedErrorShare: 1 spends exactly the window's budget. */
  burnRate: number;
  /** Share of the window's budget left, 0 when spent. */
  remaining: number;
  /** The recent burn rate, over a short window at the end. */
  shortWindow: { durationMs: number; burnRate: number | null };
  source: 'gateway' | 'mesh';
}

/** @public */
export interface SloStatus {
  objectives: SloObjective[];
  /** Null without requests in the window. */
  budget: ErrorBudget | null;
}

/** @public */
export interface MetricsSection {
  /** Prometheus instance name from `meshGateway.prometheus.instances`. */
  instance: string;
  window: MetricsWindow;
  /** Null when the entity names no Kong service. */
  gateway: GatewaySignals | null;
  /** Null when the entity names no Kubernetes service or Istio host. */
  mesh: MeshSignals | null;
  slo: SloStatus;
}
