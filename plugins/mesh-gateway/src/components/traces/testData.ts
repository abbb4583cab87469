import {
  createFinding,
  SectionResult,
  TraceSummaryView,
  TracesSection,
} from '@internal/plugin-mesh-gateway-common';

/* The traces section as the backend sends it, for the card tests. */

export const fetchedAt = '2026-11-22T10:00:10.000Z';

export function traceSummary(
  overrides: Partial<TraceSummaryView> = {},
): TraceSummaryView {
  return {
    traceId: '0559bca636a1365094b13651caed189f',
    startTime: '2026-11-22T09:41:02.120Z',
    durationMs: 1284.5,
    spanCount: 20,
    rootService: 'kong-gateway',
    rootOperation: 'kong',
    operation: 'POST /api/v1/ai-agent/chat',
    serviceDurationMs: 1270.2,
    error: false,
    throughGateway: true,
    url: 'https://jaeger.parallel-ai.example.com/trace/0559bca636a1365094b13651caed189f',
    ...overrides,
  };
}

export function tracesData(
  overrides: Partial<TracesSection> = {},
): TracesSection {
  return {
    instance: 'default',
    kind: 'jaeger-v3',
    service: 'ai-agent-service',
    serviceSource: 'kubernetes-id',
    window: {
      start: '2026-11-22T09:00:10.000Z',
      end: '2026-11-22T10:00:10.000Z',
      durationMs: 3_600_000,
      source: 'default',
    },
    searchUrl:
      'https://jaeger.parallel-ai.example.com/search?service=ai-agent-service&start=1&end=2&limit=500&lookback=custom',
    limit: 500,
    truncated: false,
    traceCount: 92,
    spanCount: 1840,
    requestCount: 92,
    errorCount: 2,
    errorRate: 2 / 92,
    errorTraceCount: 2,
    latency: {
      count: 92,
      p50Ms: 78.2,
      p95Ms: 131.4,
      p99Ms: 1270.2,
      maxMs: 1270.2,
    },
    slowestOperations: [
      {
        operation: 'POST /api/v1/ai-agent/chat',
        count: 92,
        errorCount: 2,
        p50Ms: 78.2,
        p95Ms: 131.4,
        p99Ms: 1270.2,
        maxMs: 1270.2,
      },
    ],
    slowestTraces: [
      traceSummary(),
      traceSummary({
        traceId: '00000000000000000559bc8e11112222',
        durationMs: 96.1,
        serviceDurationMs: 84,
        url: undefined,
      }),
    ],
    failedTraces: [
      traceSummary({
        traceId: '0559bc900fe9ac0024993aff048d000f',
        durationMs: 1402,
        error: true,
        errorMessage: 'user-service answered 500',
        // What a hostile or broken backend might send: must never become a link.
        url: ['javascript', 'alert(1)'].join(':'),
      }),
    ],
    gatewayCoverage: {
      traces: 92,
      throughGateway: 90,
      contextLost: 1,
      bypassed: 1,
      ratio: 90 / 92,
      target: 0.95,
    },
    hops: {
      traces: 90,
      gatewayMs: 6.4,
      meshMs: 1.8,
      serviceMs: 74.9,
      gatewayP95Ms: 11.2,
      edgeP95Ms: 139.8,
      meshTraces: 90,
    },
    slo: {
      availability: { value: 0.9995, source: 'baseline' },
      gatewayP95Ms: { value: 50, source: 'baseline' },
      endToEndP95Ms: { value: 100, source: 'baseline' },
    },
    dependencies: {
      source: 'dependencies-api',
      nodes: [
        { id: 'ai-agent-service', kind: 'service', focus: true },
        { id: 'analytics-service', kind: 'service', focus: false },
        { id: 'kong-gateway', kind: 'gateway', focus: false },
        { id: 'user-service', kind: 'service', focus: false },
      ],
      edges: [
        { from: 'ai-agent-service', to: 'analytics-service', callCount: 92 },
        { from: 'ai-agent-service', to: 'user-service', callCount: 92 },
        { from: 'kong-gateway', to: 'ai-agent-service', callCount: 1 },
      ],
    },
    ...overrides,
  };
}

export function tracesSection(
  overrides: Partial<SectionResult<TracesSection>> = {},
): SectionResult<TracesSection> {
  const object = 'tracing/default/services/ai-agent-service';
  return {
    section: 'traces',
    status: 'ok',
    data: tracesData(),
    findings: [
      createFinding(
        'MG-TRACE-003',
        object,
        '2 of 92 requests failed (2.2%) in the last 1 h; the SLO allows 0.05%.',
      ),
      createFinding(
        'MG-TRACE-004',
        object,
        "P95 of the service's requests is 131.4 ms (SLO: 100 ms end to end).",
      ),
    ],
    fetchedAt,
    ...overrides,
  };
}
