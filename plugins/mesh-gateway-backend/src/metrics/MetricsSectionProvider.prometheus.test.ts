import fs from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { MetricsSection, SectionResult } from '@internal/plugin-mesh-gateway-common';
import {
  ADR_METRICS_SCENARIOS,
  generateMeshMetrics,
  MeshMetricsDataset,
  PROMETHEUS_SANDBOX_DEFAULTS,
  PrometheusSandbox,
  ServiceTrafficScenario,
  startPrometheusSandbox,
} from '@internal/mesh-sandbox';
import type { SectionContext } from '../service/SectionProvider';
import { histogramQuantile, LabelFilter, selectSeries, sumRate } from './__testUtils__/referencePromQL';
import { MetricsSectionProvider } from './MetricsSectionProvider';
import { PrometheusClient } from './PrometheusClient';
import { kongTrafficQuery } from './queries';
import { rateIntervalMs } from './window';

/*
 * A real Prometheus (Debian's package) holding generated Kong and Istio series, backfilled with
 * promtool. The numbers the section reports must equal what the test computes from the same
 * samples with Prometheus' own rules (rate extrapolation, bucket interpolation), up to
 * floating-point noise.
 */

const installed =
  fs.existsSync(PROMETHEUS_SANDBOX_DEFAULTS.prometheusBinary) && fs.existsSync(PROMETHEUS_SANDBOX_DEFAULTS.promtoolBinary);
if (!installed && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn(
    `\n*** SKIPPED: the real-Prometheus tests of the metrics section need ${PROMETHEUS_SANDBOX_DEFAULTS.prometheusBinary} and promtool: install them with "apt-get install prometheus". In CI this is a failure. ***\n`,
  );
}
// In CI a missing binary is not skipped: startPrometheusSandbox rejects, naming the package.
const describeWithPrometheus = installed || process.env.CI ? describe : describe.skip;

const NAMESPACE = 'parallel-ai';
const scenario = (overrides: Partial<ServiceTrafficScenario> & { service: string }): ServiceTrafficScenario => ({
  ...ADR_METRICS_SCENARIOS[2],
  namespace: NAMESPACE,
  route: `${overrides.service}-route`,
  plaintextRequestsPerSecond: 0,
  requestsPerSecond: 3,
  ...overrides,
});
const SCENARIOS: ServiceTrafficScenario[] = [
  ...ADR_METRICS_SCENARIOS,
  // A service behind a Kong 2.8 cluster: 2.x metric names only.
  scenario({ service: 'billing-service', kongMetrics: 'kong-2', upstreamErrorShare: 0.01 }),
  // latency_metrics off: requests but no latency histograms.
  scenario({ service: 'reports-service', kongMetrics: 'requests-only', istioMetrics: false }),
  // No prometheus plugin for the service at all.
  scenario({ service: 'search-service', kongMetrics: 'off' }),
];

const WINDOW_MS = 3_600_000;
const SHORT_MS = 5 * 60_000;
const SCRAPE_SECONDS = 30;
/** Floating-point noise only: sums in another order, ratios of such sums. */
const close = (actual: number | null | undefined, expected: number | undefined) => {
  expect(actual).not.toBeNull();
  expect(expected).toBeDefined();
  expect(Number.isFinite(expected)).toBe(true);
  expect(Math.abs(actual! - expected!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected!)));
};

const entity = (name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: NAMESPACE,
    annotations: {
      'mesh-gateway.io/kong-services': name,
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': NAMESPACE,
      ...annotations,
    },
  },
  spec: {},
});
const noContext: SectionContext = {
  getSection: () => Promise.reject(new Error('no other section in this test')),
};

describeWithPrometheus('metrics section against a real Prometheus', () => {
  let prometheus: PrometheusSandbox;
  let dataset: MeshMetricsDataset;
  let endMs: number;
  let provider: MetricsSectionProvider;
  let client: PrometheusClient;
  const results = new Map<string, SectionResult<MetricsSection>>();

  beforeAll(async () => {
    endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    dataset = generateMeshMetrics({
      endMs,
      durationMs: WINDOW_MS + 5 * 60_000,
      intervalMs: SCRAPE_SECONDS * 1000,
      scenarios: SCENARIOS,
      seed: 'metrics-section-test',
    });
    const started = Date.now();
    prometheus = await startPrometheusSandbox({ dataset, port: 0 });
    // eslint-disable-next-line no-console
    console.info(
      `Prometheus sandbox: ${dataset.series.length} series, ready in ${Date.now() - started} ms ` +
        `(write ${prometheus.timings.writeMs} ms, promtool ${prometheus.timings.backfillMs} ms, start ${prometheus.timings.startMs} ms)`,
    );
    const instance = {
      name: 'sandbox',
      url: prometheus.url,
      authHeaderName: 'Authorization',
      timeoutMs: 10_000,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
      labels: {},
    };
    client = new PrometheusClient(instance);
    provider = new MetricsSectionProvider({
      instances: [instance],
      options: { defaultWindow: '1h', shortWindow: '5m', fastBurnRate: 2 },
      logger: mockServices.logger.mock(),
      now: () => endMs,
    });
    for (const { service } of SCENARIOS) {
      results.set(service, await provider.getSection(entity(service), noContext));
    }
  }, 60_000);

  afterAll(async () => {
    await prometheus?.close();
  });

  const kong = (service: string) => ({ service });
  const istio = (service: string): LabelFilter => ({
    reporter: 'destination',
    destination_service_name: service,
    destination_service_namespace: NAMESPACE,
  });
  const is5xx = (code: string | undefined) => /^5\d\d$/.test(code ?? '');
  const expectedRate = (name: string, filter: LabelFilter, rangeMs = WINDOW_MS, atMs = endMs) =>
    sumRate(dataset, selectSeries(dataset, name, filter), atMs, rangeMs);
  const expectedQuantile = (q: number, name: string, filter: LabelFilter, rangeMs = WINDOW_MS, atMs = endMs) =>
    histogramQuantile(dataset, q, selectSeries(dataset, name, filter), atMs, rangeMs);

  it.each(ADR_METRICS_SCENARIOS.map(s => s.service))('reports the gateway signals of %s as Prometheus computes them', service => {
    const result = results.get(service)!;
    expect(result.errors).toBeUndefined();
    expect(result.status).toBe('ok');
    const gateway = result.data!.gateway!;
    expect(gateway.metricsVersion).toBe('kong-3');

    const total = expectedRate('kong_http_requests_total', kong(service));
    const errors = expectedRate('kong_http_requests_total', { service, code: is5xx }) ?? 0;
    close(gateway.traffic!.requestRate, total);
    close(gateway.traffic!.errorRate, errors);
    close(gateway.traffic!.errorShare, errors / total!);
    close(gateway.traffic!.requests, total! * 3600);

    for (const [q, key] of [[0.5, 'p50Ms'], [0.95, 'p95Ms'], [0.99, 'p99Ms']] as const) {
      close(gateway.requestLatency![key], expectedQuantile(q, 'kong_request_latency_ms_bucket', kong(service)));
      close(gateway.kongLatency![key], expectedQuantile(q, 'kong_kong_latency_ms_bucket', kong(service)));
      close(gateway.upstreamLatency![key], expectedQuantile(q, 'kong_upstream_latency_ms_bucket', kong(service)));
    }
  });

  it.each(ADR_METRICS_SCENARIOS.map(s => s.service))('reports the mesh signals and the mTLS share of %s', service => {
    const mesh = results.get(service)!.data!.mesh!;
    expect(mesh.found).toBe(true);
    expect(mesh.destination).toEqual({ destination_service_namespace: NAMESPACE, destination_service_name: service });

    const total = expectedRate('istio_requests_total', istio(service));
    const errors = expectedRate('istio_requests_total', { ...istio(service), response_code: is5xx }) ?? 0;
    const mutualTls = expectedRate('istio_requests_total', { ...istio(service), connection_security_policy: 'mutual_tls' }) ?? 0;
    close(mesh.traffic!.requestRate, total);
    close(mesh.traffic!.errorShare, errors / total!);
    close(mesh.mtls!.share, mutualTls / total!);
    close(mesh.latency!.p95Ms, expectedQuantile(0.95, 'istio_request_duration_milliseconds_bucket', istio(service)));
    close(mesh.latency!.p99Ms, expectedQuantile(0.99, 'istio_request_duration_milliseconds_bucket', istio(service)));
    // The source side reports the same requests again: counting it would double the rate.
    const bothReporters = expectedRate('istio_requests_total', { destination_service_name: service });
    expect(bothReporters! - total!).toBeGreaterThan(0.1 * total!);
  });

  it('judges the SLO and the error budget from the same numbers', () => {
    const analytics = results.get('analytics-service')!;
    const traffic = analytics.data!.gateway!.traffic!;
    const [availability] = analytics.data!.slo.objectives;
    expect(availability).toMatchObject({ name: 'availability', source: 'gateway', target: 0.9995, state: 'breached' });
    close(availability.actual, 1 - traffic.errorShare!);

    const budget = analytics.data!.slo.budget!;
    close(budget.burnRate, traffic.errorShare! / 0.0005);
    expect(budget.remaining).toBe(0);
    const shortTotal = expectedRate('kong_http_requests_total', kong('analytics-service'), SHORT_MS);
    const shortErrors = expectedRate('kong_http_requests_total', { service: 'analytics-service', code: is5xx }, SHORT_MS);
    close(budget.shortWindow.burnRate, shortErrors! / shortTotal! / 0.0005);
    expect(analytics.findings.map(f => f.code)).toEqual(expect.arrayContaining(['MG-SLO-001', 'MG-SLO-002']));

    const aiAgent = results.get('ai-agent-service')!;
    const objectives = Object.fromEntries(aiAgent.data!.slo.objectives.map(o => [o.name, o]));
    close(objectives['end-to-end-p95'].actual, expectedQuantile(0.95, 'kong_request_latency_ms_bucket', kong('ai-agent-service')));
    expect(objectives['end-to-end-p95'].state).toBe('breached');
    expect(aiAgent.findings.map(f => f.code)).toContain('MG-SLO-004');

    const user = results.get('user-service')!;
    expect(user.findings.map(f => f.code)).toContain('MG-SLO-005');
    expect(user.findings.map(f => f.code)).not.toContain('MG-SLO-001');
    expect(user.data!.slo.objectives.map(o => o.state)).toEqual(['met', 'met', 'met']);
  });

  it('falls back to the Kong 2.x metric names', () => {
    const gateway = results.get('billing-service')!.data!.gateway!;
    expect(gateway.metricsVersion).toBe('kong-2');
    close(gateway.traffic!.requestRate, expectedRate('kong_http_status', kong('billing-service')));
    close(gateway.traffic!.errorRate, expectedRate('kong_http_status', { service: 'billing-service', code: is5xx }) ?? 0);
    close(gateway.requestLatency!.p95Ms, expectedQuantile(0.95, 'kong_latency_bucket', { service: 'billing-service', type: 'request' }));
    close(gateway.kongLatency!.p95Ms, expectedQuantile(0.95, 'kong_latency_bucket', { service: 'billing-service', type: 'kong' }));
  });

  it('says when Kong exports no latency, or nothing at all, for a service', () => {
    const reports = results.get('reports-service')!;
    expect(reports.data!.gateway!.traffic).not.toBeNull();
    expect(reports.data!.gateway!.requestLatency).toBeNull();
    expect(reports.findings.map(f => f.code)).toEqual(expect.arrayContaining(['MG-SLO-007', 'MG-SLO-008']));

    const search = results.get('search-service')!;
    expect(search.data!.gateway).toMatchObject({ metricsVersion: null, traffic: null });
    expect(search.findings.map(f => f.code)).toContain('MG-SLO-006');
    // Availability then comes from the mesh.
    expect(search.data!.slo.objectives[0].source).toBe('mesh');
  });

  it('draws series whose points are the rates at each step', () => {
    const { gateway, window } = results.get('user-service')!.data!;
    const series = gateway!.series!;
    expect(window.stepSeconds).toBe(60);
    expect(series.timestamps).toHaveLength(61);
    const rangeMs = rateIntervalMs(window.stepSeconds, SCRAPE_SECONDS);
    for (const index of [0, 30, 60]) {
      const at = series.timestamps[index];
      close(series.requestRate[index], expectedRate('kong_http_requests_total', kong('user-service'), rangeMs, at));
      close(series.p95Ms[index], expectedQuantile(0.95, 'kong_request_latency_ms_bucket', kong('user-service'), rangeMs, at));
      close(series.gatewayP95Ms![index], expectedQuantile(0.95, 'kong_kong_latency_ms_bucket', kong('user-service'), rangeMs, at));
    }
  });

  it('keeps a hostile or regex-like service name a literal label value', async () => {
    const hostile = await client.query(kongTrafficQuery({ services: ['x"} or vector(1) #'], extra: [] }, WINDOW_MS), endMs);
    expect(hostile.result).toEqual([]);
    // Unquoted, "user.service" would match user-service as a regex.
    const dotted = await client.query(kongTrafficQuery({ services: ['user.service', 'ai-agent-service'], extra: [] }, WINDOW_MS), endMs);
    const total = dotted.result.reduce((sum, s) => sum + s.value, 0);
    close(total, expectedRate('kong_http_requests_total', kong('ai-agent-service')));
  });

  it('names Prometheus\' error for a query it rejects', async () => {
    const result = await provider.getSection(entity('user-service', { 'mesh-gateway.io/metrics-window': '7d' }), noContext);
    // 7 days at a 3 hour step is fine; a range over more than 11,000 points is not, so ask the API directly.
    expect(result.status).toBe('ok');
    await expect(client.queryRange(kongTrafficQuery({ services: ['user-service'], extra: [] }, 60_000), endMs - 7 * 86_400_000, endMs, 1)).rejects.toMatchObject({
      name: 'PrometheusApiError',
      errorType: 'bad_data',
      message: expect.stringContaining('exceeded maximum resolution of 11,000 points'),
    });
  });
});
