import { MetricsRandom } from './random';

/*
 * Kong and Istio metrics of the architecture documents' services as Prometheus would have scraped
 * them, sample by sample: Kong's Prometheus plugin (3.x names, or 2.x for a legacy scenario) on two
 * Kong nodes, Istio's standard metrics from each destination pod's sidecar and from Kong's sidecar.
 * Names, labels and bucket boundaries are the exporters' own (shared/contracts/FACTS.md).
 *
 * Every sample is kept, so a test can compute what Prometheus should answer from the same data.
 */

/** Kong 3.x `kong_kong_latency_ms` buckets (3000 and 6000 since 3.8.1). @public */
export const KONG_LATENCY_BUCKETS_MS = [1, 2, 5, 7, 10, 15, 20, 30, 50, 75, 100, 200, 500, 750, 1000, 3000, 6000];
/** Kong 3.x `kong_upstream_latency_ms` and `kong_request_latency_ms` buckets. @public */
export const KONG_REQUEST_BUCKETS_MS = [25, 50, 80, 100, 250, 400, 700, 1000, 2000, 5000, 10000, 30000, 60000];
/** Kong 2.x `kong_latency` buckets (`DEFAULT_BUCKETS` of the 2.x exporter). @public */
export const KONG2_LATENCY_BUCKETS_MS = [
  1, 2, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 30000, 60000,
];
/** Envoy's default histogram buckets, which `istio_request_duration_milliseconds` uses. @public */
export const ISTIO_DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/**
 * What Kong exports for a service: 3.x names, 2.x names, 3.x with `latency_metrics` off (requests
 * only), or nothing (`status_code_metrics` off or no prometheus plugin).
 *
 * @public
 */
export type KongMetricsMode = 'kong-3' | 'kong-2' | 'requests-only' | 'off';

/** How one service behaves. Rates are requests per second; latencies log-normal in ms. @public */
export interface ServiceTrafficScenario {
  /** Kong service, Kubernetes Service and app name. */
  service: string;
  namespace: string;
  /** The Kong route. */
  route: string;
  requestsPerSecond: number;
  /** Share of requests with `x-user-tier: premium` (the premium subset). */
  premiumShare: number;
  /** Share Kong rejects itself with 401 (jwt). */
  clientErrorShare: number;
  /** Share Kong answers itself with 502 (no healthy upstream target). */
  gatewayErrorShare: number;
  /** Share of upstream requests the service answers with 503. */
  upstreamErrorShare: number;
  serviceLatencyMs: { median: number; sigma: number };
  kongLatencyMs: { median: number; sigma: number };
  /** Requests reaching the service around Kong from callers without a sidecar (plain text). */
  plaintextRequestsPerSecond: number;
  /** A rise of the service's 503s over the last minutes of the data. */
  errorBurst?: { lastMinutes: number; upstreamErrorShare: number };
  kongMetrics: KongMetricsMode;
  istioMetrics: boolean;
}

/** @public */
export const ADR_METRICS_NAMESPACE = 'parallel-ai';

/**
 * The three services with the ADR demo faults, consistent with the other sandbox upstreams:
 * ai-agent-service is slow (LLM calls, rate limiting against Redis at Kong), analytics-service
 * fails behind its unhealthy upstream target and is getting worse, user-service takes plain-text
 * calls from legacy clients (its PERMISSIVE PeerAuthentication).
 *
 * @public
 */
export const ADR_METRICS_SCENARIOS: readonly ServiceTrafficScenario[] = [
  {
    service: 'ai-agent-service',
    namespace: ADR_METRICS_NAMESPACE,
    route: 'ai-agent-route',
    requestsPerSecond: 6,
    premiumShare: 0.4,
    clientErrorShare: 0.01,
    gatewayErrorShare: 0,
    upstreamErrorShare: 0.0001,
    serviceLatencyMs: { median: 140, sigma: 0.45 },
    kongLatencyMs: { median: 24, sigma: 0.5 },
    plaintextRequestsPerSecond: 0,
    kongMetrics: 'kong-3',
    istioMetrics: true,
  },
  {
    service: 'analytics-service',
    namespace: ADR_METRICS_NAMESPACE,
    route: 'analytics-route',
    requestsPerSecond: 12,
    premiumShare: 0.3,
    clientErrorShare: 0.005,
    gatewayErrorShare: 0.002,
    upstreamErrorShare: 0.002,
    serviceLatencyMs: { median: 30, sigma: 0.4 },
    kongLatencyMs: { median: 4, sigma: 0.5 },
    plaintextRequestsPerSecond: 0,
    errorBurst: { lastMinutes: 10, upstreamErrorShare: 0.02 },
    kongMetrics: 'kong-3',
    istioMetrics: true,
  },
  {
    service: 'user-service',
    namespace: ADR_METRICS_NAMESPACE,
    route: 'user-route',
    requestsPerSecond: 20,
    premiumShare: 0.3,
    clientErrorShare: 0.01,
    gatewayErrorShare: 0,
    upstreamErrorShare: 0.0001,
    serviceLatencyMs: { median: 12, sigma: 0.35 },
    kongLatencyMs: { median: 3, sigma: 0.4 },
    plaintextRequestsPerSecond: 0.8,
    kongMetrics: 'kong-3',
    istioMetrics: true,
  },
];

/** @public */
export interface MetricFamily {
  name: string;
  /** OpenMetrics type; Kong 2.x's counters lack the `_total` suffix and are written as `unknown`. */
  type: 'counter' | 'histogram' | 'unknown';
  help: string;
}

/** One series with a value per step; NaN where the series did not exist. @public */
export interface GeneratedSeries {
  family: string;
  /** The sample name, e.g. `kong_request_latency_ms_bucket`. */
  name: string;
  labels: Readonly<Record<string, string>>;
  /** This target is scraped this long before each step (targets are not scraped at once). */
  offsetMs: number;
  values: Float64Array;
}

/** @public */
export interface MeshMetricsDataset {
  /** Time of the first step and of the last; samples of step i are at startMs + i × intervalMs - offsetMs. */
  startMs: number;
  endMs: number;
  intervalMs: number;
  families: MetricFamily[];
  series: GeneratedSeries[];
  scenarios: readonly ServiceTrafficScenario[];
}

/** @public */
export interface MeshMetricsOptions {
  /** Time of the last step (a whole second); the data ends here. */
  endMs: number;
  /** How far back the data goes (default 3 h). */
  durationMs?: number;
  /** Scrape interval (default 30 s, whole seconds). */
  intervalMs?: number;
  seed?: string;
  scenarios?: readonly ServiceTrafficScenario[];
  /** Minutes before the end at which Kong node kong-1 restarts (its counters reset); null for none. */
  kongRestartMinutesBeforeEnd?: number | null;
  /** Requests per second per Kong node that match no route (`service=""`, 404). */
  unmatchedRequestsPerSecond?: number;
}

/** The samples of one series: times (ms) and values, absent steps left out. @public */
export function seriesSamples(dataset: MeshMetricsDataset, series: GeneratedSeries): { t: number; v: number }[] {
  const samples: { t: number; v: number }[] = [];
  series.values.forEach((v, i) => {
    if (!Number.isNaN(v)) samples.push({ t: dataset.startMs + i * dataset.intervalMs - series.offsetMs, v });
  });
  return samples;
}

interface ScrapeTarget {
  labels: Record<string, string>;
  offsetMs: number;
  /** Kong node whose restart resets this target's series. */
  kongNode?: string;
}

interface CounterState {
  kind: 'counter';
  family: string;
  name: string;
  labels: Record<string, string>;
  target: ScrapeTarget;
  value: number;
  present: boolean;
  values: Float64Array;
}

interface HistogramState {
  kind: 'histogram';
  family: string;
  labels: Record<string, string>;
  target: ScrapeTarget;
  bounds: readonly number[];
  leLabels: string[];
  /** Observations per bucket (not cumulative), the last one +Inf. */
  counts: number[];
  sum: number;
  present: boolean;
  bucketValues: Float64Array[];
  sumValues: Float64Array;
  countValues: Float64Array;
}

const FAMILIES: Record<string, MetricFamily> = {
  kong_http_requests: { name: 'kong_http_requests', type: 'counter', help: 'HTTP status codes per consumer/service/route in Kong' },
  kong_kong_latency_ms: { name: 'kong_kong_latency_ms', type: 'histogram', help: 'Latency added by Kong and enabled plugins for each service/route in Kong' },
  kong_upstream_latency_ms: { name: 'kong_upstream_latency_ms', type: 'histogram', help: 'Latency added by upstream response for each service/route in Kong' },
  kong_request_latency_ms: { name: 'kong_request_latency_ms', type: 'histogram', help: 'Total latency incurred during requests for each service/route in Kong' },
  kong_http_status: { name: 'kong_http_status', type: 'unknown', help: 'HTTP status codes per service/route in Kong' },
  kong_latency: { name: 'kong_latency', type: 'histogram', help: 'Latency added by Kong, total request time and upstream latency for each service/route in Kong' },
  istio_requests: { name: 'istio_requests', type: 'counter', help: 'Total requests.' },
  istio_request_duration_milliseconds: { name: 'istio_request_duration_milliseconds', type: 'histogram', help: 'Request duration in milliseconds.' },
};

const KONG_NODES: ScrapeTarget[] = [
  { labels: { instance: '10.42.0.11:8100', job: 'kong' }, offsetMs: 0, kongNode: 'kong-0' },
  { labels: { instance: '10.42.0.12:8100', job: 'kong' }, offsetMs: 11_000, kongNode: 'kong-1' },
];
const KONG_SIDECARS: ScrapeTarget[] = [
  { labels: { instance: '10.42.0.11:15020', pod: 'kong-gateway-5d8f7c9b6-2xk4p' }, offsetMs: 5_000 },
  { labels: { instance: '10.42.0.12:15020', pod: 'kong-gateway-5d8f7c9b6-7hq9m' }, offsetMs: 17_000 },
];
const GATEWAY_WORKLOAD = { workload: 'kong-gateway', namespace: 'kong' };

const formatKong2Bound = (bound: number) => `${String(bound).padStart(5, '0')}.0`;

/** Steps the scenarios forward one scrape interval at a time, keeping every series' value at each step. */
class MeshMetricsRecorder {
  private readonly states = new Map<string, CounterState | HistogramState>();
  private readonly order: (CounterState | HistogramState)[] = [];
  private readonly random: MetricsRandom;
  private readonly podTargets = new Map<string, ScrapeTarget>();

  constructor(
    private readonly steps: number,
    seed: string,
  ) {
    this.random = new MetricsRandom(seed);
  }

  get rng(): MetricsRandom {
    return this.random;
  }

  /**
   * The counter `name` with `labels()` on `target`. `key` identifies it among all series; the
   * labels are only built the first time (the generator asks for series a million times).
   */
  counter(key: string, family: string, name: string, labels: () => Record<string, string>, target: ScrapeTarget): CounterState {
    let state = this.states.get(`c|${key}`) as CounterState | undefined;
    if (!state) {
      const all = { ...labels(), ...target.labels };
      state = { kind: 'counter', family, name, labels: all, target, value: 0, present: false, values: new Float64Array(this.steps).fill(NaN) };
      this.states.set(`c|${key}`, state);
      this.order.push(state);
    }
    return state;
  }

  histogram(
    key: string,
    family: string,
    labels: () => Record<string, string>,
    target: ScrapeTarget,
    bounds: readonly number[],
    formatBound: (bound: number) => string = String,
  ): HistogramState {
    let state = this.states.get(`h|${key}`) as HistogramState | undefined;
    if (!state) {
      const all = { ...labels(), ...target.labels };
      state = {
        kind: 'histogram',
        family,
        labels: all,
        target,
        bounds,
        leLabels: [...bounds.map(formatBound), '+Inf'],
        counts: new Array(bounds.length + 1).fill(0),
        sum: 0,
        present: false,
        bucketValues: bounds.map(() => new Float64Array(this.steps).fill(NaN)).concat([new Float64Array(this.steps).fill(NaN)]),
        sumValues: new Float64Array(this.steps).fill(NaN),
        countValues: new Float64Array(this.steps).fill(NaN),
      };
      this.states.set(`h|${key}`, state);
      this.order.push(state);
    }
    return state;
  }

  static increment(state: CounterState, by = 1) {
    state.value += by;
    state.present = true;
  }

  static observe(state: HistogramState, value: number) {
    let index = state.bounds.findIndex(bound => value <= bound);
    if (index === -1) index = state.bounds.length;
    state.counts[index]++;
    state.sum += value;
    state.present = true;
  }

  /** A restarted Kong node starts its metrics from zero and creates each series again when first used. */
  restartKongNode(node: string) {
    for (const state of this.order) {
      if (state.target.kongNode !== node) continue;
      state.present = false;
      if (state.kind === 'counter') state.value = 0;
      else {
        state.counts.fill(0);
        state.sum = 0;
      }
    }
  }

  /** The sidecar of one destination pod (one pod per tier keeps the data small). */
  podTarget(scenario: ServiceTrafficScenario, tier: string, serviceIndex: number): ScrapeTarget {
    const key = `${scenario.namespace}/${scenario.service}/${tier}`;
    let target = this.podTargets.get(key);
    if (!target) {
      const tierIndex = tier === 'premium' ? 0 : 1;
      target = {
        labels: {
          instance: `10.42.${serviceIndex + 1}.${10 + tierIndex}:15020`,
          pod: `${scenario.service}-${tier}-7d9f8c6b5-${tierIndex === 0 ? 'p4x2k' : 's9m3q'}`,
        },
        offsetMs: ((serviceIndex * 7 + tierIndex * 13 + 3) % 29) * 1000,
      };
      this.podTargets.set(key, target);
    }
    return target;
  }

  record(step: number) {
    for (const state of this.order) {
      if (!state.present) continue;
      if (state.kind === 'counter') {
        state.values[step] = state.value;
      } else {
        let cumulative = 0;
        state.counts.forEach((count, j) => {
          cumulative += count;
          state.bucketValues[j][step] = cumulative;
        });
        state.sumValues[step] = state.sum;
        state.countValues[step] = cumulative;
      }
    }
  }

  /** The current values in the Prometheus text format (0.0.4), as an exporter serves them. */
  exposition(): string {
    const lines: string[] = [];
    for (const family of Object.values(FAMILIES)) {
      const states = this.order.filter(state => state.present && state.family === family.name);
      if (states.length === 0) continue;
      const counterName = states[0].kind === 'counter' ? states[0].name : family.name;
      lines.push(`# HELP ${counterName} ${family.help}`, `# TYPE ${counterName} ${family.type === 'histogram' ? 'histogram' : 'counter'}`);
      for (const state of states) {
        if (state.kind === 'counter') {
          lines.push(`${state.name}{${exposedLabels(state.labels)}} ${state.value}`);
          continue;
        }
        let cumulative = 0;
        state.counts.forEach((count, j) => {
          cumulative += count;
          lines.push(`${state.family}_bucket{${exposedLabels({ ...state.labels, le: state.leLabels[j] })}} ${cumulative}`);
        });
        lines.push(`${state.family}_sum{${exposedLabels(state.labels)}} ${state.sum}`);
        lines.push(`${state.family}_count{${exposedLabels(state.labels)}} ${cumulative}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  series(): GeneratedSeries[] {
    const out: GeneratedSeries[] = [];
    for (const state of this.order) {
      const offsetMs = state.target.offsetMs;
      if (state.kind === 'counter') {
        out.push({ family: state.family, name: state.name, labels: state.labels, offsetMs, values: state.values });
        continue;
      }
      state.leLabels.forEach((le, j) => {
        out.push({ family: state.family, name: `${state.family}_bucket`, labels: { ...state.labels, le }, offsetMs, values: state.bucketValues[j] });
      });
      out.push({ family: state.family, name: `${state.family}_sum`, labels: state.labels, offsetMs, values: state.sumValues });
      out.push({ family: state.family, name: `${state.family}_count`, labels: state.labels, offsetMs, values: state.countValues });
    }
    return out;
  }
}

function exposedLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

/** Roughly Poisson: the mean with its natural noise, never negative. */
function requestCount(random: MetricsRandom, mean: number): number {
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
}

/** Traffic swells and ebbs over six hours, the same at the same time of any run. */
function loadFactor(timeMs: number): number {
  return 1 + 0.25 * Math.sin((2 * Math.PI * timeMs) / (6 * 3_600_000));
}

interface ServiceRequest {
  node: number;
  tier: 'premium' | 'standard';
  code: string;
  source: 'kong' | 'service';
  kongMs: number;
  /** Kong → service round trip as Kong measured it; absent when Kong answered itself. */
  upstreamMs?: number;
  /** The service's time as its sidecar measured it. */
  destinationMs?: number;
}

function kongRequest(random: MetricsRandom, scenario: ServiceTrafficScenario, upstreamErrorShare: number): ServiceRequest {
  const node = random.chance(0.5) ? 0 : 1;
  const tier = random.chance(scenario.premiumShare) ? 'premium' : 'standard';
  const kongMs = Math.max(0, Math.round(random.logNormal(scenario.kongLatencyMs.median, scenario.kongLatencyMs.sigma)));
  const roll = random.next();
  if (roll < scenario.clientErrorShare) {
    return { node, tier, code: '401', source: 'kong', kongMs };
  }
  if (roll < scenario.clientErrorShare + scenario.gatewayErrorShare) {
    return { node, tier, code: '502', source: 'kong', kongMs };
  }
  const serviceMs = random.logNormal(scenario.serviceLatencyMs.median, scenario.serviceLatencyMs.sigma);
  const destinationMs = Math.round(serviceMs + 0.3);
  // Kong's side: the hop through both sidecars adds a millisecond or two.
  const sourceMs = Math.round(serviceMs + 1.2 + random.next());
  return {
    node,
    tier,
    code: random.chance(upstreamErrorShare) ? '503' : '200',
    source: 'service',
    kongMs,
    upstreamMs: sourceMs + 1,
    destinationMs,
  };
}

function istioLabels(
  scenario: ServiceTrafficScenario,
  tier: string,
  code: string,
  reporter: 'source' | 'destination',
  caller: { workload: string; namespace: string } | undefined,
): Record<string, string> {
  const fqdn = `${scenario.service}.${scenario.namespace}.svc.cluster.local`;
  // A subset of Istio's labels (FACTS.md lists them all): those queries filter or group by, and
  // enough of the rest to look like the real thing while keeping the data small.
  return {
    reporter,
    source_workload: caller?.workload ?? 'unknown',
    source_workload_namespace: caller?.namespace ?? 'unknown',
    destination_workload: `${scenario.service}-${tier}`,
    destination_workload_namespace: scenario.namespace,
    destination_version: tier,
    destination_service: fqdn,
    destination_service_name: scenario.service,
    destination_service_namespace: scenario.namespace,
    response_code: code,
    response_flags: code === '503' ? 'URX' : '-',
    connection_security_policy: securityPolicy(reporter, caller !== undefined),
  };
}

function securityPolicy(reporter: 'source' | 'destination', callerHasSidecar: boolean): string {
  // The source side cannot know what the server accepted: it reports "unknown".
  if (reporter === 'source') return 'unknown';
  return callerHasSidecar ? 'mutual_tls' : 'none';
}

/**
 * Simulates the scenarios scrape interval by scrape interval: first the history up to `endMs`
 * (kept sample by sample in {@link MeshMetricsGenerator.dataset}), then, on demand, onwards to the
 * present ({@link MeshMetricsGenerator.exposition}), so that a Prometheus scraping it continues
 * the backfilled series without a gap.
 *
 * @public
 */
export class MeshMetricsGenerator {
  /** The history: every series' value at each step up to `endMs`. */
  readonly dataset: MeshMetricsDataset;
  private readonly recorder: MeshMetricsRecorder;
  private readonly scenarios: readonly ServiceTrafficScenario[];
  private readonly intervalMs: number;
  private readonly endMs: number;
  private readonly unmatched: number;
  private lastStepMs: number;

  constructor(options: MeshMetricsOptions) {
    const intervalMs = options.intervalMs ?? 30_000;
    const durationMs = options.durationMs ?? 3 * 3_600_000;
    if (intervalMs % 1000 !== 0 || options.endMs % 1000 !== 0 || intervalMs <= 0) {
      throw new Error('endMs and intervalMs must be whole seconds');
    }
    const stepCount = Math.floor(durationMs / intervalMs) + 1;
    this.intervalMs = intervalMs;
    this.endMs = options.endMs;
    this.scenarios = options.scenarios ?? ADR_METRICS_SCENARIOS;
    this.unmatched = options.unmatchedRequestsPerSecond ?? 0.4;
    this.recorder = new MeshMetricsRecorder(stepCount, options.seed ?? 'mesh-sandbox-metrics');
    const startMs = this.endMs - (stepCount - 1) * intervalMs;
    const restartMinutes = options.kongRestartMinutesBeforeEnd === undefined ? 40 : options.kongRestartMinutesBeforeEnd;
    const restartStep = restartMinutes === null ? -1 : stepCount - 1 - Math.round((restartMinutes * 60_000) / intervalMs);

    for (let step = 0; step < stepCount; step++) {
      if (step === restartStep) this.recorder.restartKongNode('kong-1');
      this.simulate(startMs + step * intervalMs);
      this.recorder.record(step);
    }
    this.lastStepMs = this.endMs;

    const series = this.recorder.series();
    const used = new Set(series.map(s => s.family));
    this.dataset = {
      startMs,
      endMs: this.endMs,
      intervalMs,
      families: Object.values(FAMILIES).filter(family => used.has(family.name)),
      series,
      scenarios: this.scenarios,
    };
  }

  /**
   * Simulates the intervals up to `nowMs` and renders every series' current value in the
   * Prometheus text format, as Kong's and the sidecars' `/metrics` would (their `instance` and
   * `job` labels included: scrape it with `honor_labels: true`).
   */
  exposition(nowMs: number): string {
    while (this.lastStepMs + this.intervalMs <= nowMs) {
      this.lastStepMs += this.intervalMs;
      this.simulate(this.lastStepMs);
    }
    return this.recorder.exposition();
  }

  /** The requests of the scrape interval that ends at `timeMs`. */
  private simulate(timeMs: number) {
    const { recorder, scenarios, endMs } = this;
    const random = recorder.rng;
    const seconds = this.intervalMs / 1000;
    const unmatched = this.unmatched;
    const counter = MeshMetricsRecorder.increment;
    const observe = MeshMetricsRecorder.observe;
    const load = loadFactor(timeMs);

    KONG_NODES.forEach((node, nodeIndex) => {
      const n = requestCount(random, unmatched * seconds);
      if (n > 0) {
        const labels = () => ({ service: '', route: '', code: '404', source: 'kong', workspace: 'default', consumer: '' });
        counter(recorder.counter(`unmatched|${nodeIndex}`, 'kong_http_requests', 'kong_http_requests_total', labels, node), n);
      }
    });

    scenarios.forEach((scenario, serviceIndex) => {
      const inBurst = scenario.errorBurst && endMs - timeMs < scenario.errorBurst.lastMinutes * 60_000;
      const upstreamErrorShare = inBurst ? scenario.errorBurst!.upstreamErrorShare : scenario.upstreamErrorShare;
      const base = { service: scenario.service, route: scenario.route };
      const n = requestCount(random, scenario.requestsPerSecond * seconds * load);
      for (let i = 0; i < n; i++) {
        const request = kongRequest(random, scenario, upstreamErrorShare);
        const node = KONG_NODES[request.node];
        const at = `${serviceIndex}|${request.node}`;
        const requestMs = request.kongMs + (request.upstreamMs ?? 0);
        switch (scenario.kongMetrics) {
          case 'kong-3':
          case 'requests-only': {
            const labels = () => ({ ...base, code: request.code, source: request.source, workspace: 'default', consumer: '' });
            counter(recorder.counter(`k3|${at}|${request.code}|${request.source}`, 'kong_http_requests', 'kong_http_requests_total', labels, node));
            if (scenario.kongMetrics === 'requests-only') break;
            const histogramLabels = () => ({ ...base, workspace: 'default' });
            const latency = (family: string, bounds: readonly number[]) =>
              recorder.histogram(`${family}|${at}`, family, histogramLabels, node, bounds);
            observe(latency('kong_kong_latency_ms', KONG_LATENCY_BUCKETS_MS), request.kongMs);
            observe(latency('kong_request_latency_ms', KONG_REQUEST_BUCKETS_MS), requestMs);
            if (request.upstreamMs !== undefined) {
              observe(latency('kong_upstream_latency_ms', KONG_REQUEST_BUCKETS_MS), request.upstreamMs);
            }
            break;
          }
          case 'kong-2': {
            counter(recorder.counter(`k2|${at}|${request.code}`, 'kong_http_status', 'kong_http_status', () => ({ ...base, code: request.code }), node));
            const latency = (type: string) =>
              recorder.histogram(`k2|${at}|${type}`, 'kong_latency', () => ({ type, ...base }), node, KONG2_LATENCY_BUCKETS_MS, formatKong2Bound);
            observe(latency('kong'), request.kongMs);
            observe(latency('request'), requestMs);
            if (request.upstreamMs !== undefined) observe(latency('upstream'), request.upstreamMs);
            break;
          }
          default:
            // 'off': no prometheus plugin, or status_code_metrics off.
            break;
        }
        if (scenario.istioMetrics && request.destinationMs !== undefined) {
          const destination = recorder.podTarget(scenario, request.tier, serviceIndex);
          const inbound = () => istioLabels(scenario, request.tier, request.code, 'destination', GATEWAY_WORKLOAD);
          const inboundKey = `istio|in|${serviceIndex}|${request.tier}|${request.code}|kong`;
          counter(recorder.counter(inboundKey, 'istio_requests', 'istio_requests_total', inbound, destination));
          observe(
            recorder.histogram(inboundKey, 'istio_request_duration_milliseconds', inbound, destination, ISTIO_DURATION_BUCKETS_MS),
            request.destinationMs,
          );
          // Kong's sidecar reports the same requests as their source. Its duration histogram is
          // left out to keep the data small; the counter is enough to tell the reporters apart.
          const outbound = () => istioLabels(scenario, request.tier, request.code, 'source', GATEWAY_WORKLOAD);
          counter(
            recorder.counter(`istio|out|${at}|${request.tier}|${request.code}`, 'istio_requests', 'istio_requests_total', outbound, KONG_SIDECARS[request.node]),
          );
        }
      }

      if (scenario.istioMetrics && scenario.plaintextRequestsPerSecond > 0) {
        const plaintext = requestCount(random, scenario.plaintextRequestsPerSecond * seconds * load);
        for (let i = 0; i < plaintext; i++) {
          const tier = random.chance(scenario.premiumShare) ? 'premium' : 'standard';
          const code = random.chance(upstreamErrorShare) ? '503' : '200';
          const plaintextMs = Math.round(random.logNormal(scenario.serviceLatencyMs.median, scenario.serviceLatencyMs.sigma) + 0.3);
          const destination = recorder.podTarget(scenario, tier, serviceIndex);
          const labels = () => istioLabels(scenario, tier, code, 'destination', undefined);
          const key = `istio|in|${serviceIndex}|${tier}|${code}|plaintext`;
          counter(recorder.counter(key, 'istio_requests', 'istio_requests_total', labels, destination));
          observe(recorder.histogram(key, 'istio_request_duration_milliseconds', labels, destination, ISTIO_DURATION_BUCKETS_MS), plaintextMs);
        }
      }
    });
  }
}

/**
 * Generates the Kong and Istio series of `scenarios` (default: the ADR services) over the
 * `durationMs` before `endMs`, one sample per target per `intervalMs`.
 *
 * @public
 */
export function generateMeshMetrics(options: MeshMetricsOptions): MeshMetricsDataset {
  return new MeshMetricsGenerator(options).dataset;
}
