import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  Finding,
  GatewaySignals,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  MeshSignals,
  MetricsSection,
  MetricsWindowSource,
  parseKongServiceRefs,
  parseKongTags,
  SectionError,
  SectionResult,
  SloTargets,
  sloTargets,
  sortFindings,
  TrafficSignals,
  parseIstioHost,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError } from '../http/UpstreamError';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { SectionContext, SectionProvider, SectionRequest } from '../service/SectionProvider';
import { evaluateSlo, metricsFindings } from './analysis';
import type { MetricsOptions, PrometheusInstanceConfig } from './config';
import { InstantSample, PrometheusApiError, PrometheusClient, QueryResult, RangeSeries } from './PrometheusClient';
import { equals, LabelMatcher } from './promql';
import {
  GatewayTarget,
  istioLatencyQuery,
  istioTrafficQuery,
  kongLatencyQuery,
  KongLatency,
  kongTrafficQuery,
  MeshTarget,
  QUANTILES,
} from './queries';
import {
  kongGeneration,
  mtlsFromSamples,
  ofGeneration,
  quantilesFromSamples,
  signalSeries,
  stepTimestamps,
  trafficFromSamples,
} from './signals';
import { metricsWindow, parseWindowLength, rateIntervalMs, ResolvedWindow } from './window';

export interface MetricsSectionProviderOptions {
  instances: PrometheusInstanceConfig[];
  options: MetricsOptions;
  logger: LoggerService;
  /** Concurrency, retries and circuit breaker of each instance. */
  policy?: UpstreamPolicyOptions;
  now?: () => number;
}

/** What a request may ask of the section beyond the entity: `window` overrides the annotation. */
export type MetricsSectionRequest = SectionRequest;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Where the entity's numbers come from, read from its annotations. */
interface Targets {
  client: PrometheusClient;
  /** Kong services named by annotation; tags are resolved through the Kong section. */
  kongServices?: string[];
  kongTags?: string[];
  mesh?: { matchers: LabelMatcher[]; destination: Record<string, string> };
  windowLength: string;
  windowSource: MetricsWindowSource;
  slo: SloTargets;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

function sectionErrorOf(error: unknown): SectionError {
  return error instanceof PrometheusApiError ? error.toSectionError() : toSectionError(error);
}

const ALL_KONG_LATENCIES = (['request', 'kong', 'upstream'] as KongLatency[]).flatMap(latency =>
  QUANTILES.map(quantile => ({ latency, quantile })),
);
const KONG_LATENCY_LINES = [
  ...QUANTILES.map(quantile => ({ latency: 'request' as const, quantile })),
  { latency: 'kong' as const, quantile: 0.95 },
];

/**
 * The golden signals of an entity from Prometheus: request rate, 5xx and latency quantiles at the
 * gateway (Kong's Prometheus plugin, 3.x names with the 2.x ones as fallback) and in the mesh
 * (Istio's standard metrics at the destination), the share of requests over mutual TLS, series
 * for charts, and the SLO with its error budget.
 *
 * The Kong services are `mesh-gateway.io/kong-services` (or those `mesh-gateway.io/kong-tags`
 * select, through the Kong section); the mesh service is `mesh-gateway.io/istio-host`, else
 * `backstage.io/kubernetes-id` in `backstage.io/kubernetes-namespace`.
 */
export class MetricsSectionProvider implements SectionProvider<'metrics'> {
  readonly section = 'metrics' as const;
  private readonly clients: Map<string, PrometheusClient>;
  private readonly now: () => number;

  constructor(private readonly options: MetricsSectionProviderOptions) {
    this.clients = new Map(
      options.instances.map(instance => [instance.name, new PrometheusClient(instance, options.policy)]),
    );
    this.now = options.now ?? Date.now;
  }

  async getSection(
    entity: Entity,
    context: SectionContext,
    request: MetricsSectionRequest = {},
  ): Promise<SectionResult<MetricsSection>> {
    const fetchedAt = new Date(this.now()).toISOString();
    const base = { section: this.section, findings: [] as Finding[], fetchedAt };
    if (this.clients.size === 0) {
      return { ...base, status: 'not-configured', missing: { configKey: 'meshGateway.prometheus.instances' } };
    }
    const annotations = entity.metadata.annotations ?? {};
    const named = [
      MESH_GATEWAY_ANNOTATIONS.kongServices,
      MESH_GATEWAY_ANNOTATIONS.kongTags,
      KUBERNETES_ANNOTATIONS.id,
      MESH_GATEWAY_ANNOTATIONS.istioHost,
    ];
    if (!named.some(annotation => annotations[annotation])) {
      return { ...base, status: 'not-configured', missing: { annotations: named } };
    }

    let targets: Targets;
    let window: ResolvedWindow;
    try {
      targets = this.targets(annotations, request);
      window = metricsWindow(
        targets.windowLength,
        targets.windowSource,
        this.now(),
        targets.client.instance.scrapeIntervalSeconds,
      );
    } catch (error) {
      return { ...base, status: 'error', errors: [{ name: 'bad-annotation', message: (error as Error).message }] };
    }

    const errors: SectionError[] = [];
    const kongServices = await this.kongServices(targets, context, errors);
    const client = targets.client;
    const extra = Object.entries(client.instance.labels).map(([name, value]) => equals(name, value));
    const gatewayTarget: GatewayTarget | undefined =
      kongServices && kongServices.length > 0 ? { services: kongServices, extra } : undefined;
    const meshTarget: MeshTarget | undefined = targets.mesh ? { matchers: targets.mesh.matchers, extra } : undefined;
    if (!gatewayTarget && !meshTarget && errors.length === 0) {
      // Only kong-tags, and they select no Kong service (or Kong is not configured).
      return { ...base, status: 'not-configured', missing: { annotations: named.filter(a => a !== MESH_GATEWAY_ANNOTATIONS.kongTags) } };
    }
    const shortMs = parseWindowLength(this.options.options.shortWindow, 60_000);

    const [gateway, mesh] = await Promise.all([
      gatewayTarget ? this.gatewaySignals(client, gatewayTarget, window, shortMs) : undefined,
      meshTarget ? this.meshSignals(client, meshTarget, targets.mesh!.destination, window, shortMs) : undefined,
    ]);
    for (const part of [gateway, mesh]) {
      for (const error of part?.errors ?? []) {
        if (!errors.some(e => e.name === error.name && e.message === error.message)) errors.push(error);
      }
    }
    for (const warning of [...(gateway?.warnings ?? []), ...(mesh?.warnings ?? [])]) {
      this.options.logger.debug(`Metrics section of ${entity.metadata.name}: Prometheus warning: ${warning}`);
    }
    for (const error of errors) {
      this.options.logger.warn(`Metrics section of ${entity.metadata.name}: ${error.message}`);
    }

    const gatewaySignals = gateway?.signals ?? null;
    const meshSignals = mesh?.signals ?? null;
    if (!gatewaySignals && !meshSignals) {
      return { ...base, status: 'error', errors };
    }

    const slo = evaluateSlo({
      gateway: gatewaySignals,
      mesh: meshSignals,
      targets: targets.slo,
      shortWindow: { durationMs: shortMs, gateway: gateway?.shortTraffic ?? null, mesh: mesh?.shortTraffic ?? null },
    });
    const instanceName = client.instance.name;
    const findings = metricsFindings(
      {
        gateway: gatewaySignals,
        mesh: meshSignals,
        slo,
        gatewayLatencyFailed: gateway?.latencyFailed ?? false,
      },
      {
        gatewayObject: gatewaySignals ? `prometheus/${instanceName}/kong/${gatewaySignals.kongServices.join(',')}` : undefined,
        meshObject: meshSignals ? `prometheus/${instanceName}/istio/${Object.values(meshSignals.destination).join('/')}` : undefined,
        windowMs: window.durationMs,
        fastBurnRate: this.options.options.fastBurnRate,
      },
    );
    const { startMs: _start, endMs: _end, ...windowView } = window;
    return {
      ...base,
      status: 'ok',
      errors: errors.length > 0 ? errors : undefined,
      findings: sortFindings(findings),
      data: { instance: instanceName, window: windowView, gateway: gatewaySignals, mesh: meshSignals, slo },
    };
  }

  private targets(annotations: Record<string, string>, request: MetricsSectionRequest): Targets {
    const instanceName = annotations[MESH_GATEWAY_ANNOTATIONS.prometheusInstance]?.trim();
    const client = instanceName ? this.clients.get(instanceName) : this.clients.values().next().value;
    if (!client) {
      throw new Error(
        `${MESH_GATEWAY_ANNOTATIONS.prometheusInstance}: "${instanceName!.slice(0, 64)}" is not one of meshGateway.prometheus.instances (${[...this.clients.keys()].join(', ')})`,
      );
    }

    let kongServices: string[] | undefined;
    let kongTags: string[] | undefined;
    const servicesAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.kongServices];
    const tagsAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.kongTags];
    try {
      if (servicesAnnotation) {
        kongServices = parseKongServiceRefs(servicesAnnotation).map(ref => ref.service);
      } else if (tagsAnnotation) {
        kongTags = parseKongTags(tagsAnnotation);
      }
    } catch (error) {
      const annotation = servicesAnnotation ? MESH_GATEWAY_ANNOTATIONS.kongServices : MESH_GATEWAY_ANNOTATIONS.kongTags;
      throw new Error(`${annotation}: ${(error as Error).message}`);
    }

    let mesh: Targets['mesh'];
    const host = annotations[MESH_GATEWAY_ANNOTATIONS.istioHost];
    const kubernetesId = annotations[KUBERNETES_ANNOTATIONS.id];
    if (host) {
      parseIstioHost(host);
      mesh = { matchers: [equals('destination_service', host)], destination: { destination_service: host } };
    } else if (kubernetesId) {
      const namespace = annotations[KUBERNETES_ANNOTATIONS.namespace] ?? 'default';
      if (!LABEL_VALUE.test(kubernetesId)) {
        throw new Error(`${KUBERNETES_ANNOTATIONS.id}: "${kubernetesId.slice(0, 64)}" is not a Kubernetes name`);
      }
      if (!DNS_LABEL.test(namespace)) {
        throw new Error(`${KUBERNETES_ANNOTATIONS.namespace}: "${namespace.slice(0, 64)}" is not a namespace name`);
      }
      mesh = {
        matchers: [equals('destination_service_namespace', namespace), equals('destination_service_name', kubernetesId)],
        destination: { destination_service_namespace: namespace, destination_service_name: kubernetesId },
      };
    }

    const windowAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.metricsWindow];
    let windowLength = this.options.options.defaultWindow;
    let windowSource: MetricsWindowSource = 'default';
    if (request.window) {
      windowLength = request.window;
      windowSource = 'request';
    } else if (windowAnnotation) {
      try {
        parseWindowLength(windowAnnotation);
      } catch (error) {
        throw new Error(`${MESH_GATEWAY_ANNOTATIONS.metricsWindow}: ${(error as Error).message}`);
      }
      windowLength = windowAnnotation;
      windowSource = 'annotation';
    }

    return { client, kongServices, kongTags, mesh, windowLength, windowSource, slo: sloTargets(annotations) };
  }

  /** The Kong service names: from the annotation, or those the Kong section selected by tags. */
  private async kongServices(targets: Targets, context: SectionContext, errors: SectionError[]): Promise<string[] | undefined> {
    if (targets.kongServices) return targets.kongServices;
    if (!targets.kongTags) return undefined;
    const kong = await context.getSection('kong').catch(error => {
      errors.push(toSectionError(error));
      return undefined;
    });
    if (!kong || kong.status !== 'ok' || !kong.data) {
      if (kong && kong.status !== 'not-configured') {
        errors.push({
          name: 'kong-section',
          message: `The Kong services tagged ${targets.kongTags.join(', ')} could not be read from Kong, so the gateway's metrics are left out${kong.errors?.[0] ? `: ${kong.errors[0].message}` : ''}`,
        });
      }
      return undefined;
    }
    return [...new Set(kong.data.services.map(view => view.service.name ?? view.service.id))];
  }

  private async gatewaySignals(client: PrometheusClient, target: GatewayTarget, window: ResolvedWindow, shortMs: number) {
    const end = window.endMs;
    const windowSeconds = window.durationMs / 1000;
    const rangeMs = rateIntervalMs(window.stepSeconds, client.instance.scrapeIntervalSeconds);
    const [traffic, short, latency, trafficRange, latencyRange] = await Promise.all([
      settle(client.query(kongTrafficQuery(target, window.durationMs), end)),
      settle(client.query(kongTrafficQuery(target, shortMs), end)),
      settle(client.query(kongLatencyQuery(target, window.durationMs, ALL_KONG_LATENCIES), end)),
      settle(client.queryRange(kongTrafficQuery(target, rangeMs), window.startMs, end, window.stepSeconds)),
      settle(client.queryRange(kongLatencyQuery(target, rangeMs, KONG_LATENCY_LINES), window.startMs, end, window.stepSeconds)),
    ]);
    const collected = collect([traffic, short, latency, trafficRange, latencyRange]);
    if (!traffic.ok) {
      return { ...collected, signals: null, shortTraffic: null, latencyFailed: true };
    }

    const generation = kongGeneration(traffic.value.result);
    const latencySamples = latency.ok ? ofGeneration(latency.value.result, generation) : [];
    let series: GatewaySignals['series'] = null;
    if (trafficRange.ok && latencyRange.ok && generation) {
      series = signalSeries({
        timestamps: stepTimestamps(window.startMs, end, window.stepSeconds),
        stepSeconds: window.stepSeconds,
        traffic: ofGeneration(trafficRange.value.result, generation),
        latency: ofGeneration(latencyRange.value.result, generation),
        latencyKind: 'request',
        withGatewayP95: true,
      });
    }
    const signals: GatewaySignals = {
      kongServices: target.services,
      metricsVersion: generation,
      traffic: trafficFromSamples(ofGeneration(traffic.value.result, generation), windowSeconds),
      requestLatency: quantilesFromSamples(latencySamples, 'request'),
      kongLatency: quantilesFromSamples(latencySamples, 'kong'),
      upstreamLatency: quantilesFromSamples(latencySamples, 'upstream'),
      series,
    };
    const shortTraffic: TrafficSignals | null = short.ok
      ? trafficFromSamples(ofGeneration(short.value.result, generation), shortMs / 1000)
      : null;
    return { ...collected, signals, shortTraffic, latencyFailed: !latency.ok };
  }

  private async meshSignals(
    client: PrometheusClient,
    target: MeshTarget,
    destination: Record<string, string>,
    window: ResolvedWindow,
    shortMs: number,
  ) {
    const end = window.endMs;
    const rangeMs = rateIntervalMs(window.stepSeconds, client.instance.scrapeIntervalSeconds);
    const [traffic, short, latency, trafficRange, latencyRange] = await Promise.all([
      settle(client.query(istioTrafficQuery(target, window.durationMs), end)),
      settle(client.query(istioTrafficQuery(target, shortMs), end)),
      settle(client.query(istioLatencyQuery(target, window.durationMs, QUANTILES), end)),
      settle(client.queryRange(istioTrafficQuery(target, rangeMs), window.startMs, end, window.stepSeconds)),
      settle(client.queryRange(istioLatencyQuery(target, rangeMs, QUANTILES), window.startMs, end, window.stepSeconds)),
    ]);
    const collected = collect([traffic, short, latency, trafficRange, latencyRange]);
    if (!traffic.ok) {
      return { ...collected, signals: null, shortTraffic: null };
    }
    const samples: InstantSample[] = traffic.value.result;
    const signals: MeshSignals = {
      destination,
      found: samples.length > 0,
      traffic: trafficFromSamples(samples, window.durationMs / 1000),
      latency: latency.ok ? quantilesFromSamples(latency.value.result) : null,
      mtls: mtlsFromSamples(samples),
      series:
        trafficRange.ok && latencyRange.ok && samples.length > 0
          ? signalSeries({
              timestamps: stepTimestamps(window.startMs, end, window.stepSeconds),
              stepSeconds: window.stepSeconds,
              traffic: trafficRange.value.result,
              latency: latencyRange.value.result,
            })
          : null,
    };
    const shortTraffic = short.ok ? trafficFromSamples(short.value.result, shortMs / 1000) : null;
    return { ...collected, signals, shortTraffic };
  }
}

/** The errors and warnings of a part's queries, each error once. */
function collect(results: Settled<QueryResult<InstantSample> | QueryResult<RangeSeries>>[]) {
  const errors: SectionError[] = [];
  const warnings: string[] = [];
  for (const result of results) {
    if (result.ok) {
      warnings.push(...result.value.warnings);
    } else {
      const error = sectionErrorOf(result.error);
      if (!errors.some(e => e.name === error.name && e.message === error.message)) errors.push(error);
    }
  }
  return { errors, warnings };
}
