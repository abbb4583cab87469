import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  createFinding,
  Finding,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  SectionError,
  SectionResult,
  ServiceGraph,
  SloTargets,
  sloTargets,
  sortFindings,
  TracesSection,
  TracingServiceSource,
  TracingWindowSource,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError } from '../http/UpstreamError';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type {
  SectionContext,
  SectionProvider,
} from '../service/SectionProvider';
import { TtlMemo } from '../service/TtlMemo';
import {
  analyseTraces,
  spanRole,
  TraceAnalysis,
  traceFindings,
} from './analysis';
import type { TracingInstanceConfig, TracingOptions } from './config';
import { linksFromTraces, meshProxiesOf, serviceGraph } from './dependencies';
import type { DependencyLink } from './jaegerV1';
import type { NormalisedTrace } from './spanModel';
import { createTracingClient, TracingClient } from './TracingClient';
import { DEFAULT_WINDOW, tracingWindow } from './window';

export interface TracesSectionProviderOptions {
  instances: TracingInstanceConfig[];
  options: TracingOptions;
  logger: LoggerService;
  /** Concurrency, retries and circuit breaker of each instance. */
  policy?: UpstreamPolicyOptions;
  /** How long an instance's service list is reused (it is read only when a search finds nothing). */
  serviceListTtlMs?: number;
  now?: () => number;
}

/** What a request may ask of the section beyond the entity. */
export interface TracesSectionRequest {
  /** Window length such as `30m`, `2h`, `1d`; overrides the entity's annotation. */
  window?: string;
}

interface Target {
  client: TracingClient;
  service: string;
  serviceSource: TracingServiceSource;
  windowLength: string;
  windowSource: TracingWindowSource;
  slo: SloTargets;
}

/** Any text of 1 to 256 characters without control characters (it only travels URL-encoded). */
const isServiceName = (value: string) =>
  value.length > 0 &&
  value.length <= 256 &&
  ![...value].some(c => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

function windowText(durationMs: number): string {
  if (durationMs % 86_400_000 === 0) return `${durationMs / 86_400_000} d`;
  if (durationMs % 3_600_000 === 0) return `${durationMs / 3_600_000} h`;
  return `${Math.round(durationMs / 60_000)} min`;
}

/**
 * The traces section: the entity's service in a tracing backend (Jaeger v1 `/api` or v2
 * `/api/v3`) over a window, analysed for latency, errors and the path through Kong and the mesh,
 * with the service's neighbourhood as a graph.
 *
 * The service is `mesh-gateway.io/tracing-service`, else `backstage.io/kubernetes-id`, else the
 * entity's name. A guessed name the backend has never seen makes the section not configured
 * (asking for the annotation); an annotated one is a finding.
 */
export class TracesSectionProvider implements SectionProvider<'traces'> {
  readonly section = 'traces' as const;
  private readonly clients: Map<string, TracingClient>;
  private readonly serviceLists: TtlMemo<string[]>;
  private readonly now: () => number;

  constructor(private readonly options: TracesSectionProviderOptions) {
    this.clients = new Map(
      options.instances.map(instance => [
        instance.name,
        createTracingClient(instance, options.policy),
      ]),
    );
    this.serviceLists = new TtlMemo(options.serviceListTtlMs ?? 60_000);
    this.now = options.now ?? Date.now;
  }

  async getSection(
    entity: Entity,
    context: SectionContext,
    request: TracesSectionRequest = {},
  ): Promise<SectionResult<TracesSection>> {
    const fetchedAt = new Date(this.now()).toISOString();
    const base = {
      section: this.section,
      findings: [] as Finding[],
      fetchedAt,
    };
    if (this.clients.size === 0) {
      return {
        ...base,
        status: 'not-configured',
        missing: { configKey: 'meshGateway.tracing.instances' },
      };
    }

    let target: Target;
    let window: ReturnType<typeof tracingWindow>;
    try {
      target = this.target(entity, request);
      window = tracingWindow(
        target.windowLength,
        target.windowSource,
        this.now(),
      );
    } catch (error) {
      return {
        ...base,
        status: 'error',
        errors: [{ name: 'bad-annotation', message: (error as Error).message }],
      };
    }
    const { client, service } = target;
    const instance = client.instance;

    const [found, dependencies] = await Promise.allSettled([
      client.findTraces({
        service,
        startMs: window.startMs,
        endMs: window.endMs,
        limit: instance.maxTraces,
      }),
      client.dependencies
        ? client.dependencies(window)
        : Promise.resolve(undefined),
    ]);
    if (found.status === 'rejected') {
      const error = toSectionError(found.reason);
      this.options.logger.warn(
        `Traces section of ${entity.metadata.name}: ${error.message}`,
      );
      return { ...base, status: 'error', errors: [error] };
    }

    const errors: SectionError[] = found.value.problems.map(message => ({
      name: 'bad-response',
      message,
      instance: instance.name,
    }));
    const traces = found.value.traces;
    const findings: Finding[] = [];
    const object = `tracing/${instance.name}/services/${service}`;

    if (
      !traces.some(trace => trace.spans.some(span => span.service === service))
    ) {
      const known = await this.knownServices(client).catch(error => {
        errors.push(toSectionError(error));
        return undefined;
      });
      if (known && !known.includes(service)) {
        if (target.serviceSource !== 'annotation') {
          return {
            ...base,
            status: 'not-configured',
            missing: { annotations: [MESH_GATEWAY_ANNOTATIONS.tracingService] },
          };
        }
        findings.push(
          createFinding(
            'MG-TRACE-002',
            object,
            `${instance.name} has no service "${service}" (it knows ${known.length} services).`,
          ),
        );
      }
    }

    const roleOptions = this.options.options;
    const analysis = analyseTraces(traces, {
      ...roleOptions,
      service,
      uiUrl: instance.uiUrl,
    });
    if (findings.length === 0) {
      findings.push(
        ...traceFindings(analysis, {
          instance: instance.name,
          service,
          windowText: windowText(window.durationMs),
          minGatewayCoverage: roleOptions.minGatewayCoverage,
          gatewayExpected: await this.gatewayExpected(
            analysis.gatewayCoverage,
            context,
          ),
          slo: target.slo,
        }),
      );
    }

    let graph: ServiceGraph | undefined;
    if (dependencies.status === 'rejected') {
      errors.push(toSectionError(dependencies.reason));
    } else {
      graph = this.graph(service, traces, dependencies.value);
    }

    for (const error of errors) {
      this.options.logger.warn(
        `Traces section of ${entity.metadata.name}: ${error.message}`,
      );
    }
    const { startMs: _start, endMs: _end, ...windowView } = window;
    return {
      ...base,
      status: 'ok',
      errors: errors.length > 0 ? errors : undefined,
      findings: sortFindings(findings),
      data: {
        instance: instance.name,
        kind: instance.kind,
        service,
        serviceSource: target.serviceSource,
        window: windowView,
        searchUrl: instance.uiUrl
          ? searchUrl(instance.uiUrl, service, window, instance.maxTraces)
          : undefined,
        limit: instance.maxTraces,
        truncated: traces.length >= instance.maxTraces,
        ...analysis,
        gatewayCoverage: {
          ...analysis.gatewayCoverage,
          target: roleOptions.minGatewayCoverage,
        },
        slo: target.slo,
        dependencies: graph,
      },
    };
  }

  private target(entity: Entity, request: TracesSectionRequest): Target {
    const annotations = entity.metadata.annotations ?? {};
    const instanceName =
      annotations[MESH_GATEWAY_ANNOTATIONS.tracingInstance]?.trim();
    const client = instanceName
      ? this.clients.get(instanceName)
      : this.clients.values().next().value;
    if (!client) {
      throw new Error(
        `${MESH_GATEWAY_ANNOTATIONS.tracingInstance}: "${instanceName}" is not one of meshGateway.tracing.instances (${[...this.clients.keys()].join(', ')})`,
      );
    }

    const annotated =
      annotations[MESH_GATEWAY_ANNOTATIONS.tracingService]?.trim();
    const kubernetesId = annotations[KUBERNETES_ANNOTATIONS.id]?.trim();
    let service = entity.metadata.name;
    let serviceSource: TracingServiceSource = 'entity-name';
    if (annotated) {
      service = annotated;
      serviceSource = 'annotation';
    } else if (kubernetesId) {
      service = kubernetesId;
      serviceSource = 'kubernetes-id';
    }
    if (!isServiceName(service)) {
      throw new Error(
        `${MESH_GATEWAY_ANNOTATIONS.tracingService}: "${service.slice(0, 64)}" is not a service name`,
      );
    }

    const windowAnnotation =
      annotations[MESH_GATEWAY_ANNOTATIONS.tracingWindow]?.trim();
    let windowLength = DEFAULT_WINDOW;
    let windowSource: TracingWindowSource = 'default';
    if (request.window) {
      windowLength = request.window;
      windowSource = 'request';
    } else if (windowAnnotation) {
      windowLength = windowAnnotation;
      windowSource = 'annotation';
    }
    if (windowSource === 'annotation') {
      try {
        tracingWindow(windowLength, windowSource, 0);
      } catch (error) {
        throw new Error(
          `${MESH_GATEWAY_ANNOTATIONS.tracingWindow}: ${(error as Error).message}`,
        );
      }
    }
    // The metrics section's parser: a malformed value is the same bad-annotation error there.
    const slo = sloTargets(annotations);
    return { client, service, serviceSource, windowLength, windowSource, slo };
  }

  private knownServices(client: TracingClient): Promise<string[]> {
    return this.serviceLists.get(client.instance.name, () => client.services());
  }

  /** Bypassing Kong matters only for an entity that has Kong services. */
  private async gatewayExpected(
    coverage: TraceAnalysis['gatewayCoverage'],
    context: SectionContext,
  ): Promise<boolean> {
    const entered = coverage.throughGateway + coverage.contextLost;
    if (
      coverage.traces === 0 ||
      entered / coverage.traces >= this.options.options.minGatewayCoverage
    ) {
      return false;
    }
    const kong = await context.getSection('kong');
    if (kong.status === 'not-configured') return false;
    return !(kong.status === 'ok' && kong.data?.services.length === 0);
  }

  private graph(
    service: string,
    traces: NormalisedTrace[],
    apiLinks: DependencyLink[] | undefined,
  ): ServiceGraph {
    const roleOptions = this.options.options;
    const gateways = new Set(
      roleOptions.gatewayServiceNames.map(name => name.toLowerCase()),
    );
    for (const { spans } of traces) {
      for (const span of spans) {
        if (spanRole(span, roleOptions) === 'gateway')
          gateways.add(span.service.toLowerCase());
      }
    }
    return serviceGraph(apiLinks ?? linksFromTraces(traces), {
      focus: service,
      source: apiLinks ? 'dependencies-api' : 'trace-spans',
      proxies: meshProxiesOf(traces, roleOptions),
      isGateway: name => gateways.has(name.toLowerCase()),
    });
  }
}

/** The Jaeger UI's search for the service over the window (`start`/`end` in microseconds). */
function searchUrl(
  uiUrl: string,
  service: string,
  window: { startMs: number; endMs: number },
  limit: number,
): string {
  const query = new URLSearchParams({
    service,
    start: String(window.startMs * 1000),
    end: String(window.endMs * 1000),
    limit: String(limit),
    lookback: 'custom',
  });
  return `${uiUrl.replace(/\/+$/, '')}/search?${query}`;
}
