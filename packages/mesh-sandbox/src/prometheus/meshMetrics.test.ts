import {
  ADR_METRICS_SCENARIOS,
  generateMeshMetrics,
  GeneratedSeries,
  MeshMetricsGenerator,
  ISTIO_DURATION_BUCKETS_MS,
  KONG2_LATENCY_BUCKETS_MS,
  KONG_LATENCY_BUCKETS_MS,
  KONG_REQUEST_BUCKETS_MS,
  seriesSamples,
} from './meshMetrics';

const END = Date.UTC(2026, 10, 20, 12, 0, 0);
const dataset = generateMeshMetrics({ endMs: END, durationMs: 30 * 60_000, kongRestartMinutesBeforeEnd: 10 });
const byName = (name: string) => dataset.series.filter(s => s.name === name);
const leOf = (series: GeneratedSeries[]) => [...new Set(series.map(s => s.labels.le))];

describe('generateMeshMetrics', () => {
  it('is the same for the same seed, and different for another', () => {
    const again = generateMeshMetrics({ endMs: END, durationMs: 30 * 60_000, kongRestartMinutesBeforeEnd: 10 });
    const fingerprint = (d: typeof dataset) => d.series.map(s => `${s.name}${JSON.stringify(s.labels)}:${s.values.join(',')}`).join('\n');
    expect(fingerprint(again)).toBe(fingerprint(dataset));
    const other = generateMeshMetrics({ endMs: END, durationMs: 30 * 60_000, seed: 'other', scenarios: ADR_METRICS_SCENARIOS.slice(0, 1) });
    const first = (d: typeof dataset) => d.series.find(s => s.name === 'kong_http_requests_total' && s.labels.service === 'ai-agent-service')!.values;
    expect(first(other)).not.toEqual(first(dataset));
  });

  it('lays the samples on whole seconds, one per scrape, none after the end', () => {
    expect(dataset.startMs).toBe(END - 30 * 60_000);
    expect(new Set(dataset.series.map(s => s.values.length))).toEqual(new Set([61]));
    const times = dataset.series.flatMap(series => seriesSamples(dataset, series).map(sample => sample.t));
    expect(times.filter(t => t % 1000 !== 0 || t > END)).toEqual([]);
    expect(Math.max(...times)).toBe(END);
  });

  it('writes Kong 3.x metrics with the labels and bucket boundaries of Kong\'s exporter', () => {
    const requests = byName('kong_http_requests_total').filter(s => s.labels.service === 'user-service');
    expect(Object.keys(requests[0].labels).sort()).toEqual(['code', 'consumer', 'instance', 'job', 'route', 'service', 'source', 'workspace']);
    expect(new Set(requests.map(s => s.labels.instance))).toEqual(new Set(['10.42.0.11:8100', '10.42.0.12:8100']));
    expect(leOf(byName('kong_kong_latency_ms_bucket'))).toEqual([...KONG_LATENCY_BUCKETS_MS.map(String), '+Inf']);
    expect(leOf(byName('kong_request_latency_ms_bucket'))).toEqual([...KONG_REQUEST_BUCKETS_MS.map(String), '+Inf']);
    expect(leOf(byName('kong_upstream_latency_ms_bucket'))).toEqual([...KONG_REQUEST_BUCKETS_MS.map(String), '+Inf']);
    // Requests that match no route have an empty service label.
    expect(byName('kong_http_requests_total').some(s => s.labels.service === '' && s.labels.code === '404')).toBe(true);
    // The analytics service's unhealthy target: 502s from Kong itself.
    expect(requests.some(s => s.labels.code === '401' && s.labels.source === 'kong')).toBe(true);
    expect(byName('kong_http_requests_total').some(s => s.labels.service === 'analytics-service' && s.labels.code === '502' && s.labels.source === 'kong')).toBe(true);
  });

  it('writes Istio metrics from both reporters, plain text only where callers have no sidecar', () => {
    const istio = byName('istio_requests_total');
    expect(new Set(istio.map(s => s.labels.reporter))).toEqual(new Set(['destination', 'source']));
    expect(istio.filter(s => s.labels.reporter === 'source').every(s => s.labels.connection_security_policy === 'unknown')).toBe(true);
    const plaintext = istio.filter(s => s.labels.connection_security_policy === 'none');
    expect(new Set(plaintext.map(s => s.labels.destination_service_name))).toEqual(new Set(['user-service']));
    expect(plaintext.every(s => s.labels.source_workload === 'unknown')).toBe(true);
    const inbound = istio.find(s => s.labels.reporter === 'destination' && s.labels.destination_service_name === 'analytics-service')!;
    expect(inbound.labels).toMatchObject({
      destination_service: 'analytics-service.parallel-ai.svc.cluster.local',
      destination_service_namespace: 'parallel-ai',
      destination_workload: expect.stringMatching(/^analytics-service-(premium|standard)$/),
      source_workload: 'kong-gateway',
      connection_security_policy: 'mutual_tls',
    });
    expect(leOf(byName('istio_request_duration_milliseconds_bucket'))).toEqual([...ISTIO_DURATION_BUCKETS_MS.map(String), '+Inf']);
  });

  it('keeps histograms cumulative, with _count equal to the +Inf bucket', () => {
    const histograms = dataset.series.filter(s => s.name.endsWith('_bucket'));
    const groups = new Map<string, GeneratedSeries[]>();
    for (const series of histograms) {
      const { le: _le, ...rest } = series.labels;
      const key = `${series.family}${JSON.stringify(rest)}`;
      groups.set(key, [...(groups.get(key) ?? []), series]);
    }
    const counts = new Map(dataset.series.filter(s => s.name.endsWith('_count')).map(s => [`${s.family}${JSON.stringify(s.labels)}`, s]));
    const problems: string[] = [];
    for (const [key, buckets] of groups) {
      const count = counts.get(key)!;
      for (let step = 0; step < count.values.length; step++) {
        const values = buckets.map(b => b.values[step]);
        if (values.some((v, i) => i > 0 && v < values[i - 1])) problems.push(`${key} decreases at step ${step}`);
        if (!Object.is(values[values.length - 1], count.values[step])) problems.push(`${key} +Inf != _count at step ${step}`);
      }
    }
    expect(groups.size).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('only lets counters fall when Kong node kong-1 restarts, which also makes its series reappear', () => {
    const restartStep = 60 - 20;
    const falls = new Set<string>();
    for (const series of dataset.series.filter(s => s.name.endsWith('_total') || s.name.endsWith('_count') || s.name.endsWith('_bucket'))) {
      const values = Array.from(series.values);
      for (let step = 1; step < values.length; step++) {
        if (values[step] < values[step - 1]) falls.add(`${series.labels.instance} at step ${step}`);
      }
    }
    expect([...falls]).toEqual([`10.42.0.12:8100 at step ${restartStep}`]);
    const kong1 = byName('kong_http_requests_total').find(s => s.labels.instance === '10.42.0.12:8100' && s.labels.service === 'user-service' && s.labels.code === '200')!;
    expect(kong1.values[restartStep]).toBeLessThan(kong1.values[restartStep - 1]);
  });

  it('writes the 2.x names for a scenario on Kong 2.x, and nothing when Kong\'s metrics are off', () => {
    const legacy = generateMeshMetrics({
      endMs: END,
      durationMs: 5 * 60_000,
      scenarios: [
        { ...ADR_METRICS_SCENARIOS[2], service: 'billing-service', kongMetrics: 'kong-2' },
        { ...ADR_METRICS_SCENARIOS[2], service: 'search-service', kongMetrics: 'off', istioMetrics: false },
        { ...ADR_METRICS_SCENARIOS[2], service: 'reports-service', kongMetrics: 'requests-only', istioMetrics: false },
      ],
    });
    const names = (service: string) => new Set(legacy.series.filter(s => s.labels.service === service || s.labels.destination_service_name === service).map(s => s.name));
    expect(names('billing-service')).toEqual(
      new Set(['kong_http_status', 'kong_latency_bucket', 'kong_latency_sum', 'kong_latency_count', 'istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count']),
    );
    expect(names('search-service')).toEqual(new Set());
    expect(names('reports-service')).toEqual(new Set(['kong_http_requests_total']));
    const kong2Buckets = legacy.series.filter(s => s.name === 'kong_latency_bucket' && s.labels.type === 'request');
    expect(leOf(kong2Buckets)).toEqual([...KONG2_LATENCY_BUCKETS_MS.map(b => `${String(b).padStart(5, '0')}.0`), '+Inf']);
    expect(leOf(kong2Buckets).slice(0, 2)).toEqual(['00001.0', '00002.0']);
    expect(legacy.families.find(f => f.name === 'kong_http_status')!.type).toBe('unknown');
  });

  it('serves the current values as an exporter would, going on from the history', () => {
    const generator = new MeshMetricsGenerator({ endMs: END, durationMs: 5 * 60_000, scenarios: ADR_METRICS_SCENARIOS.slice(2) });
    const value = (text: string, series: string) => Number(text.split('\n').find(line => line.startsWith(`${series} `))!.split(' ')[1]);
    const requests =
      'kong_http_requests_total{service="user-service",route="user-route",code="200",source="service",workspace="default",consumer="",instance="10.42.0.11:8100",job="kong"}';
    const history = generator.dataset.series.find(s => `${s.name}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}` === requests)!;

    const atEnd = generator.exposition(END);
    expect(atEnd).toContain('# TYPE kong_http_requests_total counter');
    expect(atEnd).toContain('# TYPE istio_request_duration_milliseconds histogram');
    expect(value(atEnd, requests)).toBe(history.values[history.values.length - 1]);

    const later = generator.exposition(END + 95_000);
    expect(value(later, requests)).toBeGreaterThan(value(atEnd, requests));
    const buckets = later.split('\n').filter(line => line.startsWith('kong_request_latency_ms_bucket{service="user-service"') && line.includes('instance="10.42.0.11:8100"'));
    expect(buckets.map(line => line.match(/le="([^"]+)"/)![1])).toEqual([...KONG_REQUEST_BUCKETS_MS.map(String), '+Inf']);
    const count = later.split('\n').find(line => line.startsWith('kong_request_latency_ms_count{service="user-service"') && line.includes('instance="10.42.0.11:8100"'))!;
    expect(Number(buckets[buckets.length - 1].split(' ')[1])).toBe(Number(count.split(' ')[1]));
  });

  it('refuses times that are not whole seconds', () => {
    expect(() => generateMeshMetrics({ endMs: END + 500 })).toThrow('whole seconds');
  });
});
