import { sloTargets } from '@internal/plugin-mesh-gateway-common';
import {
  analyseTraces,
  median,
  percentiles,
  spanRole,
  traceFindings,
  TraceFindingContext,
} from './analysis';
import { parseV1Trace } from './jaegerV1';
import { parseOtlpTracesData } from './otlpJson';
import { buildTrace, envoy, ROLE_OPTIONS, throughKong } from './testTraces';

const options = {
  ...ROLE_OPTIONS,
  service: 'user-service',
  uiUrl: 'https://jaeger.example.com/',
};
const findingContext: TraceFindingContext = {
  instance: 'default',
  service: 'user-service',
  windowText: '1 h',
  minGatewayCoverage: 0.95,
  gatewayExpected: true,
  slo: sloTargets({}),
};
const codes = (findings: { code: string }[]) =>
  findings.map(f => f.code).sort();

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({
      count: 100,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      maxMs: 100,
    });
    expect(percentiles([7])).toEqual({
      count: 1,
      p50Ms: 7,
      p95Ms: 7,
      p99Ms: 7,
      maxMs: 7,
    });
    // 20 values: P95 is the 19th, P99 the 20th.
    expect(
      percentiles(Array.from({ length: 20 }, (_, i) => i + 1)),
    ).toMatchObject({ p50Ms: 10, p95Ms: 19, p99Ms: 20 });
    expect(percentiles([])).toBeNull();
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("computes latency over the service's server spans only", () => {
    const traces = [10, 20, 30, 40].map(ms =>
      buildTrace({
        service: 'user-service',
        ms,
        children: [
          { service: 'user-service', kind: 'client', ms: ms * 5 },
          { service: 'user-service', kind: 'internal', ms: 1000 },
        ],
      }),
    );
    const analysis = analyseTraces(traces, options);
    expect(analysis.requestCount).toBe(4);
    expect(analysis.latency).toEqual({
      count: 4,
      p50Ms: 20,
      p95Ms: 40,
      p99Ms: 40,
      maxMs: 40,
    });
  });

  it('counts spans of unknown kind that enter the service as requests (v1 data without span.kind)', () => {
    const trace = buildTrace({
      service: 'caller',
      kind: 'client',
      ms: 50,
      children: [
        {
          service: 'user-service',
          kind: 'unspecified',
          ms: 30,
          children: [{ service: 'user-service', kind: 'unspecified', ms: 10 }],
        },
      ],
    });
    expect(analyseTraces([trace], options).latency).toMatchObject({
      count: 1,
      p50Ms: 30,
    });
  });
});

describe('error detection', () => {
  const tag = (key: string, type: string, value: unknown) => ({
    key,
    type,
    value,
  });
  const v1Span = (spanID: string, tags: unknown[]) => ({
    traceID: 'abc',
    spanID,
    operationName: 'GET /users',
    references: [],
    startTime: 1_795_340_000_000_000,
    duration: 1000,
    tags: [tag('span.kind', 'string', 'server'), ...tags],
    logs: [],
    processID: 'p1',
  });

  it('reads error as a bool, as the string "true", and otel.status_code ERROR (v1), and status code 2 (OTLP)', () => {
    const v1 = parseV1Trace({
      traceID: 'abc',
      processes: { p1: { serviceName: 'user-service', tags: [] } },
      spans: [
        v1Span('01', [tag('error', 'bool', true)]),
        v1Span('02', [tag('error', 'bool', 'true')]),
        v1Span('03', [tag('error', 'string', 'true')]),
        v1Span('04', [
          tag('otel.status_code', 'string', 'ERROR'),
          tag('otel.status_description', 'string', 'db down'),
        ]),
        v1Span('05', [
          tag('error', 'bool', false),
          tag('otel.status_code', 'string', 'OK'),
        ]),
      ],
    });
    const otlp = parseOtlpTracesData({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'user-service' } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'cd'.repeat(16),
                  spanId: '0000000000000001',
                  kind: 2,
                  startTimeUnixNano: '1000000',
                  endTimeUnixNano: '2000000',
                  status: { code: 2, message: 'boom' },
                },
                {
                  traceId: 'cd'.repeat(16),
                  spanId: '0000000000000002',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1000000',
                  endTimeUnixNano: '2000000',
                  status: { code: 'STATUS_CODE_ERROR' },
                },
                {
                  traceId: 'cd'.repeat(16),
                  spanId: '0000000000000003',
                  kind: 2,
                  startTimeUnixNano: '1000000',
                  endTimeUnixNano: '2000000',
                  status: { code: 1 },
                },
                {
                  traceId: 'cd'.repeat(16),
                  spanId: '0000000000000004',
                  kind: 2,
                  startTimeUnixNano: '1000000',
                  endTimeUnixNano: '2000000',
                  attributes: [
                    { key: 'error', value: { stringValue: 'true' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(v1.spans.map(s => s.error)).toEqual([true, true, true, true, false]);
    expect(v1.spans[3].errorMessage).toBe('db down');
    expect(otlp.traces[0].spans.map(s => s.error)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(otlp.traces[0].spans[0].errorMessage).toBe('boom');

    const analysis = analyseTraces([v1, ...otlp.traces], options);
    expect(analysis).toMatchObject({
      requestCount: 9,
      errorCount: 7,
      errorTraceCount: 2,
    });
    expect(analysis.errorRate).toBeCloseTo(7 / 9);
  });
});

describe('span roles', () => {
  const role = (span: Partial<Parameters<typeof spanRole>[0]>) =>
    spanRole(
      {
        traceId: '',
        spanId: '',
        service: 'x',
        operation: '',
        kind: 'server',
        startUs: 0,
        durationUs: 0,
        error: false,
        attributes: {},
        resource: {},
        ...span,
      },
      ROLE_OPTIONS,
    );

  it("knows Kong by service name or scope, Envoy by its tags (Kong's own sidecar is mesh) or by name", () => {
    expect(role({ service: 'Kong' })).toBe('gateway');
    expect(role({ service: 'kong-gateway', scope: 'kong-internal' })).toBe(
      'gateway',
    );
    expect(
      role({ service: 'kong.kong', attributes: { component: 'proxy' } }),
    ).toBe('proxy');
    expect(
      role({
        service: 'kong',
        attributes: { upstream_cluster: 'outbound|8080||a' },
      }),
    ).toBe('proxy');
    expect(role({ service: 'istio-proxy' })).toBe('proxy');
    expect(role({ service: 'user-service' })).toBe('app');
  });
});

describe('gateway coverage', () => {
  it('sorts traces into through Kong, context lost and bypassed', () => {
    const traces = [
      // Kong → sidecars → user-service.
      throughKong('user-service', { kongMs: 30, meshMs: 4, serviceMs: 20 }),
      // Kong → ai-agent-service → user-service: Kong is upstream, two hops away.
      buildTrace({
        service: 'kong',
        scope: 'kong-internal',
        ms: 80,
        children: [
          {
            service: 'ai-agent-service',
            ms: 70,
            children: [
              {
                service: 'ai-agent-service',
                kind: 'client',
                ms: 20,
                children: [{ service: 'user-service', ms: 15 }],
              },
            ],
          },
        ],
      }),
      // Kong's spans are in the trace, but the service's parent was never reported.
      buildTrace({
        service: 'kong',
        scope: 'kong-internal',
        ms: 40,
        children: [
          { service: 'user-service', ms: 20, orphanParent: 'ffffffffffffffff' },
        ],
      }),
      // A new trace began at the sidecar, which recorded Kong's request id.
      buildTrace(
        envoy(
          'user-service.parallel-ai',
          22,
          'server',
          [{ service: 'user-service', ms: 20 }],
          { 'x-kong-request-id': 'a1b2' },
        ),
      ),
      // The app captured the source header Kong adds.
      buildTrace({
        service: 'user-service',
        ms: 20,
        attributes: {
          'http.request.header.x-request-source': '["kong-gateway"]',
        },
      }),
      // A batch job calls directly.
      buildTrace({
        service: 'reporting-cron',
        kind: 'internal',
        ms: 30,
        children: [{ service: 'user-service', ms: 20 }],
      }),
      // Another service's trace: not counted.
      buildTrace({ service: 'analytics-service', ms: 10 }),
    ];
    const { gatewayCoverage, traceCount, slowestTraces } = analyseTraces(
      traces,
      options,
    );
    expect(traceCount).toBe(6);
    expect(gatewayCoverage).toEqual({
      traces: 6,
      throughGateway: 2,
      contextLost: 3,
      bypassed: 1,
      ratio: 2 / 6,
    });
    expect(slowestTraces.filter(t => t.throughGateway)).toHaveLength(2);
  });
});

describe('hops', () => {
  it("takes medians of Kong's own time, the mesh between Kong and the service, and the service", () => {
    const analysis = analyseTraces(
      [
        throughKong('user-service', { kongMs: 30, meshMs: 5, serviceMs: 15 }),
        throughKong('user-service', { kongMs: 40, meshMs: 5, serviceMs: 20 }),
        // No sidecar: Kong calls the service directly.
        throughKong('user-service', { kongMs: 25, meshMs: 0, serviceMs: 20 }),
      ],
      options,
    );
    // Kong: 30 − 20 = 10, 40 − 25 = 15, 25 − 20 = 5.
    expect(analysis.hops).toEqual({
      traces: 3,
      gatewayMs: 10,
      meshMs: 5,
      serviceMs: 20,
      gatewayP95Ms: 15,
      edgeP95Ms: 40,
      meshTraces: 2,
    });
  });

  it('has none without traces through Kong', () => {
    expect(
      analyseTraces([buildTrace({ service: 'user-service', ms: 5 })], options)
        .hops,
    ).toBeNull();
  });
});

describe('lists', () => {
  const start = Date.parse('2026-11-22T09:00:00Z');
  const traces = Array.from({ length: 14 }, (_, i) =>
    throughKong(
      'user-service',
      {
        kongMs: 20 + i,
        meshMs: 2,
        serviceMs: 10 + i,
        error: i % 3 === 0,
        operation: i % 2 ? 'GET /a' : 'GET /b',
      },
      start + i * 60_000,
    ),
  );
  const analysis = analyseTraces(traces, options);

  it('lists the 10 slowest traces, longest first, with links into the tracing UI', () => {
    expect(analysis.slowestTraces).toHaveLength(10);
    expect(analysis.slowestTraces.map(t => t.durationMs)).toEqual([
      33, 32, 31, 30, 29, 28, 27, 26, 25, 24,
    ]);
    expect(analysis.slowestTraces[0]).toMatchObject({
      traceId: traces[13].traceId,
      url: `https://jaeger.example.com/trace/${traces[13].traceId}`,
      rootService: 'kong',
      rootOperation: 'kong',
      operation: 'GET /a',
      serviceDurationMs: 23,
      spanCount: 6,
      throughGateway: true,
      startTime: new Date(start + 13 * 60_000).toISOString(),
    });
  });

  it('lists the latest failed traces, newest first', () => {
    expect(analysis.failedTraces.map(t => t.traceId)).toEqual(
      [12, 9, 6, 3, 0].map(i => traces[i].traceId),
    );
    expect(analysis.errorTraceCount).toBe(5);
  });

  it('lists operations slowest first by P95', () => {
    expect(
      analysis.slowestOperations.map(o => [
        o.operation,
        o.count,
        o.errorCount,
        o.p95Ms,
      ]),
    ).toEqual([
      ['GET /a', 7, 2, 23],
      ['GET /b', 7, 3, 22],
    ]);
  });

  it('gives no links without a UI URL, and escapes ids in links', () => {
    const withoutUi = analyseTraces(traces.slice(0, 1), {
      ...options,
      uiUrl: undefined,
    });
    expect(withoutUi.slowestTraces[0].url).toBeUndefined();
    const odd = buildTrace(
      { service: 'user-service', ms: 1 },
      undefined,
      'trace~1',
    );
    expect(analyseTraces([odd], options).slowestTraces[0].url).toBe(
      'https://jaeger.example.com/trace/trace~1',
    );
  });
});

describe('traceFindings', () => {
  const healthy = () =>
    Array.from({ length: 40 }, (_, i) =>
      throughKong(
        'user-service',
        { kongMs: 30, meshMs: 4, serviceMs: 20 },
        Date.parse('2026-11-22T09:00:00Z') + i * 1000,
      ),
    );

  it('finds nothing in healthy traffic through Kong', () => {
    expect(
      traceFindings(analyseTraces(healthy(), options), findingContext),
    ).toEqual([]);
  });

  it('reports an empty window and nothing else', () => {
    const findings = traceFindings(analyseTraces([], options), findingContext);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'MG-TRACE-001',
        object: 'tracing/default/services/user-service',
        message: 'No trace of user-service in the last 1 h.',
      }),
    ]);
  });

  it('compares the error rate with the availability SLO (0.05%)', () => {
    const ok = Array.from({ length: 1999 }, () =>
      buildTrace({ service: 'user-service', ms: 5 }),
    );
    const failing = buildTrace({ service: 'user-service', ms: 5, error: true });
    const at = traceFindings(analyseTraces([...ok, failing], options), {
      ...findingContext,
      gatewayExpected: false,
    });
    expect(codes(at)).toEqual([]);
    const over = traceFindings(
      analyseTraces([...ok.slice(0, 999), failing], options),
      { ...findingContext, gatewayExpected: false },
    );
    expect(over.find(f => f.code === 'MG-TRACE-003')).toMatchObject({
      severity: 'critical',
      message:
        '1 of 1000 requests failed (0.10%) in the last 1 h; the SLO allows 0.05%.',
    });
  });

  it("reports latency over the end-to-end SLO and Kong's time over the gateway SLO", () => {
    const slow = [
      ...healthy(),
      ...Array.from({ length: 5 }, () =>
        throughKong('user-service', { kongMs: 200, meshMs: 4, serviceMs: 120 }),
      ),
    ];
    const findings = traceFindings(
      analyseTraces(slow, options),
      findingContext,
    );
    expect(codes(findings)).toEqual(['MG-TRACE-004', 'MG-TRACE-005']);
    expect(findings.find(f => f.code === 'MG-TRACE-004')!.message).toBe(
      "P95 of the service's requests is 120 ms; P95 of the requests as Kong saw them is 200 ms (SLO: 100 ms end to end).",
    );
    expect(findings.find(f => f.code === 'MG-TRACE-005')!.message).toBe(
      "Kong's own time has a P95 of 76 ms over 45 requests (SLO: 50 ms).",
    );
  });

  describe.each<{
    traffic: 'healthy' | 'slow';
    annotations: Record<string, string>;
    expected: [string, string][];
  }>([
    {
      traffic: 'healthy',
      annotations: {},
      expected: [],
    },
    {
      traffic: 'healthy',
      annotations: { 'mesh-gateway.io/slo-p95-ms': '15' },
      expected: [
        [
          'MG-TRACE-004',
          "P95 of the service's requests is 20 ms; P95 of the requests as Kong saw them is 30 ms (SLO: 15 ms end to end).",
        ],
      ],
    },
    {
      traffic: 'healthy',
      annotations: { 'mesh-gateway.io/slo-gateway-p95-ms': '5.5' },
      expected: [
        [
          'MG-TRACE-005',
          "Kong's own time has a P95 of 6 ms over 40 requests (SLO: 5.5 ms).",
        ],
      ],
    },
    {
      traffic: 'slow',
      annotations: {},
      expected: [
        [
          'MG-TRACE-004',
          "P95 of the service's requests is 120 ms; P95 of the requests as Kong saw them is 200 ms (SLO: 100 ms end to end).",
        ],
        [
          'MG-TRACE-005',
          "Kong's own time has a P95 of 76 ms over 45 requests (SLO: 50 ms).",
        ],
      ],
    },
    {
      traffic: 'slow',
      annotations: {
        'mesh-gateway.io/slo-p95-ms': '250',
        'mesh-gateway.io/slo-gateway-p95-ms': '80',
      },
      expected: [],
    },
    {
      traffic: 'slow',
      annotations: { 'mesh-gateway.io/slo-p95-ms': '150' },
      expected: [
        [
          'MG-TRACE-004',
          'P95 of the requests as Kong saw them is 200 ms (SLO: 150 ms end to end).',
        ],
        [
          'MG-TRACE-005',
          "Kong's own time has a P95 of 76 ms over 45 requests (SLO: 50 ms).",
        ],
      ],
    },
  ])(
    'latency of $traffic traffic against the SLO of $annotations',
    ({ traffic, annotations, expected }) => {
      it('follows the annotations, as sloTargets reads them for metrics', () => {
        const traces =
          traffic === 'healthy'
            ? healthy()
            : [
                ...healthy(),
                ...Array.from({ length: 5 }, () =>
                  throughKong('user-service', {
                    kongMs: 200,
                    meshMs: 4,
                    serviceMs: 120,
                  }),
                ),
              ];
        const findings = traceFindings(analyseTraces(traces, options), {
          ...findingContext,
          slo: sloTargets(annotations),
        });
        expect(findings.map(f => [f.code, f.message])).toEqual(expected);
      });
    },
  );

  it.each([
    // 1 failed request of 1000 (0.10%) and of 2000 (0.05%).
    [1000, {}, ['MG-TRACE-003']],
    [1000, { 'mesh-gateway.io/slo-availability': '99.8' }, []],
    [2000, {}, []],
    [2000, { 'mesh-gateway.io/slo-availability': '99.99' }, ['MG-TRACE-003']],
  ])(
    'judges 1 failure in %i requests by the availability SLO of %j',
    (requests, annotations, expected) => {
      const traces = [
        ...Array.from({ length: requests - 1 }, () =>
          buildTrace({ service: 'user-service', ms: 5 }),
        ),
        buildTrace({ service: 'user-service', ms: 5, error: true }),
      ];
      const findings = traceFindings(analyseTraces(traces, options), {
        ...findingContext,
        gatewayExpected: false,
        slo: sloTargets(annotations),
      });
      expect(codes(findings)).toEqual(expected);
    },
  );

  it('reports traffic around Kong only where Kong is expected, and lost context, and a missing mesh hop', () => {
    const traces = [
      ...Array.from({ length: 10 }, () =>
        throughKong('user-service', { kongMs: 30, meshMs: 0, serviceMs: 20 }),
      ),
      buildTrace({
        service: 'reporting-cron',
        kind: 'internal',
        ms: 30,
        children: [{ service: 'user-service', ms: 20 }],
      }),
      buildTrace({
        service: 'user-service',
        ms: 20,
        attributes: { 'x-kong-request-id': 'k1' },
      }),
    ];
    const analysis = analyseTraces(traces, options);
    expect(codes(traceFindings(analysis, findingContext))).toEqual([
      'MG-TRACE-006',
      'MG-TRACE-007',
      'MG-TRACE-008',
    ]);
    expect(
      traceFindings(analysis, findingContext).find(
        f => f.code === 'MG-TRACE-006',
      )!.message,
    ).toBe(
      '1 of 12 traces (8.3%) reached the service without passing Kong; at least 95.0% should pass it.',
    );
    expect(
      codes(
        traceFindings(analysis, { ...findingContext, gatewayExpected: false }),
      ),
    ).toEqual(['MG-TRACE-007', 'MG-TRACE-008']);
  });
});
