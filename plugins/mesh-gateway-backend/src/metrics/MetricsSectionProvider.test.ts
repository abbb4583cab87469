import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { KongSection, SectionResult } from '@internal/plugin-mesh-gateway-common';
import { createServer } from 'node:net';
import type { SectionContext } from '../service/SectionProvider';
import { errorEnvelope, FakePrometheus, vector } from './__testUtils__/fakePrometheus';
import type { PrometheusInstanceConfig } from './config';
import { MetricsSectionProvider } from './MetricsSectionProvider';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'user-service', namespace: 'parallel-ai', annotations },
  spec: {},
});
const annotated = (extra: Record<string, string> = {}) =>
  entity({
    'mesh-gateway.io/kong-services': 'user-service',
    'backstage.io/kubernetes-id': 'user-service',
    'backstage.io/kubernetes-namespace': 'parallel-ai',
    ...extra,
  });
const instance = (name: string, url: string, extra: Partial<PrometheusInstanceConfig> = {}): PrometheusInstanceConfig => ({
  name,
  url,
  authHeaderName: 'Authorization',
  timeoutMs: 2000,
  scrapeIntervalSeconds: 15,
  labels: {},
  ...extra,
});
const noRetries = { concurrency: 16, retries: 0, retryBaseMs: 1, failureThreshold: 1000, openMs: 1000 };
const provider = (instances: PrometheusInstanceConfig[], logger = mockServices.logger.mock()) =>
  new MetricsSectionProvider({
    instances,
    options: { defaultWindow: '1h', shortWindow: '5m', fastBurnRate: 2 },
    logger,
    policy: noRetries,
    now: () => NOW,
  });
const context = (kong?: SectionResult<KongSection>): SectionContext => ({
  getSection: (() => (kong ? Promise.resolve(kong) : Promise.reject(new Error('no Kong section')))) as SectionContext['getSection'],
});

/** Answers like Prometheus would for a healthy service: Kong 3.x, Istio with full mTLS. */
function healthyAnswer(request: { params: Record<string, string> }) {
  const query = request.params.query ?? '';
  const range = request.params.step !== undefined;
  if (range) {
    return { json: { status: 'success', data: { resultType: 'matrix', result: [] } } };
  }
  if (query.includes('kong_http_requests_total')) {
    return vector([
      { metric: { mg_status_class: '2xx', mg_kong_metrics: '3' }, value: '9.5' },
      { metric: { mg_status_class: '4xx', mg_kong_metrics: '3' }, value: '0.5' },
    ]);
  }
  if (query.includes('kong_request_latency_ms_bucket')) {
    return vector(
      ['request', 'kong', 'upstream'].flatMap(latency =>
        ['0.5', '0.95', '0.99'].map(q => ({ metric: { mg_latency: latency, mg_quantile: q, mg_kong_metrics: '3' }, value: latency === 'kong' ? '4' : '40' })),
      ),
    );
  }
  if (query.includes('istio_requests_total')) {
    return vector([{ metric: { mg_status_class: '2xx', connection_security_policy: 'mutual_tls' }, value: '10' }]);
  }
  if (query.includes('istio_request_duration')) {
    return vector(['0.5', '0.95', '0.99'].map(q => ({ metric: { mg_quantile: q }, value: '35' })));
  }
  return vector([]);
}

describe('MetricsSectionProvider', () => {
  let prometheus: FakePrometheus;
  beforeAll(async () => {
    prometheus = await new FakePrometheus().start();
  });
  afterAll(() => prometheus.close());
  beforeEach(() => {
    prometheus.requests.length = 0;
    prometheus.answer = healthyAnswer;
  });

  it('is not configured without Prometheus instances, or without an annotation naming the service', async () => {
    expect(await provider([]).getSection(annotated(), context())).toMatchObject({
      section: 'metrics',
      status: 'not-configured',
      missing: { configKey: 'meshGateway.prometheus.instances' },
    });
    expect(await provider([instance('main', prometheus.url)]).getSection(entity({}), context())).toMatchObject({
      status: 'not-configured',
      missing: {
        annotations: ['mesh-gateway.io/kong-services', 'mesh-gateway.io/kong-tags', 'backstage.io/kubernetes-id', 'mesh-gateway.io/istio-host'],
      },
    });
    expect(prometheus.requests).toEqual([]);
  });

  it('reads a healthy service: signals, SLO met, no findings', async () => {
    const result = await provider([instance('main', prometheus.url)]).getSection(annotated(), context());
    expect(result.status).toBe('ok');
    expect(result.errors).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(result.data).toMatchObject({
      instance: 'main',
      window: { durationMs: 3_600_000, source: 'default', stepSeconds: 60, end: new Date(NOW).toISOString() },
      gateway: {
        kongServices: ['user-service'],
        metricsVersion: 'kong-3',
        traffic: { requestRate: 10, errorRate: 0, errorShare: 0, clientErrorShare: 0.05, requests: 36_000 },
        requestLatency: { p50Ms: 40, p95Ms: 40, p99Ms: 40 },
        kongLatency: { p95Ms: 4 },
      },
      mesh: { found: true, mtls: { share: 1 }, latency: { p95Ms: 35 } },
      slo: { budget: { burnRate: 0, remaining: 1, source: 'gateway' } },
    });
    expect(result.data!.slo.objectives.map(o => o.state)).toEqual(['met', 'met', 'met']);
    // Five queries per place: traffic, short-window traffic, latency, and their two range series.
    expect(prometheus.requests).toHaveLength(10);
    for (const request of prometheus.requests) {
      expect(Number(request.params.time ?? request.params.end)).toBe(NOW / 1000);
    }
  });

  it.each([
    [{ 'mesh-gateway.io/kong-services': 'user service' }, 'mesh-gateway.io/kong-services: "user service" is not a valid Kong service name'],
    [{ 'backstage.io/kubernetes-id': 'x"} or vector(1) #' }, 'backstage.io/kubernetes-id: "x"} or vector(1) #" is not a Kubernetes name'],
    [{ 'backstage.io/kubernetes-id': 'user-service', 'backstage.io/kubernetes-namespace': 'Parallel_AI' }, 'backstage.io/kubernetes-namespace'],
    [{ 'mesh-gateway.io/istio-host': 'user-service.parallel-ai.svc"}' }, 'mesh-gateway.io/istio-host'],
    [{ 'mesh-gateway.io/kong-services': 'user-service', 'mesh-gateway.io/metrics-window': '1y' }, 'mesh-gateway.io/metrics-window: "1y" is not a window length'],
    [{ 'mesh-gateway.io/kong-services': 'user-service', 'mesh-gateway.io/slo-availability': '100' }, 'mesh-gateway.io/slo-availability'],
    [{ 'mesh-gateway.io/kong-services': 'user-service', 'mesh-gateway.io/prometheus-instance': 'other' }, 'mesh-gateway.io/prometheus-instance: "other" is not one of meshGateway.prometheus.instances (main)'],
  ])('answers a bad annotation (%j) without asking Prometheus', async (annotations, message) => {
    const result = await provider([instance('main', prometheus.url)]).getSection(entity(annotations), context());
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation', message: expect.stringContaining(message) }] });
    expect(prometheus.requests).toEqual([]);
  });

  it('takes the window from the request, else the annotation, and the instance and extra labels from config', async () => {
    const instances = [instance('main', prometheus.url), instance('edge', prometheus.url, { labels: { cluster: 'edge-1' } })];
    const fromAnnotation = await provider(instances).getSection(
      annotated({ 'mesh-gateway.io/metrics-window': '6h', 'mesh-gateway.io/prometheus-instance': 'edge' }),
      context(),
    );
    expect(fromAnnotation.data).toMatchObject({ instance: 'edge', window: { durationMs: 21_600_000, source: 'annotation', stepSeconds: 600 } });
    expect(prometheus.requests.every(r => r.params.query.includes('cluster="edge-1"'))).toBe(true);
    expect(prometheus.requests.some(r => r.params.query.includes('[21600s]'))).toBe(true);

    const fromRequest = await provider(instances).getSection(annotated({ 'mesh-gateway.io/metrics-window': '6h' }), context(), { window: '30m' });
    expect(fromRequest.data!.window).toMatchObject({ durationMs: 1_800_000, source: 'request' });
  });

  it('reads the Kong services that kong-tags select from the Kong section', async () => {
    const kong = {
      section: 'kong',
      status: 'ok',
      findings: [],
      fetchedAt: new Date(NOW).toISOString(),
      data: {
        nodes: [],
        services: [
          { instance: 'default', service: { id: 'id-1', name: 'user-service' }, routes: [], plugins: [] },
          { instance: 'default', service: { id: 'id-2', name: null }, routes: [], plugins: [] },
        ],
      },
    } as unknown as SectionResult<KongSection>;
    const result = await provider([instance('main', prometheus.url)]).getSection(
      entity({ 'mesh-gateway.io/kong-tags': 'service:user-service' }),
      context(kong),
    );
    expect(result.data!.gateway!.kongServices).toEqual(['user-service', 'id-2']);
    expect(result.data!.mesh).toBeNull();
    expect(prometheus.requests[0].params.query).toContain('kong_http_requests_total{service=~"user-service|id-2"}');

    const noneTagged = await provider([instance('main', prometheus.url)]).getSection(
      entity({ 'mesh-gateway.io/kong-tags': 'service:nothing' }),
      context({ ...kong, data: { nodes: [], services: [] } }),
    );
    expect(noneTagged).toMatchObject({
      status: 'not-configured',
      missing: { annotations: ['mesh-gateway.io/kong-services', 'backstage.io/kubernetes-id', 'mesh-gateway.io/istio-host'] },
    });

    const kongDown = await provider([instance('main', prometheus.url)]).getSection(
      entity({ 'mesh-gateway.io/kong-tags': 'service:user-service', 'backstage.io/kubernetes-id': 'user-service' }),
      context({ ...kong, status: 'error', data: undefined, errors: [{ name: 'timeout', message: 'Kong did not answer' }] }),
    );
    expect(kongDown.status).toBe('ok');
    expect(kongDown.data!.gateway).toBeNull();
    expect(kongDown.errors).toEqual([expect.objectContaining({ name: 'kong-section', message: expect.stringContaining('Kong did not answer') })]);
  });

  it('names Prometheus\' error type when every query is refused', async () => {
    prometheus.answer = () => errorEnvelope('execution', 'query processing would load too many samples into memory');
    const logger = mockServices.logger.mock();
    const result = await provider([instance('main', prometheus.url)], logger).getSection(annotated(), context());
    expect(result.status).toBe('error');
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        name: 'prometheus-execution',
        instance: 'main',
        message: 'main /api/v1/query: execution: query processing would load too many samples into memory',
      },
      {
        name: 'prometheus-execution',
        instance: 'main',
        message: 'main /api/v1/query_range: execution: query processing would load too many samples into memory',
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('execution: query processing'));
  });

  it('keeps what it could read when only the mesh queries fail, without findings about missing metrics', async () => {
    prometheus.answer = request =>
      request.params.query.includes('istio_') ? errorEnvelope('timeout', 'query timed out in expression evaluation') : healthyAnswer(request);
    const result = await provider([instance('main', prometheus.url)]).getSection(annotated(), context());
    expect(result.status).toBe('ok');
    expect(result.data!.gateway!.traffic!.requestRate).toBe(10);
    expect(result.data!.mesh).toBeNull();
    expect(result.errors!.map(e => e.name)).toEqual(['prometheus-timeout', 'prometheus-timeout']);
    expect(result.findings.map(f => f.code)).not.toContain('MG-SLO-008');
  });

  it('does not take a failed latency query for latency metrics being off', async () => {
    prometheus.answer = request =>
      request.params.query.includes('kong_request_latency_ms_bucket') && request.params.step === undefined
        ? errorEnvelope('internal', 'TSDB not ready')
        : healthyAnswer(request);
    const result = await provider([instance('main', prometheus.url)]).getSection(annotated(), context());
    expect(result.status).toBe('ok');
    expect(result.data!.gateway!.requestLatency).toBeNull();
    expect(result.findings.map(f => f.code)).not.toContain('MG-SLO-007');
    expect(result.errors).toEqual([expect.objectContaining({ name: 'prometheus-internal' })]);
  });

  it('reports a timeout and an unreachable Prometheus as section errors', async () => {
    prometheus.answer = () => 'hang';
    const timedOut = await provider([instance('main', prometheus.url, { timeoutMs: 150 })]).getSection(annotated(), context());
    expect(timedOut.status).toBe('error');
    expect(timedOut.errors!.map(e => e.name)).toEqual(['timeout', 'timeout']);
    expect(timedOut.errors![0].message).toBe('main /api/v1/query: no answer within 150 ms');

    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise(resolve => closed.close(resolve));
    const unreachable = await provider([instance('main', `http://127.0.0.1:${port}`)]).getSection(annotated(), context());
    expect(unreachable).toMatchObject({ status: 'error', errors: [{ name: 'unreachable', instance: 'main' }, { name: 'unreachable' }] });
  });
});
