import {
  createFinding,
  Finding,
  KongPluginInfo,
  KongRouteView,
  KongServiceView,
  MESH_BASELINE,
} from '@internal/plugin-mesh-gateway-common';

const baseline = MESH_BASELINE.kong;
const IN_CLUSTER_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?$/;
const JWT_CLAIMS_KONG_ACCEPTS = new Set(['exp', 'nbf']);

function objectRef(instance: string, kind: string, nameOrId: string): string {
  return `kong/${instance}/${kind}/${nameOrId}`;
}

function effectivePlugin(
  route: KongRouteView,
  plugins: Map<string, KongPluginInfo>,
  name: string,
): KongPluginInfo | undefined {
  const effective = route.plugins.find(p => p.name === name && p.enabled);
  return effective ? plugins.get(effective.pluginId) : undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Checks one Kong service view against the gateway part of the baseline (DESIGN.md): JWT with
 * verifiable claims, the gateway marker header, full paths, in-cluster upstream, retries and
 * timeouts, metrics and tracing, HTTPS only, healthy targets.
 */
export function analyseKongService(view: KongServiceView): Finding[] {
  const findings: Finding[] = [];
  const { service, instance } = view;
  const serviceRef = objectRef(instance, 'services', service.name ?? service.id);
  const pluginsById = new Map(view.plugins.map(p => [p.id, p]));

  if (service.enabled === false) {
    findings.push(createFinding('MG-KONG-014', serviceRef, 'The Kong service is disabled: Kong answers 503 on its routes.'));
  }
  const hostIsUpstream = view.upstream?.name === service.host;
  const inClusterTargets =
    hostIsUpstream &&
    view.upstream!.targets.length > 0 &&
    view.upstream!.targets.every(t => IN_CLUSTER_HOST.test(t.target.replace(/:\d+$/, '')));
  if (!IN_CLUSTER_HOST.test(service.host) && !inClusterTargets) {
    findings.push(
      createFinding('MG-KONG-006', serviceRef, `Host "${service.host}" is not a cluster-local Service name, so traffic may bypass the mesh.`),
    );
  }
  if (service.retries !== undefined && service.retries !== baseline.retries) {
    findings.push(createFinding('MG-KONG-007', serviceRef, `retries is ${service.retries}; the baseline is ${baseline.retries}.`));
  }
  const timeouts = (['connect_timeout', 'read_timeout', 'write_timeout'] as const).filter(
    key => service[key] !== undefined && service[key] !== baseline.timeoutMs,
  );
  if (timeouts.length > 0) {
    findings.push(
      createFinding(
        'MG-KONG-008',
        serviceRef,
        `${timeouts.map(key => `${key} is ${service[key]} ms`).join(', ')}; the baseline is ${baseline.timeoutMs} ms.`,
      ),
    );
  }

  const routesWithout = (predicate: (route: KongRouteView) => boolean) =>
    view.routes.filter(route => !predicate(route));

  for (const route of view.routes) {
    const routeRef = objectRef(instance, 'routes', route.name ?? route.id);
    const jwt = effectivePlugin(route, pluginsById, 'jwt');
    if (!jwt) {
      findings.push(createFinding('MG-KONG-001', routeRef, 'No enabled jwt plugin applies to this route: it is reachable without a token.'));
    } else {
      const claims = stringArray(jwt.config.claims_to_verify);
      if (!claims.includes('exp')) {
        findings.push(createFinding('MG-KONG-002', routeRef, `jwt claims_to_verify is [${claims.join(', ')}]: expired tokens are accepted.`));
      }
      const unverifiable = claims.filter(c => !JWT_CLAIMS_KONG_ACCEPTS.has(c));
      if (unverifiable.length > 0) {
        findings.push(createFinding('MG-KONG-003', routeRef, `jwt claims_to_verify contains ${unverifiable.join(', ')}, which Kong rejects.`));
      }
    }
    const transformer = effectivePlugin(route, pluginsById, 'request-transformer');
    const addsSource = stringArray(
      (transformer?.config.add as { headers?: unknown } | undefined)?.headers,
    ).some(h => h.split(':')[0].trim().toLowerCase() === baseline.requestSourceHeader);
    if (!addsSource) {
      findings.push(createFinding('MG-KONG-004', routeRef, `No request-transformer adds ${baseline.requestSourceHeader} on this route.`));
    }
    if (route.strip_path === true) {
      findings.push(createFinding('MG-KONG-005', routeRef, 'strip_path is true: the service receives the path without its /api/v1/... prefix.'));
    }
    if (route.protocols.includes('http')) {
      findings.push(createFinding('MG-KONG-011', routeRef, `protocols is [${route.protocols.join(', ')}]: requests over plain HTTP are served, not redirected.`));
    }
  }

  const withoutMetrics = routesWithout(r => r.plugins.some(p => p.name === 'prometheus' && p.enabled));
  if (withoutMetrics.length > 0 || view.routes.length === 0) {
    findings.push(
      createFinding('MG-KONG-009', serviceRef, view.routes.length === 0 ? 'The service has no routes to measure.' : `No enabled prometheus plugin on ${withoutMetrics.length} of ${view.routes.length} routes.`),
    );
  }
  const withoutTracing = routesWithout(r =>
    r.plugins.some(p => p.enabled && (baseline.tracingPlugins as readonly string[]).includes(p.name)),
  );
  if (withoutTracing.length > 0 && view.routes.length > 0) {
    findings.push(
      createFinding('MG-KONG-010', serviceRef, `No enabled opentelemetry or zipkin plugin on ${withoutTracing.length} of ${view.routes.length} routes.`),
    );
  }

  for (const plugin of view.plugins) {
    if (!plugin.enabled && plugin.scope !== 'consumer') {
      findings.push(
        createFinding('MG-KONG-013', objectRef(instance, 'plugins', plugin.instance_name ?? plugin.id), `The ${plugin.name} plugin (${plugin.scope} scope) is disabled.`),
      );
    }
  }

  for (const target of view.upstream?.targets ?? []) {
    if (target.health === 'UNHEALTHY' || target.health === 'DNS_ERROR') {
      findings.push(
        createFinding('MG-KONG-012', objectRef(instance, 'upstreams', `${view.upstream!.name}/targets/${target.target}`), `Target ${target.target} is ${target.health}.`),
      );
    }
  }
  return findings;
}
