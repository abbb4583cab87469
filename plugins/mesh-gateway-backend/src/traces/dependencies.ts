import type {
  ServiceGraph,
  ServiceGraphEdge,
} from '@internal/plugin-mesh-gateway-common';
import { SpanRoleOptions, spanRole } from './analysis';
import type { DependencyLink } from './jaegerV1';
import type { NormalisedSpan, NormalisedTrace } from './spanModel';

/**
 * Links between services the way Jaeger computes `/api/dependencies`: one call for every span
 * whose parent span (in the same trace) belongs to another service.
 */
export function linksFromTraces(traces: NormalisedTrace[]): DependencyLink[] {
  const counts = new Map<string, DependencyLink>();
  for (const { spans } of traces) {
    const byId = new Map(spans.map(span => [span.spanId, span]));
    for (const span of spans) {
      const parent = span.parentSpanId
        ? byId.get(span.parentSpanId)
        : undefined;
      if (!parent || parent.service === span.service) continue;
      const key = `${parent.service}\u0000${span.service}`;
      const link = counts.get(key) ?? {
        parent: parent.service,
        child: span.service,
        callCount: 0,
      };
      link.callCount++;
      counts.set(key, link);
    }
  }
  return [...counts.values()];
}

/**
 * Envoy sidecars report under their own service name (`<app>.<namespace>` by Istio's default).
 * Returns each sidecar's name with the service it serves: the one whose spans sit next to it
 * (the caller of an outbound span, the callee of an inbound one), else the `istio.canonical_service`
 * tag (which may differ from the name the app reports itself), else undefined.
 */
export function meshProxiesOf(
  traces: NormalisedTrace[],
  options: SpanRoleOptions,
): Map<string, string | undefined> {
  const votes = new Map<string, Map<string, number>>();
  const tagged = new Map<string, string | undefined>();
  const vote = (proxy: string, app: string) => {
    const counts = votes.get(proxy) ?? new Map<string, number>();
    counts.set(app, (counts.get(app) ?? 0) + 1);
    votes.set(proxy, counts);
  };
  for (const { spans } of traces) {
    const byId = new Map(spans.map(span => [span.spanId, span]));
    const isProxy = (span: NormalisedSpan) =>
      spanRole(span, options) === 'proxy';
    for (const span of spans) {
      if (!isProxy(span)) {
        const parent = span.parentSpanId
          ? byId.get(span.parentSpanId)
          : undefined;
        // The app below an inbound sidecar span.
        if (parent && isProxy(parent) && parent.kind === 'server')
          vote(parent.service, span.service);
        continue;
      }
      const parent = span.parentSpanId
        ? byId.get(span.parentSpanId)
        : undefined;
      // The app above an outbound sidecar span.
      if (span.kind === 'client' && parent && !isProxy(parent))
        vote(span.service, parent.service);
      const canonical =
        span.attributes['istio.canonical_service'] ??
        span.resource['istio.canonical_service'];
      if (
        typeof canonical === 'string' &&
        canonical !== '' &&
        canonical !== span.service
      ) {
        tagged.set(span.service, canonical);
      } else if (!tagged.has(span.service)) {
        tagged.set(span.service, undefined);
      }
    }
  }
  const proxies = new Map<string, string | undefined>();
  for (const [proxy, canonical] of tagged) {
    const counts = [...(votes.get(proxy) ?? [])].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    const app = counts.length > 0 ? counts[0][0] : canonical;
    proxies.set(proxy, app !== proxy ? app : undefined);
  }
  return proxies;
}

export interface ServiceGraphOptions {
  focus: string;
  source: ServiceGraph['source'];
  /** Sidecar service names and the app each serves, from {@link meshProxiesOf}. */
  proxies: Map<string, string | undefined>;
  isGateway: (service: string) => boolean;
}

/**
 * The focus service's neighbourhood: every service linked to it in either direction, and the
 * links among those. Sidecars whose app is known fold into that app (app → own sidecar and
 * sidecar → app vanish, sidecar → sidecar becomes app → app), so the graph shows services.
 */
export function serviceGraph(
  links: DependencyLink[],
  options: ServiceGraphOptions,
): ServiceGraph {
  const { focus, proxies } = options;
  const serviceOf = (name: string) =>
    name !== focus && proxies.get(name) ? proxies.get(name)! : name;

  const edges = new Map<string, ServiceGraphEdge>();
  for (const link of links) {
    const from = serviceOf(link.parent);
    const to = serviceOf(link.child);
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    const edge = edges.get(key) ?? { from, to, callCount: 0 };
    edge.callCount += link.callCount;
    edges.set(key, edge);
  }

  const members = new Set([focus]);
  for (const edge of edges.values()) {
    if (edge.from === focus) members.add(edge.to);
    if (edge.to === focus) members.add(edge.from);
  }
  const kindOf = (name: string) => {
    if (options.isGateway(name)) return 'gateway' as const;
    return proxies.has(name) ? ('proxy' as const) : ('service' as const);
  };
  return {
    source: options.source,
    nodes: [...members]
      .sort(
        (a, b) =>
          Number(b === focus) - Number(a === focus) || a.localeCompare(b),
      )
      .map(id => ({ id, kind: kindOf(id), focus: id === focus })),
    edges: [...edges.values()]
      .filter(edge => members.has(edge.from) && members.has(edge.to))
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  };
}
