/**
 * What the backend returns for traces: the entity's service as the tracing backend (Jaeger v1
 * `/api` or Jaeger v2 `/api/v3`) saw it in a time window, measured against the SLO.
 */

import type { SloTargets } from '../slo';

/** Which query API a tracing instance speaks. @public */
export type TracingBackendKind = 'jaeger' | 'jaeger-v3';

/**
 * Where the service name came from: the `mesh-gateway.io/tracing-service` annotation, the
 * Kubernetes plugin's `backstage.io/kubernetes-id`, or the entity's name.
 *
 * @public
 */
export type TracingServiceSource =
  | 'annotation'
  | 'kubernetes-id'
  | 'entity-name';

/** Where the window length came from. @public */
export type TracingWindowSource = 'default' | 'annotation' | 'request';

/** @public */
export interface TracingWindow {
  /** ISO timestamps. */
  start: string;
  end: string;
  durationMs: number;
  source: TracingWindowSource;
}

/** Nearest-rank percentiles of a set of durations. @public */
export interface LatencyPercentiles {
  /** How many durations they are computed from. */
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The service's requests of one operation (its server spans named so). @public */
export interface TraceOperationStats extends LatencyPercentiles {
  operation: string;
  errorCount: number;
}

/** One trace, as listed among the slowest or the failed ones. @public */
export interface TraceSummaryView {
  /** Lowercase hex, 32 characters (ids of other shapes are kept as the backend sent them). */
  traceId: string;
  /** ISO timestamp of the trace's first span. */
  startTime: string;
  /** From the first span's start to the last span's end. */
  durationMs: number;
  spanCount: number;
  rootService: string;
  rootOperation: string;
  /** The operation of the service's first request span in the trace. */
  operation?: string;
  /** Duration of that span. */
  serviceDurationMs?: number;
  /** A span of the service is marked as failed. */
  error: boolean;
  errorMessage?: string;
  /** A Kong span is upstream of the service's span. */
  throughGateway: boolean;
  /** Deep link into the tracing UI, when `uiUrl` is configured. */
  url?: string;
}

/**
 * How the service's traces entered: through Kong (a Kong span upstream of the service's span),
 * through Kong with the trace context lost on the way (Kong's request id or source header reached
 * the service, or Kong spans sit in the trace unconnected), or around Kong.
 *
 * @public
 */
export interface GatewayCoverage {
  traces: number;
  throughGateway: number;
  contextLost: number;
  bypassed: number;
  /** `throughGateway / traces`; null without traces. */
  ratio: number | null;
  /** The share that should come through Kong (`meshGateway.tracing.minGatewayCoverage`). */
  target: number;
}

/**
 * Median time per hop of the requests that came through Kong: Kong itself, the mesh between
 * Kong and the service (Envoy sidecar spans), and the service's own span.
 *
 * @public
 */
export interface HopBreakdown {
  /** Traces measured (those through Kong). */
  traces: number;
  gatewayMs: number;
  meshMs: number;
  serviceMs: number;
  /** P95 of Kong's own time, for the gateway SLO. */
  gatewayP95Ms: number;
  /** P95 of the whole request as Kong saw it (Kong's outermost span), for the end-to-end SLO. */
  edgeP95Ms: number;
  /** Traces with at least one Envoy sidecar span between Kong and the service. */
  meshTraces: number;
}

/** @public */
export interface ServiceGraphNode {
  /** The service name in the tracing backend. */
  id: string;
  kind: 'service' | 'gateway' | 'proxy';
  /** The entity's own service. */
  focus: boolean;
}

/** @public */
export interface ServiceGraphEdge {
  from: string;
  to: string;
  callCount: number;
}

/**
 * The service's neighbourhood: the services it calls and is called by, and the calls among
 * them. Envoy sidecars are folded into the service they serve.
 *
 * @public
 */
export interface ServiceGraph {
  /** `/api/dependencies` of Jaeger v1, or parent/child spans of the traces read (v3). */
  source: 'dependencies-api' | 'trace-spans';
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
}

/** @public */
export interface TracesSection {
  /** Tracing instance name from `meshGateway.tracing.instances`. */
  instance: string;
  kind: TracingBackendKind;
  /** Service name in the tracing backend. */
  service: string;
  serviceSource: TracingServiceSource;
  window: TracingWindow;
  /** The tracing UI's search for the service in the window, when `uiUrl` is configured. */
  searchUrl?: string;
  /** The most traces asked for; when `truncated`, the numbers describe the latest `limit` traces. */
  limit: number;
  truncated: boolean;
  traceCount: number;
  spanCount: number;
  /** The service's requests: its server spans (spans of unknown kind entered from another service count too). */
  requestCount: number;
  errorCount: number;
  /** `errorCount / requestCount`; null without requests. */
  errorRate: number | null;
  /** Traces in which a span of the service failed. */
  errorTraceCount: number;
  /** Durations of the service's requests; null without requests. */
  latency: LatencyPercentiles | null;
  /** The service's operations, slowest (by P95) first, at most 10. */
  slowestOperations: TraceOperationStats[];
  /** The 10 longest traces. */
  slowestTraces: TraceSummaryView[];
  /** The 10 latest traces in which the service failed. */
  failedTraces: TraceSummaryView[];
  gatewayCoverage: GatewayCoverage;
  /** Null when no trace came through Kong. */
  hops: HopBreakdown | null;
  /**
   * The SLO the numbers were judged against: the baseline's, each objective overridable by the
   * entity's `mesh-gateway.io/slo-*` annotations (the same targets as the metrics section's).
   */
  slo: SloTargets;
  /** Absent when it could not be read (the section's `errors` say why). */
  dependencies?: ServiceGraph;
}
