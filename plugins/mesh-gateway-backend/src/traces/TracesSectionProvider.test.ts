import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  KongSection,
  SectionResult,
  TracesSection,
} from '@internal/plugin-mesh-gateway-common';
import {
  FaultInjector,
  JaegerQueryServer,
  serviceNameOf,
  startJaegerQueryServer,
} from '@internal/mesh-sandbox';
import { createServer } from 'node:net';
import type { SectionContext } from '../service/SectionProvider';
import { percentiles } from './analysis';
import type { TracingInstanceConfig } from './config';
import { TracesSectionProvider } from './TracesSectionProvider';
import { ROLE_OPTIONS } from './testTraces';

const NOW = Date.parse('2026-11-22T10:00:10Z');
const HOUR = 3_600_000;

const entity = (
  name: string,
  annotations: Record<string, string> = { 'backstage.io/kubernetes-id': name },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'parallel-ai', annotations },
  spec: {},
});

const kongSection = (services: number): SectionResult<KongSection> => ({
  section: 'kong',
  status: 'ok',
  data: {
    services: Array.from(
      { length: services },
      () => ({}) as KongSection['services'][number],
    ),
    nodes: [],
  },
  findings: [],
  fetchedAt: new Date(NOW).toISOString(),
});
const contextWith = (kong: SectionResult<KongSection> = kongSection(1)) => {
  const getSection = jest.fn(async () => kong);
  return { context: { getSection } as unknown as SectionContext, getSection };
};

const instance = (
  name: string,
  kind: TracingInstanceConfig['kind'],
  baseUrl: string,
  extra: Partial<TracingInstanceConfig> = {},
): TracingInstanceConfig => ({
  name,
  kind,
  baseUrl,
  uiUrl: 'https://jaeger.parallel-ai.example.com',
  authHeaderName: 'Authorization',
  timeoutMs: 5000,
  maxTraces: 500,
  ...extra,
});

const provider = (
  instances: TracingInstanceConfig[],
  extra: { minGatewayCoverage?: number } = {},
) =>
  new TracesSectionProvider({
    instances,
    options: {
      ...ROLE_OPTIONS,
      gatewayServiceNames: ['kong'],
      minGatewayCoverage: extra.minGatewayCoverage ?? 0.95,
    },
    logger: mockServices.logger.mock(),
    policy: {
      concurrency: 4,
      retries: 0,
      retryBaseMs: 10,
      failureThreshold: 100,
      openMs: 1000,
    },
    now: () => NOW,
  });

/** Everything the analysis says, without what differs by API (kind, graph source). */
function numbers(result: SectionResult<TracesSection>) {
  const {
    kind: _kind,
    dependencies: _dependencies,
    instance: _instance,
    ...data
  } = result.data!;
  return { data, findings: result.findings };
}

describe('TracesSectionProvider against the Jaeger sandbox', () => {
  let jaeger: JaegerQueryServer;
  beforeAll(async () => {
    jaeger = await startJaegerQueryServer({ now: () => NOW, seed: 'provider' });
  });
  afterAll(() => jaeger.close());
  beforeEach(() => {
    jaeger.requests.length = 0;
  });

  const v1 = () => instance('jaeger', 'jaeger', jaeger.url);
  const v3 = () => instance('jaeger', 'jaeger-v3', jaeger.url);

  it.each(['ai-agent-service', 'user-service', 'analytics-service'])(
    'gives the same numbers for %s from /api and /api/v3',
    async service => {
      const fromV1 = await provider([v1()]).getSection(
        entity(service),
        contextWith().context,
      );
      const fromV3 = await provider([v3()]).getSection(
        entity(service),
        contextWith().context,
      );
      expect(fromV1.status).toBe('ok');
      expect(fromV1.errors).toBeUndefined();
      expect(fromV3.errors).toBeUndefined();
      expect(fromV1.data!.traceCount).toBeGreaterThan(30);
      expect(numbers(fromV3)).toEqual(numbers(fromV1));
      // /api/dependencies covers every trace; the v3 graph only the service's own traces. The
      // links of the service itself agree, except the requests whose context was lost at the
      // service: Kong's trace of them holds the sidecar's span but none of the service's own.
      const incident = (r: SectionResult<TracesSection>) =>
        r.data!.dependencies!.edges.filter(
          e => e.from === service || e.to === service,
        );
      expect(fromV1.data!.dependencies!.source).toBe('dependencies-api');
      expect(fromV3.data!.dependencies!.source).toBe('trace-spans');
      const lost = fromV1.data!.gatewayCoverage.contextLost;
      expect(incident(fromV1)).toEqual(
        incident(fromV3).map(edge =>
          edge.from === 'kong-gateway'
            ? { ...edge, callCount: edge.callCount + lost }
            : edge,
        ),
      );
      expect(incident(fromV1).length).toBeGreaterThan(0);
    },
  );

  it('reports what the sandbox generated, counted independently from its traces', async () => {
    const result = await provider([v1()]).getSection(
      entity('user-service'),
      contextWith().context,
    );
    const data = result.data!;
    const startUs = (NOW - HOUR) * 1000;
    const inWindow = (ns: bigint) =>
      Number(ns / 1000n) >= startUs && Number(ns / 1000n) <= NOW * 1000;
    const traces = [...jaeger.source.traces(startUs, NOW * 1000)].filter(t =>
      t.spans.some(
        s => serviceNameOf(s) === 'user-service' && inWindow(s.startNs),
      ),
    );
    const requests = traces
      .flatMap(t => t.spans)
      .filter(s => serviceNameOf(s) === 'user-service' && s.kind === 2);
    const failed = requests.filter(s => s.status.code === 2);
    const durations = requests.map(s => Number(s.endNs - s.startNs) / 1e6);

    expect(data.traceCount).toBe(traces.length);
    expect(data.spanCount).toBe(
      traces.reduce((sum, t) => sum + t.spans.length, 0),
    );
    expect(data.requestCount).toBe(requests.length);
    expect(data.errorCount).toBe(failed.length);
    expect(data.latency).toEqual(percentiles(durations));
    const direct = traces.filter(t =>
      t.spans.some(s => serviceNameOf(s) === 'reporting-cron'),
    );
    expect(data.gatewayCoverage).toEqual({
      traces: traces.length,
      throughGateway: traces.length - direct.length,
      contextLost: 0,
      bypassed: direct.length,
      ratio: (traces.length - direct.length) / traces.length,
      target: 0.95,
    });
    // The sandbox's Kong reports as `kong-gateway`: found by its scope, not by the name list.
    expect(data.hops).toMatchObject({
      traces: traces.length - direct.length,
      meshTraces: traces.length - direct.length,
    });
    expect(data.hops!.gatewayMs).toBeGreaterThan(4);
    expect(data.hops!.gatewayMs).toBeLessThan(20);
    expect(data.dependencies!.nodes).toEqual([
      { id: 'user-service', kind: 'service', focus: true },
      { id: 'ai-agent-service', kind: 'service', focus: false },
      { id: 'kong-gateway', kind: 'gateway', focus: false },
      { id: 'reporting-cron', kind: 'service', focus: false },
    ]);
    expect(data.slowestTraces[0].url).toBe(
      `https://jaeger.parallel-ai.example.com/trace/${data.slowestTraces[0].traceId}`,
    );
    expect(data.searchUrl).toBe(
      `https://jaeger.parallel-ai.example.com/search?service=user-service&start=${startUs}&end=${NOW * 1000}&limit=500&lookback=custom`,
    );
    // Batch calls around Kong: below the 95% the baseline wants.
    expect(result.findings.map(f => f.code)).toContain('MG-TRACE-006');
  });

  it('finds analytics-service traces that lost the context at the service (64-bit ids on v1)', async () => {
    const fromV1 = await provider([v1()]).getSection(
      entity('analytics-service'),
      contextWith().context,
    );
    expect(fromV1.data!.gatewayCoverage.contextLost).toBeGreaterThan(0);
    expect(fromV1.findings.map(f => f.code)).toContain('MG-TRACE-007');
  });

  it('asks v1 for start and end in microseconds with a limit and no lookback, and v3 for both start times', async () => {
    await provider([v1()]).getSection(
      entity('user-service'),
      contextWith().context,
    );
    await provider([v3()]).getSection(
      entity('user-service'),
      contextWith().context,
    );
    const [search, dependencies, v3Search] = jaeger.requests.map(
      r => new URL(r.path, jaeger.url),
    );
    expect(Object.fromEntries(search.searchParams)).toEqual({
      service: 'user-service',
      start: String((NOW - HOUR) * 1000),
      end: String(NOW * 1000),
      limit: '500',
    });
    expect(dependencies.pathname).toBe('/api/dependencies');
    expect(Object.fromEntries(dependencies.searchParams)).toEqual({
      endTs: String(NOW),
      lookback: String(HOUR),
    });
    expect(Object.fromEntries(v3Search.searchParams)).toEqual({
      'query.service_name': 'user-service',
      'query.start_time_min': new Date(NOW - HOUR).toISOString(),
      'query.start_time_max': new Date(NOW).toISOString(),
      'query.num_traces': '500',
    });
    expect(jaeger.requests).toHaveLength(3);
  });

  it("judges by the entity's SLO annotations and sends the targets with the section", async () => {
    const slo = async (annotations: Record<string, string>) => {
      const result = await provider([v3()]).getSection(
        entity('user-service', {
          'backstage.io/kubernetes-id': 'user-service',
          ...annotations,
        }),
        contextWith().context,
      );
      expect(result.status).toBe('ok');
      const sloCodes = result.findings
        .map(f => f.code)
        .filter(code =>
          ['MG-TRACE-003', 'MG-TRACE-004', 'MG-TRACE-005'].includes(code),
        );
      return { targets: result.data!.slo, codes: sloCodes };
    };

    expect((await slo({})).targets).toEqual({
      availability: { value: 0.9995, source: 'baseline' },
      endToEndP95Ms: { value: 100, source: 'baseline' },
      gatewayP95Ms: { value: 50, source: 'baseline' },
    });
    const strict = await slo({
      'mesh-gateway.io/slo-p95-ms': '0.1',
      'mesh-gateway.io/slo-gateway-p95-ms': '0.1',
    });
    expect(strict.targets).toEqual({
      availability: { value: 0.9995, source: 'baseline' },
      endToEndP95Ms: { value: 0.1, source: 'annotation' },
      gatewayP95Ms: { value: 0.1, source: 'annotation' },
    });
    // The sandbox's user-service fails more than the baseline's 0.05% of its requests.
    expect(strict.codes).toEqual([
      'MG-TRACE-003',
      'MG-TRACE-004',
      'MG-TRACE-005',
    ]);
    const lenient = await slo({
      'mesh-gateway.io/slo-availability': '50',
      'mesh-gateway.io/slo-p95-ms': '600000',
      'mesh-gateway.io/slo-gateway-p95-ms': '600000',
    });
    expect(lenient.targets).toEqual({
      availability: { value: 0.5, source: 'annotation' },
      endToEndP95Ms: { value: 600_000, source: 'annotation' },
      gatewayP95Ms: { value: 600_000, source: 'annotation' },
    });
    expect(lenient.codes).toEqual([]);
  });

  it("takes the window from the annotation, and a request's window over it", async () => {
    const annotated = entity('user-service', {
      'backstage.io/kubernetes-id': 'user-service',
      'mesh-gateway.io/tracing-window': '30m',
    });
    const half = await provider([v3()]).getSection(
      annotated,
      contextWith().context,
    );
    expect(half.data!.window).toEqual({
      start: new Date(NOW - HOUR / 2).toISOString(),
      end: new Date(NOW).toISOString(),
      durationMs: HOUR / 2,
      source: 'annotation',
    });
    const full = await provider([v3()]).getSection(
      entity('user-service'),
      contextWith().context,
    );
    expect(half.data!.traceCount).toBeLessThan(full.data!.traceCount);
    const requested = await provider([v3()]).getSection(
      annotated,
      contextWith().context,
      { window: '2h' },
    );
    expect(requested.data!.window).toMatchObject({
      durationMs: 2 * HOUR,
      source: 'request',
    });
  });

  it('reads an empty window as no traces: v3\'s 404 "No traces found" is not an error', async () => {
    const quiet = entity('user-service', {
      'mesh-gateway.io/tracing-service': 'user-service',
    });
    const at = NOW - 5 * 86_400_000; // before the sandbox's retention
    for (const kind of ['jaeger', 'jaeger-v3'] as const) {
      const p = new TracesSectionProvider({
        instances: [instance(kind, kind, jaeger.url)],
        options: { ...ROLE_OPTIONS, minGatewayCoverage: 0.95 },
        logger: mockServices.logger.mock(),
        now: () => at,
      });
      const result = await p.getSection(quiet, contextWith().context);
      expect({
        kind,
        status: result.status,
        errors: result.errors,
        traceCount: result.data?.traceCount,
      }).toEqual({
        kind,
        status: 'ok',
        errors: undefined,
        traceCount: 0,
      });
      expect(result.data).toMatchObject({
        latency: null,
        errorRate: null,
        hops: null,
        gatewayCoverage: { traces: 0, ratio: null },
      });
      expect(result.findings.map(f => f.code)).toEqual(['MG-TRACE-001']);
    }
  });

  it('asks for the annotation when a guessed service name is unknown, and reports an annotated one', async () => {
    const guessed = await provider([v3()]).getSection(
      entity('billing-service'),
      contextWith().context,
    );
    expect(guessed).toMatchObject({
      status: 'not-configured',
      missing: { annotations: ['mesh-gateway.io/tracing-service'] },
    });
    const annotated = await provider([v1()]).getSection(
      entity('billing', {
        'mesh-gateway.io/tracing-service': 'billing-service',
      }),
      contextWith().context,
    );
    expect(annotated.status).toBe('ok');
    expect(annotated.findings).toEqual([
      expect.objectContaining({
        code: 'MG-TRACE-002',
        message: expect.stringContaining(
          'jaeger has no service "billing-service"',
        ),
      }),
    ]);
  });

  it('uses the entity name without annotations, and finds no bypass where the entity has no Kong service', async () => {
    const { context, getSection } = contextWith({
      section: 'kong',
      status: 'not-configured',
      findings: [],
      fetchedAt: '',
    });
    const result = await provider([v1()]).getSection(
      entity('user-service', {}),
      context,
    );
    expect(result.data).toMatchObject({
      service: 'user-service',
      serviceSource: 'entity-name',
    });
    expect(getSection).toHaveBeenCalledWith('kong');
    expect(result.findings.map(f => f.code)).not.toContain('MG-TRACE-006');
  });

  it('says when the search hit the limit', async () => {
    const result = await provider([
      instance('small', 'jaeger', jaeger.url, { maxTraces: 20 }),
    ]).getSection(entity('ai-agent-service'), contextWith().context);
    expect(result.data).toMatchObject({
      limit: 20,
      truncated: true,
      traceCount: 20,
    });
  });

  it('keeps the traces when only the dependencies fail', async () => {
    const faults = new FaultInjector([
      {
        pathIncludes: '/api/dependencies',
        fault: { type: 'status', status: 500 },
      },
    ]);
    const flaky = await startJaegerQueryServer({
      now: () => NOW,
      seed: 'provider',
      faults,
    });
    try {
      const result = await provider([
        instance('flaky', 'jaeger', flaky.url),
      ]).getSection(entity('user-service'), contextWith().context);
      expect(result.status).toBe('ok');
      expect(result.data!.dependencies).toBeUndefined();
      expect(result.data!.traceCount).toBeGreaterThan(30);
      expect(result.errors).toEqual([
        {
          name: 'upstream-status',
          instance: 'flaky',
          message: 'flaky /api/dependencies: HTTP 500 (no error message)',
        },
      ]);
    } finally {
      await flaky.close();
    }
  });
});

describe('TracesSectionProvider configuration and failures', () => {
  it('is not configured without instances', async () => {
    const result = await provider([]).getSection(
      entity('user-service'),
      contextWith().context,
    );
    expect(result).toMatchObject({
      status: 'not-configured',
      missing: { configKey: 'meshGateway.tracing.instances' },
    });
  });

  it('refuses an unknown instance or a bad window in the annotations', async () => {
    const p = provider([instance('default', 'jaeger', 'http://127.0.0.1:9')]);
    const unknown = await p.getSection(
      entity('x', { 'mesh-gateway.io/tracing-instance': 'other' }),
      contextWith().context,
    );
    expect(unknown).toMatchObject({
      status: 'error',
      errors: [
        {
          name: 'bad-annotation',
          message:
            'mesh-gateway.io/tracing-instance: "other" is not one of meshGateway.tracing.instances (default)',
        },
      ],
    });
    const window = await p.getSection(
      entity('x', { 'mesh-gateway.io/tracing-window': '1 week' }),
      contextWith().context,
    );
    expect(window.errors).toEqual([
      {
        name: 'bad-annotation',
        message:
          'mesh-gateway.io/tracing-window: "1 week" is not a window length like 30m, 2h or 1d',
      },
    ]);
    const tooLong = await p.getSection(
      entity('x', { 'mesh-gateway.io/tracing-window': '8d' }),
      contextWith().context,
    );
    expect(tooLong.errors![0].message).toBe(
      'mesh-gateway.io/tracing-window: "8d" is outside 1m to 7d',
    );
  });

  it('refuses a malformed SLO annotation as the metrics section does', async () => {
    const p = provider([instance('default', 'jaeger', 'http://127.0.0.1:9')]);
    const result = await p.getSection(
      entity('x', { 'mesh-gateway.io/slo-p95-ms': 'fast' }),
      contextWith().context,
    );
    expect(result).toMatchObject({
      status: 'error',
      errors: [
        {
          name: 'bad-annotation',
          message:
            'mesh-gateway.io/slo-p95-ms: "fast" is not a number of milliseconds above 0, at most 600000, like 150',
        },
      ],
    });
  });

  it('picks the annotated instance and sends its auth header', async () => {
    const secured = await startJaegerQueryServer({
      now: () => NOW,
      seed: 'auth',
      auth: { header: 'X-Jaeger-Token', value: 'sandbox-token' },
    });
    try {
      const p = provider([
        instance('public', 'jaeger', 'http://127.0.0.1:9'),
        instance('secured', 'jaeger-v3', secured.url, {
          authHeaderName: 'X-Jaeger-Token',
          authToken: 'sandbox-token',
        }),
        instance('wrong', 'jaeger-v3', secured.url, {
          authHeaderName: 'X-Jaeger-Token',
          authToken: 'nope',
        }),
      ]);
      const ok = await p.getSection(
        entity('user-service', {
          'mesh-gateway.io/tracing-instance': 'secured',
          'backstage.io/kubernetes-id': 'user-service',
        }),
        contextWith().context,
      );
      expect(ok.status).toBe('ok');
      const denied = await p.getSection(
        entity('user-service', {
          'mesh-gateway.io/tracing-instance': 'wrong',
          'backstage.io/kubernetes-id': 'user-service',
        }),
        contextWith().context,
      );
      expect(denied).toMatchObject({
        status: 'error',
        errors: [{ name: 'unauthorized', instance: 'wrong' }],
      });
      expect(JSON.stringify(denied)).not.toContain('nope');
    } finally {
      await secured.close();
    }
  });

  it('names a timeout and an unreachable instance', async () => {
    const faults = new FaultInjector([{ fault: { type: 'hang' } }]);
    const silent = await startJaegerQueryServer({ now: () => NOW, faults });
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise(resolve => closed.close(resolve));
    try {
      const slow = await provider([
        instance('slow', 'jaeger-v3', silent.url, { timeoutMs: 300 }),
      ]).getSection(entity('user-service'), contextWith().context);
      expect(slow).toMatchObject({
        status: 'error',
        errors: [
          {
            name: 'timeout',
            instance: 'slow',
            message: expect.stringContaining('300 ms'),
          },
        ],
      });
      const gone = await provider([
        instance('gone', 'jaeger', `http://127.0.0.1:${closedPort}`),
      ]).getSection(entity('user-service'), contextWith().context);
      expect(gone).toMatchObject({
        status: 'error',
        errors: [
          {
            name: 'unreachable',
            instance: 'gone',
            message: expect.stringContaining('ECONNREFUSED'),
          },
        ],
      });
    } finally {
      await silent.close();
    }
  });

  it('says when the base URL has no such API (kind jaeger-v3 against a v1-only server)', async () => {
    const faults = new FaultInjector([
      { pathIncludes: '/api/v3/', fault: { type: 'status', status: 404 } },
    ]);
    const v1Only = await startJaegerQueryServer({
      now: () => NOW,
      seed: 'x',
      faults,
    });
    try {
      const result = await provider([
        instance('old', 'jaeger-v3', v1Only.url),
      ]).getSection(entity('user-service'), contextWith().context);
      expect(result).toMatchObject({
        status: 'error',
        errors: [{ name: 'not-found', instance: 'old' }],
      });
    } finally {
      await v1Only.close();
    }
  });
});
