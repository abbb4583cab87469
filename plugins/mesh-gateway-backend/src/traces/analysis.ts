import {
  createFinding,
  Finding,
  GatewayCoverage,
  HopBreakdown,
  LatencyPercentiles,
  MESH_BASELINE,
  SloTargets,
  TraceOperationStats,
  TraceSummaryView,
} from '@internal/plugin-mesh-gateway-common';
import type {
  AttributeValue,
  NormalisedSpan,
  NormalisedTrace,
} from './spanModel';

/** How spans are recognised as Kong's or as an Envoy sidecar's. */
export interface SpanRoleOptions {
  /** Service names Kong reports (its opentelemetry plugin's `service.name`). */
  gatewayServiceNames: string[];
  /** Instrumentation scope names of Kong's own spans (`kong-internal` for the opentelemetry plugin). */
  gatewayScopeNames: string[];
  /** Service names of Envoy sidecars where their spans carry no Envoy tags. */
  meshProxyServiceNames: string[];
}

export type SpanRole = 'gateway' | 'proxy' | 'app';

/**
 * Envoy marks its spans with `component: proxy` and `upstream_cluster`; Kong is known by its
 * service name or its instrumentation scope. Envoy tags win, so Kong's own sidecar counts as mesh.
 */
export function spanRole(
  span: NormalisedSpan,
  options: SpanRoleOptions,
): SpanRole {
  const attribute = (key: string) => span.attributes[key] ?? span.resource[key];
  if (
    attribute('component') === 'proxy' ||
    attribute('upstream_cluster') !== undefined
  ) {
    return 'proxy';
  }
  const service = span.service.toLowerCase();
  if (
    options.gatewayServiceNames.some(name => name.toLowerCase() === service) ||
    (span.scope !== undefined && options.gatewayScopeNames.includes(span.scope))
  ) {
    return 'gateway';
  }
  if (
    options.meshProxyServiceNames.some(name => name.toLowerCase() === service)
  ) {
    return 'proxy';
  }
  return 'app';
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const toMs = (us: number) => round(us / 1000);

/** The nearest-rank percentile: the smallest value with at least `q` of the values at or below it. */
export function nearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export function percentiles(values: number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round(nearestRank(sorted, 0.5)),
    p95Ms: round(nearestRank(sorted, 0.95)),
    p99Ms: round(nearestRank(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}

/** The median; for an even count, the mean of the middle two. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return round(
    sorted.length % 2 === 1
      ? sorted[middle]
      : (sorted[middle - 1] + sorted[middle]) / 2,
  );
}

export interface TraceAnalysisOptions extends SpanRoleOptions {
  /** The entity's service name in the tracing backend. */
  service: string;
  /** Base URL of the tracing UI, for deep links. */
  uiUrl?: string;
}

type Coverage = 'through-gateway' | 'context-lost' | 'bypassed';

interface Hop {
  gatewayMs: number;
  meshMs: number;
  serviceMs: number;
  edgeMs: number;
  meshSeen: boolean;
}

interface AnalysedTrace {
  summary: TraceSummaryView;
  requests: NormalisedSpan[];
  coverage: Coverage;
  hop?: Hop;
}

export interface TraceAnalysis {
  traceCount: number;
  spanCount: number;
  requestCount: number;
  errorCount: number;
  errorRate: number | null;
  errorTraceCount: number;
  latency: LatencyPercentiles | null;
  slowestOperations: TraceOperationStats[];
  slowestTraces: TraceSummaryView[];
  failedTraces: TraceSummaryView[];
  gatewayCoverage: Omit<GatewayCoverage, 'target'>;
  hops: HopBreakdown | null;
}

const LISTED = 10;

/**
 * The service's side of the traces: its requests (server spans; spans of unknown kind entered
 * from another service count too, for data without `span.kind`), their latency and errors, the
 * slowest and failed traces, and how requests reached it: through Kong, with the trace context
 * lost on the way, or around Kong.
 */
export function analyseTraces(
  traces: NormalisedTrace[],
  options: TraceAnalysisOptions,
): TraceAnalysis {
  const analysed = traces
    .map(trace => analyseTrace(trace, options))
    .filter((t): t is AnalysedTrace => t !== undefined);

  const requests = analysed.flatMap(t => t.requests);
  const errorCount = requests.filter(span => span.error).length;

  const byOperation = new Map<string, NormalisedSpan[]>();
  for (const span of requests) {
    const list = byOperation.get(span.operation) ?? [];
    list.push(span);
    byOperation.set(span.operation, list);
  }
  const slowestOperations = [...byOperation]
    .map(([operation, spans]) => ({
      operation,
      errorCount: spans.filter(span => span.error).length,
      ...percentiles(spans.map(span => span.durationUs / 1000))!,
    }))
    .sort(
      (a, b) =>
        b.p95Ms - a.p95Ms ||
        b.count - a.count ||
        a.operation.localeCompare(b.operation),
    )
    .slice(0, LISTED);

  const summaries = analysed.map(t => t.summary);
  const count = (coverage: Coverage) =>
    analysed.filter(t => t.coverage === coverage).length;
  const throughGateway = count('through-gateway');
  const hops = analysed.flatMap(t => (t.hop ? [t.hop] : []));

  return {
    traceCount: analysed.length,
    spanCount: analysed.reduce((sum, t) => sum + t.summary.spanCount, 0),
    requestCount: requests.length,
    errorCount,
    errorRate: requests.length > 0 ? errorCount / requests.length : null,
    errorTraceCount: summaries.filter(s => s.error).length,
    latency: percentiles(requests.map(span => span.durationUs / 1000)),
    slowestOperations,
    slowestTraces: [...summaries]
      .sort(
        (a, b) =>
          b.durationMs - a.durationMs || a.traceId.localeCompare(b.traceId),
      )
      .slice(0, LISTED),
    failedTraces: summaries
      .filter(s => s.error)
      .sort(
        (a, b) =>
          b.startTime.localeCompare(a.startTime) ||
          a.traceId.localeCompare(b.traceId),
      )
      .slice(0, LISTED),
    gatewayCoverage: {
      traces: analysed.length,
      throughGateway,
      contextLost: count('context-lost'),
      bypassed: count('bypassed'),
      ratio: analysed.length > 0 ? throughGateway / analysed.length : null,
    },
    hops:
      hops.length === 0
        ? null
        : {
            traces: hops.length,
            gatewayMs: median(hops.map(h => h.gatewayMs)),
            meshMs: median(hops.map(h => h.meshMs)),
            serviceMs: median(hops.map(h => h.serviceMs)),
            gatewayP95Ms: round(
              nearestRank(
                hops.map(h => h.gatewayMs).sort((a, b) => a - b),
                0.95,
              ),
            ),
            edgeP95Ms: round(
              nearestRank(
                hops.map(h => h.edgeMs).sort((a, b) => a - b),
                0.95,
              ),
            ),
            meshTraces: hops.filter(h => h.meshSeen).length,
          },
  };
}

function analyseTrace(
  trace: NormalisedTrace,
  options: TraceAnalysisOptions,
): AnalysedTrace | undefined {
  const { spans } = trace;
  const serviceSpans = spans.filter(span => span.service === options.service);
  if (serviceSpans.length === 0) return undefined;

  const byId = new Map<string, NormalisedSpan>();
  for (const span of spans)
    if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const parentOf = (span: NormalisedSpan) => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    return parent === span ? undefined : parent;
  };
  /** Parent, grandparent, ...; stops at a cycle. */
  const ancestorsOf = (span: NormalisedSpan) => {
    const chain: NormalisedSpan[] = [];
    const seen = new Set([span]);
    for (
      let parent = parentOf(span);
      parent && !seen.has(parent);
      parent = parentOf(parent)
    ) {
      chain.push(parent);
      seen.add(parent);
    }
    return chain;
  };
  const role = (span: NormalisedSpan) => spanRole(span, options);
  const byStart = (a: NormalisedSpan, b: NormalisedSpan) =>
    a.startUs - b.startUs;

  const requests = serviceSpans.filter(span => {
    if (span.kind === 'server') return true;
    if (span.kind !== 'unspecified') return false;
    return parentOf(span)?.service !== options.service;
  });
  const entry = [...(requests.length > 0 ? requests : serviceSpans)].sort(
    byStart,
  )[0];
  const ancestors = ancestorsOf(entry);
  const gatewayIndex = ancestors.findIndex(span => role(span) === 'gateway');

  let coverage: Coverage;
  let hop: Hop | undefined;
  if (gatewayIndex >= 0) {
    coverage = 'through-gateway';
    let gatewayRoot = ancestors[gatewayIndex];
    for (const span of ancestors.slice(gatewayIndex + 1)) {
      if (role(span) !== 'gateway') break;
      gatewayRoot = span;
    }
    const belowGateway =
      gatewayIndex === 0 ? entry : ancestors[gatewayIndex - 1];
    let proxies = 0;
    while (proxies < ancestors.length && role(ancestors[proxies]) === 'proxy')
      proxies++;
    const topProxy = proxies > 0 ? ancestors[proxies - 1] : undefined;
    hop = {
      gatewayMs: toMs(
        Math.max(0, gatewayRoot.durationUs - belowGateway.durationUs),
      ),
      meshMs: topProxy
        ? toMs(Math.max(0, topProxy.durationUs - entry.durationUs))
        : 0,
      serviceMs: toMs(entry.durationUs),
      edgeMs: toMs(gatewayRoot.durationUs),
      meshSeen: topProxy !== undefined,
    };
  } else if (
    spans.some(span => role(span) === 'gateway') ||
    [entry, ...ancestors, ...serviceSpans].some(carriesKongEvidence)
  ) {
    coverage = 'context-lost';
  } else {
    coverage = 'bypassed';
  }

  const sorted = [...spans].sort(byStart);
  const first = sorted[0];
  const end = spans.reduce(
    (latest, span) => Math.max(latest, span.startUs + span.durationUs),
    0,
  );
  const root = sorted.find(span => !parentOf(span)) ?? first;
  const failed = [...requests, ...serviceSpans].find(span => span.error);
  const base = options.uiUrl?.replace(/\/+$/, '');

  return {
    requests,
    coverage,
    hop,
    summary: {
      traceId: trace.traceId,
      startTime: new Date(Math.floor(first.startUs / 1000)).toISOString(),
      durationMs: toMs(end - first.startUs),
      spanCount: spans.length,
      rootService: root.service,
      rootOperation: root.operation,
      operation: entry.operation,
      serviceDurationMs: toMs(entry.durationUs),
      error: failed !== undefined,
      errorMessage: failed?.errorMessage,
      throughGateway: coverage === 'through-gateway',
      url: base
        ? `${base}/trace/${encodeURIComponent(trace.traceId)}`
        : undefined,
    },
  };
}

const { correlationHeader, requestSourceHeader, requestSourceValue } =
  MESH_BASELINE.kong;

/**
 * Signs that a request passed Kong even though no Kong span connects to it: Kong's request id
 * (recorded by the sidecars as a custom tag, per the baseline's Telemetry) or the source header
 * Kong adds, recorded as a tag or as a captured request header.
 */
function carriesKongEvidence(span: NormalisedSpan): boolean {
  const value = (key: string): AttributeValue | undefined =>
    span.attributes[key] ?? span.attributes[`http.request.header.${key}`];
  const requestId = value(correlationHeader);
  const source = value(requestSourceHeader);
  return (
    (requestId !== undefined && requestId !== '' && requestId !== '[]') ||
    (source !== undefined && String(source).includes(requestSourceValue))
  );
}

export interface TraceFindingContext {
  instance: string;
  service: string;
  /** e.g. "1 h": how the window reads in messages. */
  windowText: string;
  minGatewayCoverage: number;
  /** False when the entity has no Kong service: then bypassing Kong is not a finding. */
  gatewayExpected: boolean;
  /** The entity's SLO (`sloTargets` of its annotations), as the metrics section judges it. */
  slo: SloTargets;
}

const percent = (ratio: number) =>
  `${(ratio * 100).toFixed(ratio < 0.01 ? 2 : 1)}%`;

/** 9.02 ms, 131 ms, 1.12 s: three significant digits, as the card shows durations. */
const duration = (ms: number) =>
  ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${Number(ms.toPrecision(3))} ms`;

/** What the analysis adds up to against the entity's SLO and the gateway path. */
export function traceFindings(
  analysis: TraceAnalysis,
  context: TraceFindingContext,
): Finding[] {
  const object = `tracing/${context.instance}/services/${context.service}`;
  const slo = {
    availability: context.slo.availability.value,
    endToEndP95Ms: context.slo.endToEndP95Ms.value,
    gatewayP95Ms: context.slo.gatewayP95Ms.value,
  };
  const findings: Finding[] = [];
  if (analysis.traceCount === 0) {
    findings.push(
      createFinding(
        'MG-TRACE-001',
        object,
        `No trace of ${context.service} in the last ${context.windowText}.`,
      ),
    );
    return findings;
  }

  const allowedErrorRate = 1 - slo.availability;
  if (
    analysis.errorRate !== null &&
    analysis.errorRate > allowedErrorRate + Number.EPSILON
  ) {
    findings.push(
      createFinding(
        'MG-TRACE-003',
        object,
        `${analysis.errorCount} of ${analysis.requestCount} requests failed (${percent(analysis.errorRate)}) in the last ${context.windowText}; the SLO allows ${percent(allowedErrorRate)}.`,
      ),
    );
  }

  const slow: string[] = [];
  if (analysis.latency && analysis.latency.p95Ms > slo.endToEndP95Ms) {
    slow.push(`P95 of the service's requests is ${duration(analysis.latency.p95Ms)}`);
  }
  if (analysis.hops && analysis.hops.edgeP95Ms > slo.endToEndP95Ms) {
    slow.push(
      `P95 of the requests as Kong saw them is ${duration(analysis.hops.edgeP95Ms)}`,
    );
  }
  if (slow.length > 0) {
    findings.push(
      createFinding(
        'MG-TRACE-004',
        object,
        `${slow.join('; ')} (SLO: ${slo.endToEndP95Ms} ms end to end).`,
      ),
    );
  }

  if (analysis.hops && analysis.hops.gatewayP95Ms > slo.gatewayP95Ms) {
    findings.push(
      createFinding(
        'MG-TRACE-005',
        object,
        `Kong's own time has a P95 of ${duration(analysis.hops.gatewayP95Ms)} over ${analysis.hops.traces} requests (SLO: ${slo.gatewayP95Ms} ms).`,
      ),
    );
  }

  const coverage = analysis.gatewayCoverage;
  const entered =
    (coverage.throughGateway + coverage.contextLost) / coverage.traces;
  if (context.gatewayExpected && entered < context.minGatewayCoverage) {
    findings.push(
      createFinding(
        'MG-TRACE-006',
        object,
        `${coverage.bypassed} of ${coverage.traces} traces (${percent(coverage.bypassed / coverage.traces)}) reached the service without passing Kong; at least ${percent(context.minGatewayCoverage)} should pass it.`,
      ),
    );
  }
  if (coverage.contextLost > 0) {
    findings.push(
      createFinding(
        'MG-TRACE-007',
        object,
        `${coverage.contextLost} of ${coverage.traces} traces passed Kong but no Kong span connects to the service's span: the trace context (B3/W3C headers) was lost on the way.`,
      ),
    );
  }
  if (analysis.hops && analysis.hops.meshTraces === 0) {
    findings.push(
      createFinding(
        'MG-TRACE-008',
        object,
        `None of the ${analysis.hops.traces} traces through Kong has an Envoy sidecar span between Kong and the service.`,
      ),
    );
  }
  return findings;
}
